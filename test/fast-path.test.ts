import { createPublicKey } from 'node:crypto';
import { buildApp, type App } from '../src/app';
import { TokenVerifier } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import { MeDocument, PatientDocument, PatientViewDocument } from './generated/graphql';
import { addClinicalRecords } from './helpers/clinical-data';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * The fast path (graphql/fast-path.ts) against Apollo: the same corpus of requests sent to the
 * app with the fast path and to one without it (GRAPHQL_FAST_PATH=false), on the same database,
 * must get the same status, headers and body, and write the same audit rows.
 */

let h: Harness;
let apolloOnly: App;
let world: World;
let second: SecondProgram;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({ NODE_ENV: 'production', GRAPHQL_MAX_DEPTH: '7', GRAPHQL_MAX_COMPLEXITY: '300' });
  apolloOnly = await buildApp({
    config: { ...h.config, GRAPHQL_FAST_PATH: false },
    orm: h.orm,
    redis: h.redis,
    queues: h.queues,
    logger: h.logger,
    verifier: new TokenVerifier(h.config, createPublicKey(h.privateKey)),
  });
  await apolloOnly.ready();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  const ids = { programId: world.iopId, pharmacyId: world.claims[Role.PHARMACIST].organizationId!, clinicianId: world.claims[Role.IOP_CLINICIAN].userId };
  await addClinicalRecords(h.orm.em, { ...ids, patientId: world.patients[0].id }, 24);
  await addClinicalRecords(h.orm.em, { ...ids, patientId: world.patients[1].id }, 12);
  // The practice may see the first patient's demographics and diagnoses, not the second's.
  await signConsent(h, world, await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'DIAGNOSES'] }));
  tokens.clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  tokens.secondClinician = await h.token(second.clinician);
  tokens.pcp = await h.token(world.claims[Role.PCP]);
  tokens.admin = await h.token(world.claims[Role.ADMIN]);
  tokens.expired = await h.token(world.claims[Role.IOP_CLINICIAN], Math.floor(Date.now() / 1000) - 60);
  tokens.suspended = await h.token(world.therapist);
  await h.orm.em.fork().nativeUpdate(Membership, { user: world.therapist.userId }, { active: false });
});
afterAll(async () => {
  await apolloOnly.close();
  await h.close();
});

interface Sent {
  method?: 'GET' | 'POST';
  url?: string;
  headers?: Record<string, string>;
  token?: keyof typeof tokens;
  payload?: unknown;
}

const view = PatientViewDocument.toString();
const typename = { query: '{ __typename }' };
const diagnoses = 'query Diagnoses($id: ID!) { patient(id: $id) { id diagnoses { icd10Code } } }';
const twoOperations = 'query First { __typename } query Second { me { id } }';

/** Requests the fast path may answer once Apollo has answered their query cleanly. */
const fastCorpus: [string, Sent][] = [
  ['{ __typename } without a token', { payload: typename }],
  ['{ __typename } with a token', { token: 'clinician', payload: typename }],
  ['{ __typename } with variables null and a charset', { token: 'clinician', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: { ...typename, variables: null } }],
  ['me', { token: 'clinician', payload: { query: MeDocument.toString() } }],
  ['me, another program', { token: 'secondClinician', payload: { query: MeDocument.toString(), variables: {} } }],
  ['me, operation named', { token: 'admin', payload: { query: MeDocument.toString(), operationName: 'Me' } }],
  ['one of two operations', { token: 'pcp', payload: { query: twoOperations, operationName: 'Second' } }],
  ['the patient view, own program', { token: 'clinician', payload: { query: view, variables: { id: () => world.patients[0].id } } }],
  ['the patient view, the shared patient from the second program', { token: 'secondClinician', payload: { query: view, variables: { id: () => second.sharedPatientId } } }],
  ['the patient view, the second program\'s own patient', { token: 'secondClinician', payload: { query: view, variables: { id: () => second.ownPatientId } } }],
  ['the practice, with consent', { token: 'pcp', payload: { query: PatientDocument.toString(), variables: { id: () => world.patients[0].id } } }],
  ['the practice, diagnoses with SUD withheld', { token: 'pcp', payload: { query: diagnoses, variables: { id: () => world.patients[0].id } } }],
  ['accepting application/graphql-response+json', { token: 'clinician', headers: { accept: 'application/graphql-response+json' }, payload: typename }],
  ['accepting anything', { token: 'clinician', headers: { accept: '*/*' }, payload: { query: MeDocument.toString() } }],
];

