import { useSession } from '../../auth/session';
import { roleLabels } from '../../roles';

/** A role's home until its page is built: who is signed in, as the API's `me` query answered. */
export function Placeholder({ title }: { title: string }) {
  const { me } = useSession();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p>
        Signed in as <strong>{me.user.displayName}</strong> ({roleLabels[me.role]}
        {me.organization ? `, ${me.organization.name}` : ''}).
      </p>
    </section>
  );
}
