import { Link, useParams } from 'wouter';
import { useSession } from '../../../auth/session';
import { RedisclosureNotice, WithheldReason } from '../../../components/ConsentNotices';
import { roleHomes } from '../../../roles';
import { IopPatientPanel } from '../../iop/IopPatientPanel';
import { formatDay } from './format';
import { Section } from './Section';
import { AllergyList, AssessmentsOverTime, CriticalAlerts, DispensesAndDeliveries, LabTrends, Medications, PlanText, Problems, Referrals } from './sections';
import { errorsAt, usePatientSummary } from './usePatientSummary';

/** /app/patients/:id — the shared treatment summary, as far as the signed-in user may see it, kept current live. */
export function PatientSummaryPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { me } = useSession();
  const { state, referrals, hasReferrals, lastUpdate } = usePatientSummary(id, me.role);

  if (state.status === 'loading') return <p role="status">Loading the patient’s summary…</p>;
  if (state.status === 'refused') {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">Patient summary</h1>
        <div className="error" role="alert">
          <WithheldReason errors={[state.error]} />
        </div>
        <p>
          <Link href={roleHomes[me.role]}>Back to your home page</Link>
        </p>
      </section>
    );
  }

  const { patient, errors, redisclosureNotice } = state.view;
  const at = (section: Parameters<typeof errorsAt>[1]) => errorsAt(errors, section);
  return (
    <article className="patient-summary" aria-labelledby="page-title">
      <header className="summary-header">
        <h1 id="page-title">
          {patient.givenName} {patient.familyName}
        </h1>
        <p className="meta">Born {formatDay(patient.birthDate)} · shared treatment summary</p>
        <p className="live" role="status" aria-live="polite">
          {lastUpdate ?? 'Live updates on'}
        </p>
      </header>
      <RedisclosureNotice notice={redisclosureNotice} />
      <IopPatientPanel patientId={id} patientName={`${patient.givenName} ${patient.familyName}`} />
      <div className="summary-grid">
        <Section id="problems" title="Problems" value={patient.diagnoses} errors={at('diagnoses')} empty="No problems recorded.">
          {(diagnoses) => <Problems diagnoses={diagnoses} />}
        </Section>
        <Section id="allergies" title="Allergies" value={patient.allergies} errors={at('allergies')} empty="No allergies recorded.">
          {(allergies) => <AllergyList allergies={allergies} />}
        </Section>
        <Section id="medications" title="Medications (reconciled)" value={patient.medicationList} errors={[...at('medicationList'), ...at('interactionFlags')]} empty="No medications recorded.">
          {(groups) => <Medications groups={groups} flags={patient.interactionFlags ?? null} />}
        </Section>
        <Section id="dispenses" title="Dispenses and deliveries" value={patient.medicationList} errors={at('medicationList')} empty="No fill or delivery reported yet.">
          {(groups) => <DispensesAndDeliveries groups={groups} />}
        </Section>
        <Section id="labs" title="Lab trends" value={patient.labTrends} errors={at('labTrends')} empty="No numeric lab results yet.">
          {(trends) => <LabTrends trends={trends} />}
        </Section>
        <Section id="critical" title="Critical lab results" value={patient.criticalAlerts} errors={at('criticalAlerts')} empty="No critical result.">
          {(alerts) => <CriticalAlerts alerts={alerts} />}
        </Section>
        <Section id="assessments" title="Assessments over time" value={patient.assessments} errors={at('assessments')} empty="No assessment scores yet.">
          {(assessments) => <AssessmentsOverTime assessments={assessments} />}
        </Section>
        <Section id="crisis-plan" title="Crisis plan" value={patient.crisisPlan} errors={at('crisisPlan')} empty="No crisis plan on file.">
          {(plan) => <PlanText plan={plan} />}
        </Section>
        <Section id="treatment-plan" title="Treatment plan" value={patient.treatmentPlan} errors={at('treatmentPlan')} empty="No treatment plan on file.">
          {(plan) => <PlanText plan={plan} />}
        </Section>
        {hasReferrals && (
          <Section id="referrals" title="Referrals" value={referrals?.referrals} errors={referrals?.error ? [referrals.error] : []} empty={referrals ? 'No referral.' : 'Loading referrals…'}>
            {(list) => <Referrals referrals={list} />}
          </Section>
        )}
      </div>
    </article>
  );
}
