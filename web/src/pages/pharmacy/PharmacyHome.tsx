import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { ApiError, request } from '../../api/client';
import { PortalPharmacyWorklistDocument, type DispensingStatus, type PortalPharmacyWorklistQuery } from '../../generated/graphql';
import { dateTime, dispensingStatusLabels } from './labels';
import { useWorklistChanges } from './live';

const pageSize = 20;
type Worklist = PortalPharmacyWorklistQuery['pharmacyWorklist'];

/** The pharmacy's worklist: prescriptions routed to it, oldest first, by dispensing status, a page at a time, kept current live. */
export function PharmacyHome() {
  const [status, setStatus] = useState<DispensingStatus | ''>('');
  // The cursors of the pages before this one (the API pages forward, Relay style).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [worklist, setWorklist] = useState<Worklist | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [liveNote, setLiveNote] = useState('');
  const after = cursors[cursors.length - 1];

  const load = useCallback(() => {
    request(PortalPharmacyWorklistDocument, { status: status || null, first: pageSize, after })
      .then(({ data }) => {
        setWorklist(data.pharmacyWorklist);
        setError(null);
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure : new ApiError({ message: String(failure) })));
  }, [status, after]);
  useEffect(load, [load]);

  useWorklistChanges((item) => {
    setLiveNote(`Updated ${new Date().toLocaleTimeString()}: ${item.rxNumber ?? item.sourcePrescriptionId ?? 'a prescription'} changed.`);
    load();
  });

  const chooseStatus = (chosen: DispensingStatus | '') => {
    setStatus(chosen);
    setCursors([null]);
  };

  return (
    <section aria-labelledby="page-title" className="pharmacy">
      <h1 id="page-title">Pharmacy worklist</h1>
      <p>Prescriptions routed to your pharmacy under the patient&apos;s consent, oldest first. The list updates by itself when one changes.</p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="status-filter">Dispensing status</label>
          <select id="status-filter" value={status} onChange={(event) => chooseStatus(event.target.value as DispensingStatus | '')}>
            <option value="">All</option>
            {Object.entries(dispensingStatusLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p role="status" className="live-note">
        {liveNote}
      </p>
      {error && (
        <p role="alert" className="error">
          The worklist could not be loaded: {error.message}
        </p>
      )}
      {!worklist && !error && <p>Loading…</p>}
      {worklist && (
        <>
          <p>
            {worklist.totalCount} prescription{worklist.totalCount === 1 ? '' : 's'}
            {status ? ` ${dispensingStatusLabels[status].toLowerCase()}` : ''}.
          </p>
          {worklist.edges.length === 0 ? (
            <p>Nothing to show.</p>
          ) : (
            <ul className="worklist">
              {worklist.edges.map(({ node }) => {
                const openAlerts = node.alerts.filter((alert) => !alert.pharmacyAcknowledgedAt);
                return (
                  <li key={node.id} className="worklist-item">
                    <Link href={`/pharmacy/prescriptions/${node.id}`} className="worklist-link">
                      <span className="rx">{node.rxNumber ?? node.sourcePrescriptionId}</span> {node.drugName}
                    </Link>
                    <span>
                      {node.patient.familyName}, {node.patient.givenName} (born {node.patient.birthDate})
                    </span>
                    <span className="badges">
                      <span className={`rx-badge status-${node.dispensingStatus.toLowerCase()}`}>{dispensingStatusLabels[node.dispensingStatus]}</span>
                      {node.prescriptionStatus === 'STOPPED' && <span className="rx-badge stopped">Stopped by prescriber</span>}
                      {node.deaSchedule && <span className="rx-badge">Schedule {node.deaSchedule}</span>}
                      {openAlerts.length > 0 && (
                        <span className={`rx-badge alert-${openAlerts.some((alert) => alert.urgency === 'URGENT') ? 'urgent' : 'routine'}`}>
                          {openAlerts.length} alert{openAlerts.length === 1 ? '' : 's'}
                        </span>
                      )}
                    </span>
                    <span className="muted">Routed {dateTime(node.routedAt)}</span>
                  </li>
                );
              })}
            </ul>
          )}
          <nav aria-label="Worklist pages" className="pager">
            <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous page
            </button>
            <span>Page {cursors.length}</span>
            <button
              type="button"
              className="secondary"
              disabled={!worklist.pageInfo.hasNextPage}
              onClick={() => setCursors([...cursors, worklist.pageInfo.endCursor ?? null])}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