/** Requests Apollo answers, each as it always has. */
const apolloCorpus: [string, Sent][] = [
  ['an expired token', { token: 'expired', payload: typename }],
  ['an expired token, me', { token: 'expired', payload: { query: MeDocument.toString() } }],
  ['a suspended membership', { token: 'suspended', payload: { query: MeDocument.toString() } }],
  ['a malformed Authorization header', { headers: { authorization: 'Basic dXNlcjpwYXNz' }, payload: typename }],
  ['me without a token', { payload: { query: MeDocument.toString() } }],
  ['the patient view of another program\'s patient', { token: 'secondClinician', payload: { query: view, variables: { id: () => world.patients[1].id } } }],
  ['the practice, without consent', { token: 'pcp', payload: { query: PatientDocument.toString(), variables: { id: () => world.patients[1].id } } }],
  ['variables of the wrong type', { token: 'clinician', payload: { query: view, variables: { id: 5 } } }],
  ['a variable missing', { token: 'clinician', payload: { query: view, variables: {} } }],
  ['an unknown operation name', { token: 'clinician', payload: { query: twoOperations, operationName: 'Third' } }],
  ['no operation name for two operations', { token: 'clinician', payload: { query: twoOperations } }],
  ['too deep', { token: 'admin', payload: { query: '{ patients { edges { node { enrollments { careTeam { user { memberships { organization { id } } } } } } } } }' } }],
  ['too costly', { token: 'admin', payload: { query: '{ patients(first: 100) { edges { node { id givenName familyName birthDate } } } }' } }],
  ['a syntax error', { token: 'clinician', payload: { query: '{ me { id ' } }],
  ['an unknown field', { token: 'clinician', payload: { query: '{ me { idd } }' } }],
  ['introspection in production', { token: 'clinician', payload: { query: '{ __schema { queryType { name } } }' } }],
  ['a CSRF suspect: text/plain', { token: 'clinician', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(typename) }],
  ['text/plain with a preflight header', { token: 'clinician', headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }, payload: JSON.stringify(typename) }],
  ['a GET without a preflight header', { method: 'GET', url: '/graphql?query=%7B__typename%7D', token: 'clinician' }],
  ['a GET with a preflight header', { method: 'GET', url: '/graphql?query=%7B__typename%7D', token: 'clinician', headers: { 'apollo-require-preflight': 'true' } }],
  ['a batch', { token: 'clinician', payload: [typename, typename] }],
  ['extensions', { token: 'clinician', payload: { ...typename, extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } } }],
  ['a key Apollo ignores', { token: 'clinician', payload: { ...typename, id: 'x' } }],
  ['variables as a string', { token: 'clinician', payload: { ...typename, variables: '{}' } }],
  ['an Accept header it cannot serve', { token: 'clinician', headers: { accept: 'text/html' }, payload: typename }],
  ['a mutation refused', { token: 'clinician', payload: { query: 'mutation { createOrganization(input: { name: "Nope", kind: LAB }) { organization { id } } }' } }],
];

/** The request with its variables filled in (patients exist only once the world is seeded). */
function resolved(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || !('variables' in payload)) return payload;
  const { variables } = payload;
  if (typeof variables !== 'object' || variables === null) return payload;
  return { ...payload, variables: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, typeof value === 'function' ? (value as () => unknown)() : value])) };
}

