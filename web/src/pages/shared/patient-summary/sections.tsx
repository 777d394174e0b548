import { Link } from 'wouter';
import { Sparkline } from '../../../components/Sparkline';
import type { SummaryCriticalAlertFragment, SummaryLabTrendFragment, SummaryMedicationGroupFragment, SummaryReferralFragment } from '../../../generated/graphql';
import { formatDay, formatMoment, inWords } from './format';
import { PartTwoBadge } from './Section';
import type { SummaryPatient } from './usePatientSummary';
import { ScrollingTable } from '../../../components/ScrollingTable';

type Diagnoses = NonNullable<SummaryPatient['diagnoses']>;
type Allergies = NonNullable<SummaryPatient['allergies']>;
type InteractionFlags = NonNullable<SummaryPatient['interactionFlags']>;
type Assessments = NonNullable<SummaryPatient['assessments']>;
type Plan = Pick<NonNullable<SummaryPatient['crisisPlan']>, 'planText' | 'createdAt' | 'categories'>;

export function Problems({ diagnoses }: { diagnoses: Diagnoses }) {
  return (
    <ul className="records">
      {diagnoses.map((diagnosis) => (
        <li key={diagnosis.id}>
          <strong>{diagnosis.diagnosisText}</strong> <code>{diagnosis.icd10Code}</code> <PartTwoBadge categories={diagnosis.categories} />
          <div className="meta">
            {inWords(diagnosis.diagnosisStatus)}
            {diagnosis.onsetDate && <> · since {formatDay(diagnosis.onsetDate)}</>} · from {diagnosis.provenance.organization.name}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function AllergyList({ allergies }: { allergies: Allergies }) {
  return (
    <ul className="records">
      {allergies.map((allergy) => (
        <li key={allergy.id}>
          <strong>{allergy.substance}</strong>
          {allergy.reaction && <> — {allergy.reaction}</>}
          {allergy.criticality && <span className="meta"> ({inWords(allergy.criticality)} criticality)</span>}
        </li>
      ))}
    </ul>
  );
}

function adherenceText(adherence: SummaryMedicationGroupFragment['adherence']): string | null {
  if (adherence.proportionOfDaysCovered === null || adherence.proportionOfDaysCovered === undefined) return null;
  const covered = `${Math.round(adherence.proportionOfDaysCovered * 100)}% of days covered`;
  return adherence.refillLate ? `${covered}; refill ${adherence.daysLate ?? 0} days late` : covered;
}

/** The reconciled list: each drug once, each source's record of it, discrepancies and the interaction flags. */
export function Medications({ groups, flags }: { groups: readonly SummaryMedicationGroupFragment[]; flags: InteractionFlags | null }) {
  return (
    <>
      {flags && flags.length > 0 && (
        <div className="flags" role="note" aria-label="Interaction flags">
          <h3>Interaction flags</h3>
          <ul>
            {flags.map((flag) => (
              <li key={`${flag.ruleId}-${flag.medicationIds.join('-')}`}>
                <span className={`badge badge-${flag.severity.toLowerCase()}`}>{inWords(flag.severity)}</span> {flag.message}{' '}
                <span className="meta">({flag.source})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul className="records">
        {groups.map((group) => (
          <li key={group.ingredient}>
            <strong>{group.ingredient}</strong>
            {group.discrepancies.length > 0 && <span className="badge badge-warning">{group.discrepancies.map(inWords).join(', ')}</span>}
            <ul className="sources">
              {group.medications.map((medication) => (
                <li key={medication.id}>
                  {medication.drugName} {medication.dose}, {medication.sig} <PartTwoBadge categories={medication.categories} />
                  <div className="meta">
                    {inWords(medication.prescriptionStatus)} · from {medication.provenance.organization.name}
                    {medication.pharmacy && <> · pharmacy {medication.pharmacy.name}</>}
                  </div>
                </li>
              ))}
            </ul>
            {adherenceText(group.adherence) && <div className="meta">Adherence: {adherenceText(group.adherence)}</div>}
          </li>
        ))}
      </ul>
    </>
  );
}

const isLate = (lateAfter: string | null | undefined, status: string) => Boolean(lateAfter) && status !== 'DELIVERED' && new Date(lateAfter!).getTime() < Date.now();

/** What pharmacies reported: each fill, and each delivery with its status. */
export function DispensesAndDeliveries({ groups }: { groups: readonly SummaryMedicationGroupFragment[] }) {
  const fills = groups.flatMap((group) => group.fills);
  const deliveries = groups.flatMap((group) => group.medications.flatMap((medication) => (medication.deliveries ?? []).map((delivery) => ({ delivery, drug: medication.drugName }))));
  if (fills.length === 0 && deliveries.length === 0) return <p className="empty">No fill or delivery reported yet.</p>;
  return (
    <ScrollingTable caption="Fills and deliveries">
        <thead>
          <tr>
            <th scope="col">Drug</th>
            <th scope="col">Fill</th>
            <th scope="col">What happened</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {fills.map((fill) => (
            <tr key={fill.id}>
              <td>
                {fill.drugName} <PartTwoBadge categories={fill.categories} />
              </td>
              <td>{fill.fillNumber === 0 ? 'first' : `refill ${fill.fillNumber}`}</td>
              <td>
                {inWords(fill.fillStatus)}
                {fill.daysSupply ? `, ${fill.daysSupply} days` : ''}
              </td>
              <td>{formatDay(fill.dispensedOn)}</td>
            </tr>
          ))}
          {deliveries.map(({ delivery, drug }) => (
            <tr key={delivery.id}>
              <td>
                {drug} <PartTwoBadge categories={delivery.categories} />
              </td>
              <td>{delivery.fillNumber === 0 ? 'first' : `refill ${delivery.fillNumber}`}</td>
              <td>
                delivery {inWords(delivery.status)}
                {isLate(delivery.lateAfter, delivery.status) && <span className="badge badge-danger">late</span>}
              </td>
              <td>{formatMoment(delivery.statusOccurredAt)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollingTable>
  );
}

const directionWords: Record<string, string> = { UP: 'rising', DOWN: 'falling', STABLE: 'stable', SINGLE: 'one result' };

export function LabTrends({ trends }: { trends: readonly SummaryLabTrendFragment[] }) {
  return (
    <ul className="trends">
      {trends.map((trend) => {
        const values = trend.points.flatMap((point) => (point.valueNumeric === null || point.valueNumeric === undefined ? [] : [point.valueNumeric]));
        const { latest } = trend;
        return (
          <li key={`${trend.test}-${trend.loincCode ?? ''}`}>
            <div>
              <strong>{trend.test}</strong> <PartTwoBadge categories={latest.categories} />
              <div className="meta">
                latest {latest.valueNumeric ?? latest.valueText ?? '—'} {trend.unit ?? ''}
                {latest.abnormalFlag && latest.abnormalFlag !== 'N' && <span className="badge badge-warning">flag {latest.abnormalFlag}</span>} · {directionWords[trend.direction]} ·{' '}
                {formatDay(latest.effectiveAt)}
              </div>
            </div>
            <Sparkline values={values} label={`${trend.test}${trend.unit ? `, ${trend.unit}` : ''}, oldest first`} low={latest.referenceLow} high={latest.referenceHigh} />
          </li>
        );
      })}
    </ul>
  );
}

export function CriticalAlerts({ alerts }: { alerts: readonly SummaryCriticalAlertFragment[] }) {
  return (
    <ul className="records">
      {alerts.map((alert) => (
        <li key={alert.id} className={alert.status === 'ACKNOWLEDGED' ? undefined : 'critical'}>
          <strong>
            {alert.labResult.testName}: {alert.labResult.valueNumeric ?? alert.labResult.valueText} {alert.labResult.unit ?? ''}
          </strong>{' '}
          <span className={alert.status === 'ACKNOWLEDGED' ? 'badge' : 'badge badge-danger'}>{inWords(alert.status)}</span>
          <div className="meta">
            {alert.reason} · raised {formatMoment(alert.createdAt)}
            {alert.acknowledgedAt && <> · acknowledged {formatMoment(alert.acknowledgedAt)}</>}
          </div>
        </li>
      ))}
    </ul>
  );
}

const instrumentNames: Record<string, string> = { PHQ9: 'PHQ-9', GAD7: 'GAD-7', AUDIT_C: 'AUDIT-C', CSSRS_SCREEN: 'C-SSRS screen' };

/** PHQ-9 severity bands (Kroenke et al. 2001). */
function phq9Band(score: number): string {
  if (score >= 20) return 'severe';
  if (score >= 15) return 'moderately severe';
  if (score >= 10) return 'moderate';
  if (score >= 5) return 'mild';
  return 'minimal';
}

/** Scores over time, one line per instrument. */
export function AssessmentsOverTime({ assessments }: { assessments: Assessments }) {
  const instruments = [...new Set(assessments.map((assessment) => assessment.instrument))];
  return (
    <ul className="trends">
      {instruments.map((instrument) => {
        const series = assessments.filter((assessment) => assessment.instrument === instrument);
        const latest = series[series.length - 1];
        return (
          <li key={instrument}>
            <div>
              <strong>{instrumentNames[instrument] ?? instrument}</strong>
              <div className="meta">
                latest {latest.score}
                {instrument === 'PHQ9' && <> ({phq9Band(latest.score)})</>} on {formatDay(latest.administeredAt)} · {series.length} score{series.length === 1 ? '' : 's'}:{' '}
                {series.map((assessment) => assessment.score).join(', ')}
              </div>
            </div>
            <Sparkline values={series.map((assessment) => assessment.score)} label={`${instrumentNames[instrument] ?? instrument} scores, oldest first`} />
          </li>
        );
      })}
    </ul>
  );
}

export function PlanText({ plan }: { plan: Plan }) {
  return (
    <div>
      <p className="plan">{plan.planText}</p>
      <p className="meta">
        Updated {formatMoment(plan.createdAt)} <PartTwoBadge categories={plan.categories} />
      </p>
    </div>
  );
}

export function Referrals({ referrals }: { referrals: readonly SummaryReferralFragment[] }) {
  return (
    <ul className="records">
      {referrals.map((referral) => (
        <li key={referral.id}>
          <strong>{referral.requestedService}</strong> <span className="badge">{inWords(referral.status)}</span>
          <div className="meta">
            {referral.senderOrganization.name} → {referral.recipientOrganization.name} · {inWords(referral.urgency)}
            {referral.sentAt && <> · sent {formatDay(referral.sentAt)}</>}
            {referral.appointmentAt && (
              <>
                {' '}
                · appointment {formatMoment(referral.appointmentAt)}
                {referral.appointmentPlace && <>, {referral.appointmentPlace}</>}
              </>
            )}
            {referral.statusReason && <> · {referral.statusReason}</>}
          </div>
          <Link href={`/referrals/${referral.id}`}>Open the referral</Link>
        </li>
      ))}
    </ul>
  );
}
