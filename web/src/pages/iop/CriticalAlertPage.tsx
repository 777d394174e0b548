import { Link, useParams } from 'wouter';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { useApiQuery } from '../../components/useApiQuery';
import { IopCriticalAlertDocument } from '../../generated/graphql';
import { CriticalAlertItem } from './CriticalAlerts';

/** One critical result, opened from its notification. */
export function CriticalAlertPage() {
  const { id } = useParams<{ id: string }>();
  const alert = useApiQuery(IopCriticalAlertDocument, { id });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Critical lab result</h1>
      {alert.status === 'loading' && <p>Loading…</p>}
      {alert.error && <ApiErrorMessage error={alert.error} />}
      {alert.answer && (
        <ul className="cards">
          <CriticalAlertItem alert={alert.answer.data.criticalAlert} onAcknowledged={alert.reload} />
        </ul>
      )}
      {alert.answer && (
        <p>
          <Link href={`/patients/${alert.answer.data.criticalAlert.patientId}`}>Open the patient</Link>
        </p>
      )}
    </section>
  );
}
