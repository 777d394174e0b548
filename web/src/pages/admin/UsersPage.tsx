import { useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { useSession } from '../../auth/session';
import { AdminCreateUserDocument, AdminSetMembershipActiveDocument, AdminUsersDocument, type Role } from '../../generated/graphql';
import { roleLabels } from '../../roles';
import { AdminPage, AdminTable, counted, ErrorMessage, RowAction, Shown, useAction, useLoaded } from './admin-parts';

const staffRoles = (Object.keys(roleLabels) as Role[]).filter((role) => role !== 'PATIENT');

/** Your organization's staff: seat a new one, suspend or restore a membership (its tokens stop working at once). */
export function UsersPage() {
  const { me } = useSession();
  const { loaded, reload } = useLoaded(() => request(AdminUsersDocument, { first: 100 }));
  const { busy, error, run } = useAction();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>(me.organization?.kind === 'IOP' ? 'IOP_CLINICIAN' : 'ADMIN');
  const [done, setDone] = useState<string | null>(null);

  const organizationId = me.organization?.id;
  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!organizationId) return;
    setDone(null);
    if (await run('create', () => request(AdminCreateUserDocument, { input: { email, displayName, membership: { organizationId, role } } }))) {
      setDone(`${displayName} was added as ${roleLabels[role]}.`);
      setEmail('');
      setDisplayName('');
      reload();
    }
  };
  const setActive = async (membershipId: string, active: boolean, name: string) => {
    setDone(null);
    if (await run(membershipId, () => request(AdminSetMembershipActiveDocument, { membershipId, active }))) {
      setDone(`${name} is ${active ? 'restored' : 'suspended'}.`);
      reload();
    }
  };

  return (
    <AdminPage title="Users">
      <ErrorMessage error={error} />
      {done && <p role="status" className="notice">{done}</p>}
      <Shown loaded={loaded}>
        {(data) => (
          <AdminTable caption={`${counted(data.users.totalCount, 'staff member')} of ${me.organization?.name ?? 'your organization'}`} columns={['Name', 'E-mail', 'Role', 'State']} withAction>
            {data.users.edges.flatMap(({ node: user }) =>
              user.memberships
                .filter((membership) => membership.organization.id === organizationId)
                .map((membership) => (
                  <tr key={membership.id}>
                    <td>{user.displayName}</td>
                    <td>{user.email}</td>
                    <td>{roleLabels[membership.role]}</td>
                    <td>{membership.active ? 'Active' : 'Suspended'}</td>
                    <td>
                      {user.id !== me.user.id && (
                        <RowAction
                          name={membership.id}
                          label={`${membership.active ? 'Suspend' : 'Restore'} ${user.displayName} (${roleLabels[membership.role]})`}
                          busy={busy}
                          secondary
                          onClick={() => void setActive(membership.id, !membership.active, user.displayName)}
                        >
                          {membership.active ? 'Suspend' : 'Restore'}
                        </RowAction>
                      )}
                    </td>
                  </tr>
                )),
            )}
          </AdminTable>
        )}
      </Shown>

      <h2>Add a staff member</h2>
      <form onSubmit={(event) => void create(event)} className="stacked">
        <div>
          <label htmlFor="user-name">Name</label>
          <input id="user-name" value={displayName} onChange={(event) => setDisplayName(event.target.value)} required maxLength={200} />
        </div>
        <div>
          <label htmlFor="user-email">E-mail</label>
          <input id="user-email" type="email" value={email} onChange={(event) => setEmail(event.target.value)} required />
        </div>
        <div>
          <label htmlFor="user-role">Role</label>
          <select id="user-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {staffRoles.map((each) => (
              <option key={each} value={each}>
                {roleLabels[each]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy !== null} aria-busy={busy === 'create'}>
          Add user
        </button>
      </form>
    </AdminPage>
  );
}
