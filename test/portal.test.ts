import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoIfEmpty } from '../src/db/seed';
import { MeDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';

/** A stand-in for the built portal (dist/web): an index.html and one hashed asset. */
function fakePortalBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'carebridge-portal-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>CareBridge</title><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  return dir;
}

describe('development sign-in (not production, local signing key)', () => {
  let h: Harness;
  const portalDir = fakePortalBuild();

  beforeAll(async () => {
    h = await startHarness({ PORTAL_DIR: portalDir });
    await seedDemoIfEmpty(h.orm.em.fork());
  });
  afterAll(async () => {
    await h?.close();
    rmSync(portalDir, { recursive: true, force: true });
  });

  test('lists the demo users and signs a token for the one picked, which the API accepts', async () => {
    const listing = await h.app.inject({ method: 'GET', url: '/auth/dev-users' });
    expect(listing.statusCode).toBe(200);
    const { users } = listing.json<{ users: { userId: string; email: string; role: string; organizationId: string | null; label: string }[] }>();
    expect(users.map((user) => user.email)).toEqual(expect.arrayContaining(['pcp@maple-fm.example', 'pharmacist@corner-rx.example', 'avery.demo@patients.example']));
    const pcp = users.find((user) => user.email === 'pcp@maple-fm.example')!;
    expect(pcp).toMatchObject({ role: 'PCP', label: 'PCP (Dr. Morgan Primary, Maple Street Family Medicine)' });

    const issued = await h.app.inject({ method: 'POST', url: '/auth/dev-token', payload: { userId: pcp.userId, role: pcp.role, organizationId: pcp.organizationId } });
    expect(issued.statusCode).toBe(200);
    const me = await h.graphql(MeDocument, {}, issued.json<{ token: string }>().token);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me.email).toBe('pcp@maple-fm.example');
  });

  test('refuses a malformed request (400) and a user without that role (404)', async () => {
    const { users } = (await h.app.inject({ method: 'GET', url: '/auth/dev-users' })).json<{ users: { userId: string; email: string }[] }>();
    const pcp = users.find((user) => user.email === 'pcp@maple-fm.example')!;
    expect((await h.app.inject({ method: 'POST', url: '/auth/dev-token', payload: { userId: 'nope', role: 'PCP' } })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'POST', url: '/auth/dev-token', payload: { userId: pcp.userId, role: 'GOD' } })).statusCode).toBe(400);
    const wrongRole = await h.app.inject({ method: 'POST', url: '/auth/dev-token', payload: { userId: pcp.userId, role: 'ADMIN', organizationId: null } });
    expect(wrongRole.statusCode).toBe(404);
  });

  test('the portal says development sign-in is on', async () => {
    const settings = await h.app.inject({ method: 'GET', url: '/app/config.json' });
    expect(settings.json()).toEqual({ developmentSignIn: true, oidc: null });
  });

  test('serves the portal at /app/ with a self-only CSP, index.html uncached, hashed assets immutable, and index.html for client routes', async () => {
    const index = await h.app.inject({ method: 'GET', url: '/app/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<div id="root">');
    expect(index.headers['cache-control']).toBe('no-cache');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);

    const asset = await h.app.inject({ method: 'GET', url: '/app/assets/index-AbC123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const clientRoute = await h.app.inject({ method: 'GET', url: '/app/patients/123' });
    expect(clientRoute.statusCode).toBe(200);
    expect(clientRoute.body).toContain('<div id="root">');
    expect(clientRoute.headers['cache-control']).toBe('no-cache');
    expect(clientRoute.headers['content-security-policy']).toBe(csp);

    expect((await h.app.inject({ method: 'GET', url: '/app/assets/index-Gone99.js' })).statusCode).toBe(404);
    const bare = await h.app.inject({ method: 'GET', url: '/app' });
    expect([bare.statusCode, bare.headers.location]).toEqual([302, '/app/']);
  });
});

describe.each([
  ['in production', { NODE_ENV: 'production' }],
  ['with an identity provider (JWT_JWKS_URL)', { JWT_JWKS_URL: 'https://idp.example/jwks' }],
])('development sign-in %s', (_, env) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(env);
    await seedDemoIfEmpty(h.orm.em.fork());
  });
  afterAll(async () => h?.close());

  test('does not exist', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/auth/dev-users' })).statusCode).toBe(404);
    const [admin] = await h.orm.em.fork().getConnection().execute<{ id: string }[]>("select user_id as id from membership where role = 'ADMIN' limit 1");
    const attempt = await h.app.inject({ method: 'POST', url: '/auth/dev-token', payload: { userId: admin.id, role: 'ADMIN' } });
    expect(attempt.statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/app/config.json' })).json()).toMatchObject({ developmentSignIn: false });
  });
});

test('without a built portal, /app/ says how to build it', async () => {
  const h = await startHarness({ PORTAL_DIR: join(tmpdir(), 'carebridge-no-portal-here') });
  try {
    const response = await h.app.inject({ method: 'GET', url: '/app/pcp' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
  } finally {
    await h.close();
  }
});
