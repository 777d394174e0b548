import { useState } from 'react';
import { Link } from 'wouter';
import { request } from '../../api/client';
import { AdminFailedInboundMessagesDocument, AdminFailedJobsDocument } from '../../generated/graphql';
import { AdminPage, counted, Shown, useLoaded } from './admin-parts';
import { openQueueDashboard } from './queue-dashboard';

/** The admin's home: what waits for them, and the way to the queue dashboard. */
export function AdminHome() {
  const { loaded: messages } = useLoaded(() => request(AdminFailedInboundMessagesDocument, { first: 1 }));
  const { loaded: jobs } = useLoaded(() => request(AdminFailedJobsDocument));
  const [refusal, setRefusal] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  const open = () => {
    setOpening(true);
    setRefusal(null);
    openQueueDashboard()
      .then(setRefusal)
      .catch(() => setRefusal('The server could not be reached'))
      .finally(() => setOpening(false));
  };

  return (
    <AdminPage title="Administration">
      <h2>Waiting for you</h2>
      <ul>
        <li>
          <Shown loaded={messages}>
            {(data) => <Link href="/admin/failed-messages">{counted(data.failedInboundMessages.totalCount, 'failed inbound message')} to reprocess</Link>}
          </Shown>
        </li>
        <li>
          <Shown loaded={jobs}>{(data) => <Link href="/admin/failed-jobs">{counted(data.failedJobs.length, 'failed job')} to retry</Link>}</Shown>
        </li>
      </ul>
      <h2>Queue dashboard</h2>
      <p>Every background queue of the hub, its waiting, active, delayed and failed jobs (ids only, never patient data). Read-only: retry failed work from this portal.</p>
      <button type="button" onClick={open} disabled={opening} aria-busy={opening}>
        Open the queue dashboard
      </button>
      {refusal && (
        <p role="alert" className="error">
          The queue dashboard is not available: {refusal}
        </p>
      )}
    </AdminPage>
  );
}
