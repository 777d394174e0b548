import { useState } from 'react';
import { Link } from 'wouter';
import { request } from '../../api/client';
import { useSession } from '../../auth/session';
import { AdminOrganizationsDocument } from '../../generated/graphql';
import { AdminPage, Shown, useLoaded } from './admin-parts';
import { WebhookSources } from './WebhookSources';

/** A program's admin picks the pharmacy whose sources to manage. */
function PharmacyPicker() {
  const { loaded } = useLoaded(() => request(AdminOrganizationsDocument, { first: 100, kind: 'PHARMACY' }));
  const [chosen, setChosen] = useState<string>('');
  return (
    <Shown loaded={loaded}>
      {(data) => {
        const pharmacies = data.organizations.edges.map(({ node }) => node);
        const organizationId = chosen || pharmacies[0]?.id;
        if (!organizationId) return <p>No pharmacy is onboarded yet.</p>;
        return (
          <>
            <label htmlFor="pharmacy">Pharmacy</label>
            <select id="pharmacy" value={organizationId} onChange={(event) => setChosen(event.target.value)}>
              {pharmacies.map((pharmacy) => (
                <option key={pharmacy.id} value={pharmacy.id}>
                  {pharmacy.name}
                </option>
              ))}
            </select>
            <WebhookSources organizationId={organizationId} />
          </>
        );
      }}
    </Shown>
  );
}

/**
 * The credentials partner systems send with: pharmacies sign webhooks with a source's secret;
 * labs and practices send with a user token of their system account (a seat in Users).
 */
export function SourceCredentialsPage() {
  const { me } = useSession();
  return (
    <AdminPage title="Source credentials">
      <p>
        Pharmacies post delivery events signed with a webhook source&apos;s secret. Labs (HL7 v2) and practices (FHIR) send with the token of a system
        account: manage those seats under <Link href="/admin/users">Users</Link>.
      </p>
      <h2>Pharmacy webhook sources</h2>
      {me.organization?.kind === 'IOP' ? <PharmacyPicker /> : me.organization && <WebhookSources organizationId={me.organization.id} />}
    </AdminPage>
  );
}
