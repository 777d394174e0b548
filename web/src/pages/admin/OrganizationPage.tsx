import { useState, type FormEvent } from 'react';
import { useParams } from 'wouter';
import { request } from '../../api/client';
import {
  AdminOrganizationDocument,
  AdminOrganizationEndpointDocument,
  AdminRemoveOrganizationEndpointDocument,
  AdminSetOrganizationEndpointDocument,
} from '../../generated/graphql';
import { AdminPage, Age, ErrorMessage, SecretOnce, Shown, useAction, useLoaded } from './admin-parts';
import { organizationKindLabels } from './organization-kinds';
import { WebhookSources } from './WebhookSources';

/** Where the hub sends an organization's webhooks, and the secret it signs them with (shown once). */
function Endpoint({ organizationId }: { organizationId: string }) {
  const { loaded, reload } = useLoaded(() => request(AdminOrganizationEndpointDocument, { organizationId }), organizationId);
  const { busy, error, run } = useAction();
  const [url, setUrl] = useState('');
  const [keepHours, setKeepHours] = useState(0);
  const [secret, setSecret] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSecret(null);
    let issued: string | null = null;
    const saved = await run('set', async () => {
      issued = (await request(AdminSetOrganizationEndpointDocument, { input: { organizationId, url, keepPreviousSecretHours: keepHours } })).data.setOrganizationEndpoint.secret;
    });
    if (saved) {
      setSecret(issued);
      reload();
    }
  };
  const remove = async () => {
    if (await run('remove', () => request(AdminRemoveOrganizationEndpointDocument, { organizationId }))) reload();
  };

  return (
    <>
      <ErrorMessage error={error} />
      {secret && <SecretOnce label="The endpoint's new signing secret" secret={secret} onDone={() => setSecret(null)} />}
      <Shown loaded={loaded}>
        {(data) =>
          data.organizationEndpoint ? (
            <p>
              Webhooks go to <code>{data.organizationEndpoint.url}</code>, set <Age at={data.organizationEndpoint.setAt} />
              {data.organizationEndpoint.previousSecretUntil && (
                <>
                  ; the previous secret still signs until <Age at={data.organizationEndpoint.previousSecretUntil} />
                </>
              )}
              .{' '}
              <button type="button" className="secondary" onClick={() => void remove()} disabled={busy !== null} aria-busy={busy === 'remove'}>
                Remove endpoint
              </button>
            </p>
          ) : (
            <p>No webhook endpoint: nothing is sent to this organization.</p>
          )
        }
      </Shown>
      <form onSubmit={(event) => void save(event)} className="stacked">
        <div>
          <label htmlFor="endpoint-url">Endpoint URL</label>
          <input id="endpoint-url" type="url" value={url} onChange={(event) => setUrl(event.target.value)} required />
        </div>
        <div>
          <label htmlFor="endpoint-keep">Hours the previous secret keeps signing (0 to 168; 0 if it leaked)</label>
          <input id="endpoint-keep" type="number" min={0} max={168} value={keepHours} onChange={(event) => setKeepHours(Number(event.target.value))} />
        </div>
        <button type="submit" disabled={busy !== null} aria-busy={busy === 'set'}>
          Set endpoint and issue a secret
        </button>
      </form>
    </>
  );
}

/** One organization: its webhook endpoint and, for a pharmacy, its webhook sources. */
export function OrganizationPage() {
  const { id } = useParams<{ id: string }>();
  const { loaded } = useLoaded(() => request(AdminOrganizationDocument, { id }), id);
  return (
    <AdminPage title="Organization">
      <Shown loaded={loaded}>
        {({ organization }) => (
          <>
            <p>
              <strong>{organization.name}</strong>, {organizationKindLabels[organization.kind]}, added <Age at={organization.createdAt} />.
            </p>
            <h2>Webhook endpoint</h2>
            <Endpoint organizationId={organization.id} />
            {organization.kind === 'PHARMACY' && (
              <>
                <h2>Webhook sources</h2>
                <WebhookSources organizationId={organization.id} />
              </>
            )}
          </>
        )}
      </Shown>
    </AdminPage>
  );
}
