import { Link } from 'wouter';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { formatDate } from '../../components/format';
import { useApiQuery } from '../../components/useApiQuery';
import { IopHomeDocument } from '../../generated/graphql';
import { CriticalAlerts } from './CriticalAlerts';
import { Notifications } from './Notifications';

/** The IOP staff's home: critical results, my patients (with what awaits reconciliation), notifications. */
export function IopHome() {
  const home = useApiQuery(IopHomeDocument, { first: 100 });
  const patients = home.answer?.data.patients.edges.map((edge) => edge.node) ?? [];
  const patientNames = new Map(patients.map((patient) => [patient.id, `${patient.givenName} ${patient.familyName}`]));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Program dashboard</h1>
      <p>
        <Link href="/referrals">Referrals sent</Link>
      </p>
      <CriticalAlerts patientNames={patientNames} />

      <section aria-labelledby="patients-title">
        <h2 id="patients-title">My patients</h2>
        {home.status === 'loading' && <p>Loading…</p>}
        {home.error && <ApiErrorMessage error={home.error} />}
        {home.answer && patients.length === 0 && <p>No patients on your care teams.</p>}
        {patients.length > 0 && (
          <ul className="cards patient-list">
            {patients.map((patient) => {
              const name = `${patient.givenName} ${patient.familyName}`;
              const toReconcile = (patient.medicationList ?? []).filter((group) => group.discrepancies.length > 0).length;
              return (
                <li key={patient.id} className="card">
                  <p className="card-title">
                    <Link href={`/patients/${patient.id}`}>{name}</Link> <span className="muted">born {formatDate(patient.birthDate)}</span>
                  </p>
                  <ul className="actions" aria-label={`Actions for ${name}`}>
                    <li>
                      <Link href={`/iop/patients/${patient.id}/medications`}>
                        Medication reconciliation{toReconcile > 0 ? ` (${toReconcile} to review)` : ''}
                      </Link>
                    </li>
                    <li>
                      <Link href={`/iop/patients/${patient.id}/consents`}>Consents</Link>
                    </li>
                    <li>
                      <Link href={`/referrals/new?patient=${patient.id}`}>Send a referral</Link>
                    </li>
                  </ul>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <Notifications />
    </section>
  );
}
