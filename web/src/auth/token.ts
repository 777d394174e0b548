/**
 * The signed-in user's bearer token, kept in sessionStorage: it lasts as long as the tab and is
 * gone when the tab closes. GraphiQL (/graphiql) reads the same key.
 */
export const tokenStorageKey = 'carebridge.token';

type Listener = (token: string | null) => void;
const listeners = new Set<Listener>();

export function currentToken(): string | null {
  return sessionStorage.getItem(tokenStorageKey);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(tokenStorageKey, token);
  else sessionStorage.removeItem(tokenStorageKey);
  listeners.forEach((listener) => listener(token));
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What the token says about its holder (not verified here: the API verifies every request). */
export interface TokenClaims {
  userId: string;
  role: string;
  organizationId: string | null;
  expiresAt: number;
}

export function claimsOf(token: string): TokenClaims | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as { sub?: unknown; role?: unknown; org?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string' || typeof claims.exp !== 'number') return null;
    return { userId: claims.sub, role: claims.role, organizationId: typeof claims.org === 'string' ? claims.org : null, expiresAt: claims.exp * 1000 };
  } catch {
    return null;
  }
}
