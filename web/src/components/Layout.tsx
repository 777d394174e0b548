import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { useSession } from '../auth/session';
import { roleLabels } from '../roles';
import { routes } from '../routes';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [active] = useRoute(href);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** Every signed-in page: a skip link, the header (who, organization, role navigation, sign out) and <main>. */
export function Layout({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const links = routes.filter((route) => route.nav && route.roles.includes(me.role));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="brand">
          <Link href="/">CareBridge</Link>
        </div>
        <p className="who" aria-label="Signed in as">
          <span className="who-name">{me.user.displayName}</span>
          <span className="who-role">{roleLabels[me.role]}</span>
          {me.organization && <span className="who-org">{me.organization.name}</span>}
        </p>
        {links.length > 0 && (
          <nav aria-label="Main">
            <ul>
              {links.map((route) => (
                <li key={route.path}>
                  <NavLink href={route.path}>{route.nav}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <button type="button" className="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** The sign-in page's frame: the same skip link and landmarks, without a user. */
export function SignedOutLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="brand">CareBridge</div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
