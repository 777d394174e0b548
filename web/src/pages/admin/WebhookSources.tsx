import { useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import {
  AdminCreateWebhookSourceDocument,
  AdminRetireWebhookSecretDocument,
  AdminRotateWebhookSecretDocument,
  AdminWebhookSourcesDocument,
} from '../../generated/graphql';
import { AdminTable, Age, ErrorMessage, RowAction, SecretOnce, Shown, useAction, useLoaded } from './admin-parts';

/**
 * A pharmacy's webhook sources (the key in POST /ingest/pharmacy/:key) and their signing secrets:
 * a new secret is shown once; rotating adds one while the old stays current until retired.
 */
export function WebhookSources({ organizationId }: { organizationId: string }) {
  const { loaded, reload } = useLoaded(() => request(AdminWebhookSourcesDocument, { organizationId, first: 100 }), organizationId);
  const { busy, error, run } = useAction();
  const [issued, setIssued] = useState<{ key: string; secret: string } | null>(null);
  const [key, setKey] = useState('');

  const issue = async (name: string, action: () => Promise<{ key: string; secret: string }>) => {
    setIssued(null);
    let secret: { key: string; secret: string } | null = null;
    if (await run(name, async () => (secret = await action()))) {
      setIssued(secret);
      reload();
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void issue('create', async () => {
      const { data } = await request(AdminCreateWebhookSourceDocument, { organizationId, key });
      setKey('');
      return { key: data.createWebhookSource.source.key, secret: data.createWebhookSource.secret };
    });
  };
  const rotate = (sourceId: string) =>
    void issue(sourceId, async () => {
      const { data } = await request(AdminRotateWebhookSecretDocument, { sourceId });
      return { key: data.rotateWebhookSecret.source.key, secret: data.rotateWebhookSecret.secret };
    });
  const retire = async (secretId: string) => {
    if (await run(secretId, () => request(AdminRetireWebhookSecretDocument, { secretId }))) reload();
  };

  return (
    <>
      <ErrorMessage error={error} />
      {issued && <SecretOnce label={`New signing secret of ${issued.key}`} secret={issued.secret} onDone={() => setIssued(null)} />}
      <Shown loaded={loaded}>
        {(data) =>
          data.webhookSources.totalCount === 0 ? (
            <p>No webhook sources yet.</p>
          ) : (
            data.webhookSources.edges.map(({ node: source }) => (
              <article key={source.id} className="card" aria-labelledby={`source-${source.id}`}>
                <h3 id={`source-${source.id}`}>
                  <code>{source.key}</code>
                </h3>
                <p>
                  Posts to <code>/ingest/pharmacy/{source.key}</code>; added <Age at={source.createdAt} />.
                </p>
                <AdminTable caption={`Secrets of ${source.key}`} columns={['Secret', 'Made', 'State']} withAction>
                  {source.secrets.map((secret) => (
                    <tr key={secret.id}>
                      <td>
                        <code>{secret.id.slice(0, 8)}</code>
                      </td>
                      <td>
                        <Age at={secret.createdAt} />
                      </td>
                      <td>{secret.retiredAt ? <>Retired <Age at={secret.retiredAt} /></> : 'Current'}</td>
                      <td>
                        {!secret.retiredAt && (
                          <RowAction name={secret.id} label={`Retire secret ${secret.id.slice(0, 8)} of ${source.key}`} busy={busy} secondary onClick={() => void retire(secret.id)}>
                            Retire
                          </RowAction>
                        )}
                      </td>
                    </tr>
                  ))}
                </AdminTable>
                <button type="button" onClick={() => rotate(source.id)} disabled={busy !== null} aria-busy={busy === source.id}>
                  Add a new secret to {source.key}
                </button>
              </article>
            ))
          )
        }
      </Shown>
      <form onSubmit={create} className="stacked">
        <div>
          <label htmlFor="source-key">New source key</label>
          <input id="source-key" value={key} onChange={(event) => setKey(event.target.value)} required pattern="[a-z0-9][a-z0-9\-]{1,62}[a-z0-9]" aria-describedby="source-key-hint" />
          <p id="source-key-hint" className="hint">
            3 to 64 lowercase letters, digits and dashes, e.g. corner-pharmacy.
          </p>
        </div>
        <button type="submit" disabled={busy !== null} aria-busy={busy === 'create'}>
          Add webhook source
        </button>
      </form>
    </>
  );
}
