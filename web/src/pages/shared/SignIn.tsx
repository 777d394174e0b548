import { useEffect, useState } from 'react';
import { useSessionState } from '../../auth/session';
import { devToken, listDevUsers, type DevUser } from '../../auth/dev-sign-in';
import { portalConfig, type PortalConfig } from '../../auth/portal-config';
import { finishOidcSignIn, isOidcCallback, startOidcSignIn } from '../../auth/oidc';

export function SignIn() {
  const { state, signIn } = useSessionState();
  const [config, setConfig] = useState<PortalConfig | null>(null);
  const [users, setUsers] = useState<DevUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    portalConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        if (loaded.oidc && isOidcCallback()) signIn(await finishOidcSignIn(loaded.oidc));
        else if (loaded.developmentSignIn) setUsers(await listDevUsers());
      })
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [signIn]);

  const signInWithProvider = (oidc: NonNullable<PortalConfig['oidc']>) => {
    setBusy('oidc');
    setError(null);
    startOidcSignIn(oidc).catch((failure: unknown) => {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(null);
    });
  };

  const pick = (user: DevUser) => {
    setBusy(user.userId + user.role);
    setError(null);
    devToken(user)
      .then(signIn)
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBusy(null));
  };

  const sessionError = state.status === 'signed-out' ? state.error : null;
  return (
    <section aria-labelledby="page-title" className="sign-in">
      <h1 id="page-title">Sign in to CareBridge</h1>
      {sessionError && <p role="alert" className="error">Your session ended: {sessionError.message}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {!config && !error && <p>Loading…</p>}
      {config && !config.developmentSignIn && !config.oidc && <p>No sign-in method is configured on this server.</p>}
      {config?.oidc && (
        <p>
          <button type="button" onClick={() => config.oidc && signInWithProvider(config.oidc)} disabled={busy !== null}>
            Sign in with your organization's account
          </button>
        </p>
      )}
      {users && (
        <>
          <h2>Demo users</h2>
          <p>Development sign-in: choose who to be. Each button signs you in as that user.</p>
          {users.length === 0 && <p>The database has no users yet: run <code>npm start</code> on an empty database to seed the demo.</p>}
          <ul className="demo-users">
            {users.map((user) => (
              <li key={user.userId + user.role}>
                <button type="button" onClick={() => pick(user)} disabled={busy !== null} aria-busy={busy === user.userId + user.role}>
                  {user.label}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
