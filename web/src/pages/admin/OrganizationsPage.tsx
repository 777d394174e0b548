import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { request } from '../../api/client';
import { AdminCreateOrganizationDocument, AdminOrganizationsDocument, type OrganizationKind } from '../../generated/graphql';
import { AdminPage, AdminTable, Age, counted, ErrorMessage, Shown, useAction, useLoaded } from './admin-parts';
import { organizationKindLabels, partnerKinds } from './organization-kinds';

/** The organizations on the hub, and onboarding a partner (a practice, pharmacy, lab or local provider). */
export function OrganizationsPage() {
  const { loaded, reload } = useLoaded(() => request(AdminOrganizationsDocument, { first: 100 }));
  const { busy, error, run } = useAction();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrganizationKind>('PRIMARY_CARE');
  const [created, setCreated] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    if (await run('create', () => request(AdminCreateOrganizationDocument, { input: { name, kind } }))) {
      setCreated(name.trim());
      setName('');
      reload();
    }
  };

  return (
    <AdminPage title="Organizations">
      <Shown loaded={loaded}>
        {(data) => (
          <AdminTable caption={counted(data.organizations.totalCount, 'organization')} columns={['Name', 'Kind', 'Added']}>
            {data.organizations.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link href={`/admin/organizations/${node.id}`}>{node.name}</Link>
                </td>
                <td>{organizationKindLabels[node.kind]}</td>
                <td>
                  <Age at={node.createdAt} />
                </td>
              </tr>
            ))}
          </AdminTable>
        )}
      </Shown>

      <h2>Onboard a partner</h2>
      <p>A new partner has no seats: the hub operator provisions its first admin, who then seats its staff.</p>
      <form onSubmit={(event) => void create(event)} className="stacked">
        <div>
          <label htmlFor="organization-name">Name</label>
          <input id="organization-name" value={name} onChange={(event) => setName(event.target.value)} required maxLength={200} />
        </div>
        <div>
          <label htmlFor="organization-kind">Kind</label>
          <select id="organization-kind" value={kind} onChange={(event) => setKind(event.target.value as OrganizationKind)}>
            {partnerKinds.map((each) => (
              <option key={each} value={each}>
                {organizationKindLabels[each]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy !== null} aria-busy={busy === 'create'}>
          Add organization
        </button>
      </form>
      <ErrorMessage error={error} />
      {created && <p role="status" className="notice">{created} was added.</p>}
    </AdminPage>
  );
}
