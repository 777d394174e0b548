import { Link, useParams } from 'wouter';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { formatDateTime } from '../../components/format';
import { useApiMutation, useApiQuery } from '../../components/useApiQuery';
import { AcknowledgeMedicationAlertDocument, MedicationAlertDocument } from '../../generated/graphql';
import { alertKindLabels, codeInWords } from '../pharmacy/labels';

/** One medication alert (a late or returned delivery, a fill not dispensed, …), opened from its notification. */
export function MedicationAlertPage() {
  const { id } = useParams<{ id: string }>();
  const loaded = useApiQuery(MedicationAlertDocument, { id });
  const acknowledge = useApiMutation(AcknowledgeMedicationAlertDocument);
  const alert = loaded.answer?.data.medicationAlert;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Medication alert</h1>
      {loaded.status === 'loading' && <p>Loading…</p>}
      {loaded.error && <ApiErrorMessage error={loaded.error} />}
      {alert && (
        <div className="card alert-card" data-medication-alert-id={alert.id}>
          <p className="card-title">
            <strong>{alertKindLabels[alert.kind]}</strong> ({codeInWords(alert.urgency)})
          </p>
          <p>{alert.reason}</p>
          <p>
            <Link href={`/patients/${alert.patientId}`}>Open the patient</Link>
          </p>
          {acknowledge.error && <ApiErrorMessage error={acknowledge.error} context="Not acknowledged" />}
          {alert.acknowledged ? (
            <p>Acknowledged {formatDateTime(alert.acknowledgedAt)}.</p>
          ) : (
            <button type="button" disabled={acknowledge.busy} onClick={() => void acknowledge.run({ alertId: alert.id }).then((done) => done && loaded.reload())}>
              Acknowledge
            </button>
          )}
        </div>
      )}
    </section>
  );
}
