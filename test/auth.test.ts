import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportJWK, jwtVerify, SignJWT } from 'jose';
import { Role } from '../src/auth/roles';
import { signToken, TokenVerifier, verificationKeyFrom } from '../src/auth/jwt';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { CreateOrganizationDocument, MeDocument, SetMembershipActiveDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

const createOrganization = { input: { name: 'Should Not Exist', kind: 'LAB' as const } };

async function organizationCount(): Promise<number> {
  return h.orm.em.fork().count(Organization, { name: 'Should Not Exist' });
}

describe('authentication', () => {
  it('answers a valid token with the user, role and organization it names', async () => {
    const result = await h.graphql(MeDocument, {}, await h.token(world.claims[Role.PCP]));
    expect(result.errors).toBeUndefined();
    expect(result.data?.me.id).toBe(world.claims[Role.PCP].userId);
    expect(result.data?.me.memberships).toEqual([
      expect.objectContaining({ role: 'PCP', active: true, organization: expect.objectContaining({ kind: 'PRIMARY_CARE' }) }),
    ]);
  });

  it('refuses an operation that needs a user when no token is sent, with UNAUTHENTICATED', async () => {
    const result = await h.graphql(CreateOrganizationDocument, createOrganization);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await organizationCount()).toBe(0);
  });

  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const badTokens: [string, () => Promise<string>, RegExp][] = [
    ['expired', () => h.token(world.claims[Role.ADMIN], Math.floor(Date.now() / 1000) - 60), /expired/],
    ['signed by another key', () => signToken(h.config, otherKey, world.claims[Role.ADMIN]), /not valid/],
    ['for another audience', () => signToken({ ...h.config, JWT_AUDIENCE: 'someone-else' }, h.privateKey, world.claims[Role.ADMIN]), /not valid/],
    ['from another issuer', () => signToken({ ...h.config, JWT_ISSUER: 'evil' }, h.privateKey, world.claims[Role.ADMIN]), /not valid/],
    [
      'signed with an algorithm not on the allow-list (HS256)',
      () =>
        new SignJWT({ role: 'ADMIN', org: world.iopId })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(world.claims[Role.ADMIN].userId)
          .setIssuer(h.config.JWT_ISSUER)
          .setAudience(h.config.JWT_AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!')),
      /not valid/,
    ],
    ['unsigned (alg none)', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: world.claims[Role.ADMIN].userId, role: 'ADMIN' })).toString('base64url')}.`, /not valid|Bearer/],
    ['with an unknown role', () => signToken(h.config, h.privateKey, { ...world.claims[Role.ADMIN], role: 'ROOT' as Role }), /role/],
    ['naming a user that does not exist', () => signToken(h.config, h.privateKey, { ...world.claims[Role.ADMIN], userId: '00000000-0000-4000-8000-000000000000' }), /no active user/],
    ['claiming a role the user does not hold', () => signToken(h.config, h.privateKey, { ...world.claims[Role.PCP], role: Role.ADMIN }), /no active user with an active membership/],
  ];

  it.each(badTokens)('refuses a token %s with HTTP 401 UNAUTHENTICATED and changes nothing', async (_label, makeToken, message) => {
    const result = await h.graphql(CreateOrganizationDocument, createOrganization, await makeToken());
    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0].message).toMatch(message);
    expect(result.data ?? null).toBeNull();
    expect(await organizationCount()).toBe(0);
  });

  it('refuses a malformed Authorization header with 401', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      payload: { query: '{ me { id } }' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('stops honouring a token within a second of its membership being suspended', async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const therapistToken = await h.token(world.therapist);
    expect((await h.graphql(MeDocument, {}, therapistToken)).status).toBe(200);
    const membership = await h.orm.em.fork().findOneOrFail(Membership, { user: world.therapist.userId });
    const suspended = await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: false }, admin);
    expect(suspended.data?.setMembershipActive.membership.active).toBe(false);
    // Trusted tokens are forgotten when the change's notification arrives, within milliseconds.
    const started = Date.now();
    while ((await h.graphql(MeDocument, {}, therapistToken)).status !== 401) {
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: true }, admin);
    expect((await h.graphql(MeDocument, {}, therapistToken)).status).toBe(200);
  });
});

describe('roles (authChecker)', () => {
  it('refuses a mutation to a role that may not run it with FORBIDDEN, changing nothing', async () => {
    const result = await h.graphql(CreateOrganizationDocument, createOrganization, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await organizationCount()).toBe(0);
  });

  it('lets an admin create an organization', async () => {
    const result = await h.graphql(
      CreateOrganizationDocument,
      { input: { name: 'Second Lab', kind: 'LAB' } },
      await h.token(world.claims[Role.ADMIN]),
    );
    expect(result.data?.createOrganization.organization).toMatchObject({ name: 'Second Lab', kind: 'LAB' });
  });
});

describe('npm run dev:token', () => {
  it('prints a token signed with the local key for the user holding that role in that organization', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const folder = mkdtempSync(join(tmpdir(), 'carebridge-keys-'));
    const privateFile = join(folder, 'private.pem');
    const publicFile = join(folder, 'public.pem');
    writeFileSync(privateFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(publicFile, keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const pcp = world.claims[Role.PCP];
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '-s', 'dev:token', '--', '--role', 'PCP', '--org', pcp.organizationId!],
      { env: { ...process.env, DATABASE_URL: h.config.DATABASE_URL, JWT_PRIVATE_KEY_FILE: privateFile, JWT_PUBLIC_KEY_FILE: publicFile } },
    );
    const { payload } = await jwtVerify(stdout.trim(), keys.publicKey, { issuer: h.config.JWT_ISSUER, audience: h.config.JWT_AUDIENCE });
    expect(payload).toMatchObject({ sub: pcp.userId, role: 'PCP', org: pcp.organizationId });
    const me = await h.graphql(MeDocument, {}, await signToken(h.config, h.privateKey, { userId: String(payload.sub), role: Role.PCP, organizationId: String(payload.org) }));
    expect(me.data?.me.id).toBe(pcp.userId);
  });
});

describe('keys from an identity provider (JWKS URL)', () => {
  it('verifies tokens signed by a key the JWKS publishes, and refuses others', async () => {
    const provider = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(await exportJWK(provider.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const settings = { ...h.config, JWT_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` };
      const verifier = new TokenVerifier(settings, verificationKeyFrom(settings));
      const claims = world.claims[Role.PCP];
      const signed = await new SignJWT({ role: claims.role, org: claims.organizationId })
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
        .setSubject(claims.userId)
        .setIssuer(h.config.JWT_ISSUER)
        .setAudience(h.config.JWT_AUDIENCE)
        .setExpirationTime('5m')
        .sign(provider.privateKey);
      await expect(verifier.verify(signed)).resolves.toEqual(claims);
      await expect(verifier.verify(await signToken(h.config, h.privateKey, claims))).rejects.toThrow('The token is not valid');
    } finally {
      server.close();
    }
  });
});
