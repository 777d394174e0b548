import { useState } from 'react';
import { request } from '../../api/client';
import { AdminFailedJobsDocument, AdminRetryFailedJobDocument } from '../../generated/graphql';
import { AdminPage, AdminTable, Age, counted, ErrorMessage, RowAction, Shown, useAction, useLoaded } from './admin-parts';

/** Queued work given up after every retry: what it was, why it failed (a code), and a way to queue it again. */
export function FailedJobsPage() {
  const { loaded, reload } = useLoaded(() => request(AdminFailedJobsDocument));
  const { busy, error, run } = useAction();
  const [retried, setRetried] = useState<string | null>(null);

  const retry = async (id: string, jobName: string) => {
    setRetried(null);
    if (await run(id, () => request(AdminRetryFailedJobDocument, { id }))) {
      setRetried(jobName);
      reload();
    }
  };

  return (
    <AdminPage title="Failed jobs">
      <p>Background work (letters, consent forms, pharmacy messages, notifications) that failed after every retry. Fix the cause, then retry: the work is done once.</p>
      <ErrorMessage error={error} />
      {retried && <p role="status" className="notice">The {retried} job is queued again.</p>}
      <Shown loaded={loaded}>
        {(data) =>
          data.failedJobs.length === 0 ? (
            <p>No failed jobs.</p>
          ) : (
            <AdminTable caption={`The latest ${counted(data.failedJobs.length, 'failed job')}`} columns={['Queue', 'Job', 'Reason', 'Queued', 'Failed']} withAction>
              {data.failedJobs.map((job) => (
                <tr key={job.id}>
                  <td>{job.queue}</td>
                  <td>{job.jobName}</td>
                  <td>
                    <code>{job.failureReason ?? '—'}</code>
                  </td>
                  <td>
                    <Age at={job.createdAt} />
                  </td>
                  <td>
                    <Age at={job.failedAt} />
                  </td>
                  <td>
                    <RowAction name={job.id} label={`Retry ${job.jobName} job ${job.id.slice(0, 8)}`} busy={busy} onClick={() => void retry(job.id, job.jobName)}>
                      Retry
                    </RowAction>
                  </td>
                </tr>
              ))}
            </AdminTable>
          )
        }
      </Shown>
    </AdminPage>
  );
}
