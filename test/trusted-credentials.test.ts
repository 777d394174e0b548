import { createPublicKey } from 'node:crypto';
import { TokenVerifier } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { SourceAuthenticator } from '../src/auth/source-authenticator';
import { TrustedCredentials } from '../src/auth/trusted-credentials';
import { createLogger } from '../src/logger';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import { MeDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { until } from './helpers/workers';
import { TcpProxy } from './helpers/tcp-proxy';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Verified tokens are trusted without checking the database again until they expire or the TTL
 * ends, but only while the process hears about changes: any change to a user or membership
 * withdraws all trust at once, so a suspension is refused within a second, not a TTL.
 */
let h: Harness;
let world: World;
let clock: number;
let credentials: TrustedCredentials;
const ttlSeconds = 300;
const logger = createLogger('silent');

beforeAll(async () => {
  h = await startHarness({ JWT_CLOCK_TOLERANCE_SECONDS: '0' });
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

const verifier = () => new TokenVerifier(h.config, createPublicKey(h.privateKey));

beforeEach(async () => {
  clock = Date.now();
  credentials = new TrustedCredentials(h.orm, verifier(), { ttlSeconds, now: () => clock });
  credentials.listen(h.config.DATABASE_URL, logger, { reconnectDelayMs: 50 });
  await credentials.whenListening();
});
afterEach(() => credentials.stop());

const labMembership = () => ({ user: world.claims[Role.LAB].userId, organization: world.claims[Role.LAB].organizationId!, role: Role.LAB });
const setLabActive = (active: boolean) => h.orm.em.fork().nativeUpdate(Membership, labMembership(), { active });
const labToken = async () => `Bearer ${await h.token(world.claims[Role.LAB])}`;

/** Statements `run` sends to the database. */
async function statementsOf(run: () => Promise<unknown>): Promise<number> {
  h.sqlStatements.length = 0;
  await run();
  return h.sqlStatements.length;
}

/** How long until `holds` holds, polled for at most 3 s (Infinity if it never does). */
async function millisecondsUntil(holds: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  return (await until(holds, (held) => held, 3000)) ? Date.now() - started : Infinity;
}

it('checks a token once, then trusts it without a statement until the TTL ends', async () => {
  const token = await labToken();
  expect(await statementsOf(() => credentials.userOf(token))).toBeGreaterThan(0);
  expect(await statementsOf(() => credentials.userOf(token))).toBe(0);
  clock += ttlSeconds * 1000 + 1;
  expect(await statementsOf(() => credentials.userOf(token))).toBeGreaterThan(0);
});

it('refuses a suspended membership within a second, however long the TTL', async () => {
  const token = await labToken();
  expect(await credentials.userOf(token)).toMatchObject({ organizationId: world.claims[Role.LAB].organizationId });
  try {
    await setLabActive(false);
    const refusedIn = await millisecondsUntil(async () => (await credentials.userOf(token).catch(() => null)) === null);
    expect(refusedIn).toBeLessThan(1000);
  } finally {
    await setLabActive(true);
  }
});

it('trusts nothing while it does not hear about changes: not yet listening, or the connection lost', async () => {
  const deaf = new TrustedCredentials(h.orm, verifier(), { ttlSeconds });
  const token = await labToken();
  await deaf.userOf(token);
  expect(await statementsOf(() => deaf.userOf(token))).toBeGreaterThan(0);

  await credentials.userOf(token);
  expect(await statementsOf(() => credentials.userOf(token))).toBe(0);
  await h.orm.em.getConnection().execute(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'carebridge-credentials' and datname = current_database()`);
  const untrustedIn = await millisecondsUntil(async () => (await statementsOf(() => credentials.userOf(token))) > 0);
  expect(untrustedIn).toBeLessThan(1000);
  // Once it listens again, checked tokens are trusted again.
  await credentials.whenListening();
  await credentials.userOf(token);
  expect(await statementsOf(() => credentials.userOf(token))).toBe(0);
});

it('trusts nothing once its connection goes silent (a partition resets nothing), within a second', async () => {
  const proxy = await TcpProxy.start(Number(new URL(h.config.DATABASE_URL).port || 5432));
  const throughProxy = new URL(h.config.DATABASE_URL);
  throughProxy.port = String(proxy.port);
  const partitioned = new TrustedCredentials(h.orm, verifier(), { ttlSeconds });
  partitioned.listen(throughProxy.toString(), logger, { reconnectDelayMs: 50, heartbeatMs: 200 });
  try {
    await partitioned.whenListening();
    const token = await labToken();
    await partitioned.userOf(token);
    expect(await statementsOf(() => partitioned.userOf(token))).toBe(0);
    proxy.freeze();
    const untrustedIn = await millisecondsUntil(async () => (await statementsOf(() => partitioned.userOf(token))) > 0);
    expect(untrustedIn).toBeLessThan(1000);
  } finally {
    await proxy.close();
    await partitioned.stop();
  }
});

it('keeps no refusal: access mended counts at once', async () => {
  const token = await labToken();
  await setLabActive(false);
  try {
    await expect(credentials.userOf(token)).rejects.toThrow(/no active user/);
  } finally {
    await setLabActive(true);
  }
  expect(await credentials.userOf(token)).toMatchObject({ role: Role.LAB });
});

it('trusts no token past its expiry, however long the TTL', async () => {
  const token = `Bearer ${await h.token(world.claims[Role.LAB], '1s')}`;
  expect(await credentials.userOf(token)).toMatchObject({ role: Role.LAB });
  clock += 1100;
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await expect(credentials.userOf(token)).rejects.toThrow('The token has expired');
});

it('lets ingest sources check their role on every message', async () => {
  const sources = new SourceAuthenticator(credentials);
  const token = await labToken();
  expect(await sources.authenticate(token, Role.LAB, 'labs only')).toEqual({ organizationId: world.claims[Role.LAB].organizationId });
  expect(await sources.authenticate(token, Role.PCP, 'Only a primary-care source sends FHIR records')).toEqual({
    refused: 403,
    reason: 'Only a primary-care source sends FHIR records',
  });
});

it('is what the API uses for GraphQL and the ingest routes: a suspension is refused within a second on both', async () => {
  const token = await labToken();
  const send = async (controlId: string) => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/ingest/hl7',
      headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: token },
      payload: `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01|${controlId}|P|2.5.1\rPID|1||L-1^^^REGLAB^MR||Doe^Jo\rOBR|1|O1|F1|2823-3^Potassium^LN|||20261201070000|||||||||||||||20261201080000|||F\rOBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||F`,
    });
    return response.statusCode;
  };
  const me = async () => (await h.graphql(MeDocument, {}, token.slice('Bearer '.length))).errors?.[0]?.extensions?.code ?? 'OK';
  expect(await send('TRUSTED-1')).toBe(200);
  expect(await me()).toBe('OK');
  let sent = 2;
  try {
    await setLabActive(false);
    expect(await millisecondsUntil(async () => (await send(`TRUSTED-${sent++}`)) === 401)).toBeLessThan(1000);
    expect(await me()).toBe('UNAUTHENTICATED');
  } finally {
    await setLabActive(true);
  }
});

describe('me, answered from the trusted credentials', () => {
  let second: SecondProgram;
  beforeAll(async () => {
    second = await addSecondProgram(h.orm.em.fork(), world);
  });

  const me = async (claims: typeof second.clinician) => {
    const result = await h.graphql(MeDocument, {}, await h.token(claims));
    expect(result.errors).toBeUndefined();
    return result.data!.me;
  };

  /** `me` as the database has it now, read the way `me` read it before it was kept with the credentials. */
  async function meFromDatabase(userId: string) {
    const em = h.orm.em.fork();
    const user = await em.findOneOrFail(User, userId);
    const memberships = await em.find(Membership, { user: userId }, { populate: ['organization'], orderBy: { createdAt: 'asc', id: 'asc' } });
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      memberships: memberships.map((each) => ({
        id: each.id,
        role: each.role,
        active: each.active,
        organization: { id: each.organization.id, name: each.organization.name, kind: each.organization.kind },
      })),
    };
  }

  it('sends no statement once the token is trusted, and answers what the database holds', async () => {
    const token = await h.token(second.clinician);
    await h.graphql(MeDocument, {}, token);
    const answers: unknown[] = [];
    expect(await statementsOf(async () => answers.push((await h.graphql(MeDocument, {}, token)).data?.me))).toBe(0);
    expect(answers[0]).toEqual(await meFromDatabase(second.clinician.userId));
  });

  it('shows a change to the user, a membership added and an organization renamed within a second', async () => {
    const userId = second.clinician.userId;
    await me(second.clinician);
    const shows = async (holds: (answer: Awaited<ReturnType<typeof me>>) => boolean) => millisecondsUntil(async () => holds(await me(second.clinician)));

    await h.orm.em.fork().nativeUpdate(User, { id: userId }, { displayName: 'Renamed Clinician' });
    expect(await shows((answer) => answer.displayName === 'Renamed Clinician')).toBeLessThan(1000);

    const em = h.orm.em.fork();
    await em.persist(new Membership(em.getReference(User, userId), em.getReference(Organization, world.iopId), Role.IOP_CLINICIAN)).flush();
    expect(await shows((answer) => answer.memberships.some((each) => each.organization.id === world.iopId))).toBeLessThan(1000);

    await h.orm.em.fork().nativeUpdate(Organization, { id: second.iopId }, { name: 'Second Harbor, renamed' });
    expect(await shows((answer) => answer.memberships.some((each) => each.organization.name === 'Second Harbor, renamed'))).toBeLessThan(1000);
    expect(await me(second.clinician)).toEqual(await meFromDatabase(userId));
  });

  it("answers a burst of two programs' users each with their own account, and every answer after a change shows it", async () => {
    const users = [world.claims[Role.IOP_CLINICIAN], second.admin];
    const tokens = await Promise.all(users.map((claims) => h.token(claims)));
    const burst = () => Promise.all(Array.from({ length: 40 }, (_, index) => h.graphql(MeDocument, {}, tokens[index % 2])));
    for (const [index, answer] of (await burst()).entries()) expect(answer.data?.me.id).toBe(users[index % 2].userId);

    await h.orm.em.fork().nativeUpdate(User, { id: second.admin.userId }, { displayName: 'Second Admin, renamed' });
    await until(async () => (await me(second.admin)).displayName, (name) => name === 'Second Admin, renamed', 3000);
    const after = await burst();
    expect(after.filter((answer, index) => index % 2 === 1).map((answer) => answer.data?.me.displayName)).toEqual(Array(20).fill('Second Admin, renamed'));
    expect(after.filter((answer, index) => index % 2 === 0).map((answer) => answer.data?.me)).toEqual(Array(20).fill(await meFromDatabase(users[0].userId)));
  });
});
