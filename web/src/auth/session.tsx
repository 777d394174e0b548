import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, request } from '../api/client';
import { MeDocument, type MeQuery, type Role } from '../generated/graphql';
import { claimsOf, currentToken, onTokenChange, storeToken } from './token';

type MeUser = MeQuery['me'];
type MeOrganization = MeUser['memberships'][number]['organization'];

/** Who is signed in: the user, the role their token carries, and that role's organization (none for a patient). */
export interface Me {
  user: Pick<MeUser, 'id' | 'email' | 'displayName'>;
  role: Role;
  organization: MeOrganization | null;
}

export type SessionState =
  | { status: 'signed-out'; error: ApiError | null }
  | { status: 'loading' }
  | { status: 'signed-in'; me: Me };

interface SessionValue {
  state: SessionState;
  /** Starts a session with a token (from the development sign-in or the identity provider). */
  signIn: (token: string) => void;
  signOut: () => void;
}

const SessionContext = createContext<SessionValue | null>(null);

async function loadMe(token: string): Promise<Me> {
  const claims = claimsOf(token);
  if (!claims) throw new ApiError({ message: 'The token could not be read', extensions: { code: 'UNAUTHENTICATED' } });
  const { data } = await request(MeDocument);
  const membership = data.me.memberships.find((each) => each.active && each.role === claims.role && each.organization.id === claims.organizationId);
  return {
    user: { id: data.me.id, email: data.me.email, displayName: data.me.displayName },
    role: claims.role as Role,
    organization: membership?.organization ?? null,
  };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(currentToken);
  const [state, setState] = useState<SessionState>(() => (token ? { status: 'loading' } : { status: 'signed-out', error: null }));

  useEffect(() => onTokenChange(setToken), []);
  useEffect(() => {
    if (!token) {
      setState((previous) => (previous.status === 'signed-out' ? previous : { status: 'signed-out', error: null }));
      return;
    }
    let current = true;
    setState({ status: 'loading' });
    loadMe(token).then(
      (me) => current && setState({ status: 'signed-in', me }),
      (error: unknown) => {
        if (!current) return;
        storeToken(null);
        setState({ status: 'signed-out', error: error instanceof ApiError ? error : new ApiError({ message: String(error) }) });
      },
    );
    return () => {
      current = false;
    };
  }, [token]);

  const signIn = useCallback((next: string) => storeToken(next), []);
  const signOut = useCallback(() => storeToken(null), []);
  return <SessionContext value={{ state, signIn, signOut }}>{children}</SessionContext>;
}

function useSessionValue(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user (for pages under a signed-in route) and signOut(). */
export function useSession(): { me: Me; signOut: () => void } {
  const { state, signOut } = useSessionValue();
  if (state.status !== 'signed-in') throw new Error('useSession is for pages shown to a signed-in user');
  return { me: state.me, signOut };
}

/** The session in any state, for the shell itself (sign-in page, route guard). */
export function useSessionState(): SessionValue {
  return useSessionValue();
}