async function send(app: App, sent: Sent, requestId: string) {
  const response = await app.inject({
    method: sent.method ?? 'POST',
    url: sent.url ?? '/graphql',
    headers: {
      ...(sent.method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...(sent.token ? { authorization: `Bearer ${tokens[sent.token]}` } : {}),
      'x-request-id': requestId,
      ...sent.headers,
    },
    ...(sent.payload === undefined ? {} : { payload: typeof sent.payload === 'string' ? sent.payload : JSON.stringify(resolved(sent.payload)) }),
  });
  const { date: _date, ...headers } = response.headers;
  return { status: response.statusCode, headers, body: response.body };
}

async function auditRows(requestId: string) {
  const rows = await h.orm.em.fork().find(AuditEvent, { requestId }, { orderBy: { patientId: 'asc' } });
  return rows.map(({ userId, role, organizationId, patientId, categories, purpose, consentId, operation }) => ({ userId, role, organizationId, patientId, categories, purpose, consentId, operation }));
}

async function answersBy(path: 'fast' | 'remembered'): Promise<number> {
  const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
  return Number(new RegExp(`^graphql_requests_total\\{path="${path}"\\} (\\d+)`, 'm').exec(metrics.body)?.[1] ?? 0);
}

/** Answers by the fast path, executed or remembered. */
async function fastAnswers(): Promise<number> {
  return (await answersBy('fast')) + (await answersBy('remembered'));
}

/**
 * Sends `sent` three times to each app in turn and compares every pair of answers and audit
 * rows; returns how many the fast path answered.
 */
async function compare(label: string, sent: Sent): Promise<number> {
  const before = await fastAnswers();
  for (let round = 0; round < 3; round++) {
    const id = `${label.replace(/[^A-Za-z0-9]+/g, '-')}-${round}`.slice(0, 90);
    const withFastPath = await send(h.app, sent, `f-${id}`);
    const withApollo = await send(apolloOnly, sent, `a-${id}`);
    expect([label, round, withFastPath]).toEqual([label, round, withApollo]);
    expect([label, round, await auditRows(`f-${id}`)]).toEqual([label, round, await auditRows(`a-${id}`)]);
  }
  return (await fastAnswers()) - before;
}

describe('the fast path answers as Apollo does', () => {
  it.each(fastCorpus)('%s: the same answer and audit rows, from the second time on by the fast path', async (label, sent) => {
    expect(await compare(label, sent)).toBeGreaterThanOrEqual(2);
  });

  it.each(apolloCorpus)('%s: left to Apollo, the same answer and audit rows', async (label, sent) => {
    expect(await compare(label, sent)).toBe(0);
  });

  it('writes the audit rows of a fast answer before the answer leaves', async () => {
    const sent: Sent = { token: 'clinician', payload: { query: PatientDocument.toString(), variables: { id: world.patients[2].id } } };
    await send(h.app, sent, 'f-teach');
    const before = await fastAnswers();
    const answer = await send(h.app, sent, 'f-audited');
    expect(await fastAnswers()).toBe(before + 1);
    expect(JSON.parse(answer.body)).toMatchObject({ data: { patient: { id: world.patients[2].id } } });
    expect(await auditRows('f-audited')).toEqual([expect.objectContaining({ patientId: world.patients[2].id, operation: 'query Patient', role: 'IOP_CLINICIAN' })]);
  });

  it('refuses a known query the moment a membership is suspended', async () => {
    const sent: Sent = { token: 'secondClinician', payload: { query: MeDocument.toString() } };
    expect((await send(h.app, sent, 'f-before-suspension')).status).toBe(200);
    await h.orm.em.fork().nativeUpdate(Membership, { user: second.clinician.userId }, { active: false });
    try {
      const started = Date.now();
      while ((await send(h.app, sent, 'f-suspended')).status !== 401) {
        expect(Date.now() - started).toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      await h.orm.em.fork().nativeUpdate(Membership, { user: second.clinician.userId }, { active: true });
    }
  });

  it('sends me again to the same sign-in without executing it, and answers afresh within a second of a change to the user', async () => {
    const sent: Sent = { token: 'admin', payload: { query: MeDocument.toString() } };
    await send(h.app, sent, 'f-me-teach');
    await send(h.app, sent, 'f-me-first');
    const remembered = await answersBy('remembered');
    const again = await send(h.app, sent, 'f-me-again');
    expect(await answersBy('remembered')).toBe(remembered + 1);
    expect(again).toEqual(await send(apolloOnly, sent, 'a-me-again'));
    const adminId = world.claims[Role.ADMIN].userId;
    const { displayName } = await h.orm.em.fork().findOneOrFail(User, adminId);
    await h.orm.em.fork().nativeUpdate(User, { id: adminId }, { displayName: 'Renamed Admin' });
    try {
      const started = Date.now();
      while ((JSON.parse((await send(h.app, sent, 'f-me-renamed')).body) as { data: { me: { displayName: string } } }).data.me.displayName !== 'Renamed Admin') {
        expect(Date.now() - started).toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await send(h.app, sent, 'f-me-renamed-again')).toEqual(await send(apolloOnly, sent, 'a-me-renamed'));
    } finally {
      await h.orm.em.fork().nativeUpdate(User, { id: adminId }, { displayName });
    }
  });

  it('never sends again an answer from the credentials that read the database or named a patient', async () => {
    const readsDatabase: Sent = { token: 'admin', payload: { query: '{ me { id memberships { organization { id identifierSystems } } } }' } };
    const withPatient: Sent = { token: 'clinician', payload: { query: `{ me { id } patient(id: "${world.patients[0].id}") { id } }` } };
    const remembered = await answersBy('remembered');
    expect(await compare('me reading identifier systems', readsDatabase)).toBeGreaterThanOrEqual(2);
    expect(await compare('me beside a patient', withPatient)).toBeGreaterThanOrEqual(2);
    expect(await answersBy('remembered')).toBe(remembered);
  });

  it('counts a query costlier with other variables against the limit, leaving it to Apollo', async () => {
    const query = 'query Page($first: Int!) { patients(first: $first) { edges { node { id givenName familyName birthDate } } } }';
    const page = (first: number): Sent => ({ token: 'admin', payload: { query, variables: { first }, operationName: 'Page' } });
    expect(await compare('a small page', page(2))).toBeGreaterThanOrEqual(2);
    expect(await compare('a large page', page(100))).toBe(0);
  });
});
