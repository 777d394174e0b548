import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { subscribe } from '../../api/client';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { formatDateTime } from '../../components/format';
import { useApiMutation, useApiQuery } from '../../components/useApiQuery';
import { AcknowledgeCriticalAlertDocument, CriticalAlertRaisedDocument, IopCriticalAlertsDocument, type IopCriticalAlertFieldsFragment } from '../../generated/graphql';

/** A critical result, its value and why it is critical, with the button that acknowledges it. */
export function CriticalAlertItem({ alert, patientName, onAcknowledged }: { alert: IopCriticalAlertFieldsFragment; patientName?: string; onAcknowledged: () => void }) {
  const acknowledge = useApiMutation(AcknowledgeCriticalAlertDocument);
  const { labResult } = alert;
  const acknowledged = alert.status === 'ACKNOWLEDGED';
  return (
    <li className="card alert-card" data-alert-id={alert.id}>
      <p className="card-title">
        <strong>{labResult.testName}</strong>: {labResult.valueNumeric ?? '—'} {labResult.unit ?? ''} {labResult.abnormalFlag ? `(${labResult.abnormalFlag})` : ''}
      </p>
      <p>
        {patientName ? (
          <>
            <Link href={`/patients/${alert.patientId}`}>{patientName}</Link> ·{' '}
          </>
        ) : null}
        {alert.reason} · <span className={`status status-${alert.status.toLowerCase()}`}>{alert.status === 'ESCALATED' ? `escalated ${formatDateTime(alert.escalatedAt)}` : alert.status.toLowerCase()}</span>
      </p>
      {acknowledge.error && <ApiErrorMessage error={acknowledge.error} context="Not acknowledged" />}
      {acknowledged ? (
        <p>Acknowledged {formatDateTime(alert.acknowledgedAt)}.</p>
      ) : (
        <button
          type="button"
          disabled={acknowledge.busy}
          aria-label={`Acknowledge ${labResult.testName}${patientName ? ` for ${patientName}` : ''}`}
          onClick={() => void acknowledge.run({ alertId: alert.id }).then((done) => done && onAcknowledged())}
        >
          Acknowledge
        </button>
      )}
    </li>
  );
}

/** The critical results awaiting acknowledgement on my care teams; a newly raised one appears at once. */
export function CriticalAlerts({ patientNames }: { patientNames: ReadonlyMap<string, string> }) {
  const alerts = useApiQuery(IopCriticalAlertsDocument, {});
  const [liveNote, setLiveNote] = useState('');
  const { reload } = alerts;
  useEffect(
    () =>
      subscribe(CriticalAlertRaisedDocument, {}, ({ data }) => {
        setLiveNote(`New critical result: ${data.criticalAlertRaised.labResult.testName}`);
        reload();
      }),
    [reload],
  );
  return (
    <section aria-labelledby="critical-alerts-title">
      <h2 id="critical-alerts-title">Critical lab results</h2>
      <p role="status" className="live-note">
        {liveNote}
      </p>
      {alerts.status === 'loading' && <p>Loading…</p>}
      {alerts.error && <ApiErrorMessage error={alerts.error} />}
      {alerts.answer &&
        (alerts.answer.data.myCriticalAlerts.length === 0 ? (
          <p>No critical result awaits acknowledgement.</p>
        ) : (
          <ul className="cards">
            {alerts.answer.data.myCriticalAlerts.map((alert) => (
              <CriticalAlertItem key={alert.id} alert={alert} patientName={patientNames.get(alert.patientId)} onAcknowledged={reload} />
            ))}
          </ul>
        ))}
    </section>
  );
}
