import { useState } from 'react';
import { request } from '../../api/client';
import { AdminFailedInboundMessagesDocument, AdminReprocessInboundMessageDocument, type InboxSource } from '../../generated/graphql';
import { AdminPage, AdminTable, Age, counted, ErrorMessage, RowAction, Shown, useAction, useLoaded } from './admin-parts';

const formats: Record<InboxSource, string> = { FHIR: 'FHIR R4 Bundle', HL7V2: 'HL7 v2 lab result', PHARMACY: 'Pharmacy webhook' };

/** Inbound messages whose import failed after every retry: the reason (a code, never content) and a way to import them again. */
export function FailedMessagesPage() {
  const { loaded, reload } = useLoaded(() => request(AdminFailedInboundMessagesDocument, { first: 100 }));
  const { busy, error, run } = useAction();
  const [queued, setQueued] = useState<string | null>(null);

  const reprocess = async (id: string) => {
    setQueued(null);
    if (await run(id, () => request(AdminReprocessInboundMessageDocument, { id }))) {
      setQueued(id);
      reload();
    }
  };

  return (
    <AdminPage title="Failed inbound messages">
      <p>Messages the hub accepted but could not import after every retry. Fix the cause first (the reason says what failed), then reprocess.</p>
      <ErrorMessage error={error} />
      {queued && <p role="status" className="notice">Message {queued.slice(0, 8)} is queued for import again.</p>}
      <Shown loaded={loaded}>
        {(data) =>
          data.failedInboundMessages.totalCount === 0 ? (
            <p>No failed messages.</p>
          ) : (
            <AdminTable caption={`${counted(data.failedInboundMessages.totalCount, 'failed message')}, oldest first`} columns={['Message', 'Format', 'Reason', 'Received', 'Failed']} withAction>
              {data.failedInboundMessages.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <code>{node.id.slice(0, 8)}</code>
                  </td>
                  <td>{formats[node.source]}</td>
                  <td>
                    <code>{node.error ?? '—'}</code>
                  </td>
                  <td>
                    <Age at={node.receivedAt} />
                  </td>
                  <td>
                    <Age at={node.processedAt} />
                  </td>
                  <td>
                    <RowAction name={node.id} label={`Reprocess message ${node.id.slice(0, 8)}`} busy={busy} onClick={() => void reprocess(node.id)}>
                      Reprocess
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
