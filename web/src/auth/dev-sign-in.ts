/** A demo user the development sign-in offers (GET /auth/dev-users, src/portal/dev-sign-in.ts). */
export interface DevUser {
  userId: string;
  email: string;
  displayName: string;
  role: string;
  organizationId: string | null;
  label: string;
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `The server answered ${response.status}`);
  return body;
}

export async function listDevUsers(): Promise<DevUser[]> {
  return (await json<{ users: DevUser[] }>(await fetch('/auth/dev-users'))).users;
}

export async function devToken(user: Pick<DevUser, 'userId' | 'role' | 'organizationId'>): Promise<string> {
  const response = await fetch('/auth/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: user.userId, role: user.role, organizationId: user.organizationId }),
  });
  return (await json<{ token: string }>(response)).token;
}
