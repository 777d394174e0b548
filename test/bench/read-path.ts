import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { apiNodeFlags } from '../../src/api-flags';
import { Role } from '../../src/auth/roles';
import { MeDocument, PatientViewDocument } from '../generated/graphql';
import { startHarness, type Harness } from '../helpers/harness';
import { seedWorld } from '../helpers/world';
import { cpuSecondsOf, postgresCpu, startApi, stopApi } from './accept-throughput';
import { selfTimes } from './cpu-profile';
import { row, type Stats } from './measure';
import { generateReadPathPatients, sampleReadPathPatients } from './read-data';

/**
 * The read path side by side (issue 12): CareBridge's PatientView (JWT, consent policy, audit on)
 * against PostGraphile v4 reading the same tables with no policy, and CareBridge's trivial
 * requests against a bare `@apollo/server`. Each server is a process of its own on the same
 * database, driven over keep-alive HTTP by `connections` clients for `seconds` after a warm-up,
 * each asking for random patients.
 */

const patients = Number(process.env.BENCH_READ_PATIENTS ?? 10_000);
const recordsEach = Number(process.env.BENCH_READ_RECORDS ?? 60);
const connections = Number(process.env.BENCH_READ_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_READ_SECONDS ?? 10);
const warmUpSeconds = Number(process.env.BENCH_READ_WARMUP_SECONDS ?? 2);
/** Rounds of every load in turn, so that each comparison is measured A/B alternating. */
const rounds = Number(process.env.BENCH_READ_ROUNDS ?? 2);
/** The CareBridge load profiled after the rounds (`view` by default, e.g. `me`); 0 leaves the profile out. */
const profiledLoad = process.env.BENCH_READ_PROFILE ?? 'view';
/**
 * Another checkout (built: `npm run build` in it) whose API is measured beside this one's, its
 * view alternating with this checkout's in every round, after a check that both answer alike.
 */
const baseCheckout = process.env.BENCH_READ_BASE_CHECKOUT;
/** The loads to run, by name (e.g. `postgraphileView,baseView,view`); all by default. */
const onlyLoads = process.env.BENCH_READ_LOADS?.split(',').filter(Boolean);
/** The API's V8 flags: production's (src/api-flags.ts) unless given, e.g. `--max-old-space-size=128` (or empty for none). */
const apiFlags = process.env.BENCH_READ_API_FLAGS?.split(' ').filter(Boolean) ?? apiNodeFlags;
/** The base checkout's API's V8 flags, by default the same: with BENCH_READ_BASE_CHECKOUT=. it compares flags in the same rounds. */
const baseApiFlags = process.env.BENCH_READ_BASE_API_FLAGS?.split(' ').filter(Boolean) ?? apiFlags;

const benchCity = 'Readville';
const postgraphileFolder = join(__dirname, 'postgraphile');

export interface Server {
  label: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** PostGraphile needs graphql 15: it has its own package, installed here on first use. */
function installPostgraphile(): void {
  if (existsSync(join(postgraphileFolder, 'node_modules', 'postgraphile'))) return;
  console.log('installing PostGraphile v4 into test/bench/postgraphile (npm ci)…');
  execFileSync('npm', ['ci', '--prefix', postgraphileFolder, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function post(agent: Agent, port: number, path: string, body: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sending = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    sending.on('error', reject);
    sending.end(body);
  });
}

async function waitForGraphql(label: string, port: number, path: string, child: ChildProcess): Promise<void> {
  const agent = new Agent();
  const deadline = Date.now() + 90_000;
  try {
    for (;;) {
      const answer = await post(agent, port, path, '{"query":"{ __typename }"}').catch(() => null);
      if (answer?.status === 200) return;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${label} on port ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    agent.destroy();
  }
}

async function spawnServer(label: string, args: string[], cwd: string, env: Record<string, string>, path: string): Promise<Server> {
  const port = Number(env.PORT);
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForGraphql(label, port, path, child);
  return {
    label,
    port,
    pid: child.pid!,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Kilobytes of resident memory. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export interface Load {
  label: string;
  server: Server;
  path: string;
  token?: string;
  /** The request body, for a random patient where it reads one. */
  body(patientId: string): string;
}

export interface Measured {
  stats: Stats;
  cpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  /** CPU of this process (the load generator), which shares the machine's cores with the servers. */
  clientCpuMsPerRequest: number;
  rssMaxMb: number;
  bytesPerAnswer: number;
}

export async function drive(h: Harness, load: Load, patientIds: string[], forSeconds: number): Promise<Measured> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let bytes = 0;
  let rssMax = rssOf(load.server.pid);
  const sampling = setInterval(() => (rssMax = Math.max(rssMax, rssOf(load.server.pid))), 200);
  const cpuBefore = cpuSecondsOf(load.server.pid);
  const postgresBefore = await postgresCpu(h);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + forSeconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          const patientId = patientIds[Math.floor(Math.random() * patientIds.length)];
          const t0 = performance.now();
          const answer = await post(agent, load.server.port, load.path, load.body(patientId), load.token);
          latencies.push(performance.now() - t0);
          if (answer.status !== 200 || answer.body.includes('"errors"')) throw new Error(`${load.label} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
          bytes += Buffer.byteLength(answer.body);
        }
      }),
    );
  } finally {
    clearInterval(sampling);
    agent.destroy();
  }
  const elapsed = performance.now() - started;
  const client = process.cpuUsage(clientBefore);
  const cpu = cpuSecondsOf(load.server.pid) - cpuBefore;
  const postgresAfter = await postgresCpu(h);
  const postgres = [...postgresAfter].reduce((sum, [pid, after]) => sum + after - (postgresBefore.get(pid) ?? 0), 0);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const requests = latencies.length;
  return {
    stats: { perSecond: (requests / elapsed) * 1000, p50: at(0.5), p99: at(0.99) },
    cpuMsPerRequest: (cpu * 1000) / requests,
    postgresCpuMsPerRequest: (postgres * 1000) / requests,
    clientCpuMsPerRequest: (client.user + client.system) / 1000 / requests,
    rssMaxMb: rssMax / 1024,
    bytesPerAnswer: bytes / requests,
  };
}

const line = (label: string, m: Measured) =>
  `${row(label, m.stats)}   CPU/req ${m.cpuMsPerRequest.toFixed(2).padStart(6)} ms + PG ${m.postgresCpuMsPerRequest.toFixed(2).padStart(5)} ms` +
  `   RSS max ${m.rssMaxMb.toFixed(0).padStart(4)} MB   ${m.bytesPerAnswer.toFixed(0).padStart(6)} B/answer   (load generator ${m.clientCpuMsPerRequest.toFixed(2)} ms/req)`;

const graphqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });

/**
 * PatientView's shape in PostGraphile's schema: the patient, identifiers, enrolments with the care
 * team, and each kind's current records (one filtered connection per kind, the same fields) with
 * their source organization. PostGraphile compiles it into one SQL statement; it has no lab trends.
 */
const postgraphileView = `fragment Source on ClinicalRecord {
  sourceSystem sourceRecordId receivedAt inboxMessageId organizationBySourceOrganizationId { id name kind }
}
query PatientView($id: UUID!) {
  patientById(id: $id) {
    id givenName familyName birthDate
    patientIdentifiersByPatientId { nodes { value organizationByOrganizationId { id name } } }
    enrollmentsByPatientId { nodes { status organizationByProgramId { name } careTeamMembersByEnrollmentId { nodes { teamRole appUserByUserId { displayName } } } } }
    diagnoses: clinicalRecordsByPatientId(condition: { kind: "DIAGNOSIS", supersededAt: null }) {
      nodes { id icd10Code diagnosisText diagnosisStatus categories ...Source }
    }
    medications: clinicalRecordsByPatientId(condition: { kind: "PRESCRIPTION", supersededAt: null }) {
      nodes { id drugName dose route sig isMoud categories organizationByPharmacyId { name } prescriberId ...Source }
    }
    assessments: clinicalRecordsByPatientId(condition: { kind: "ASSESSMENT", supersededAt: null }) { nodes { instrument score administeredAt ...Source } }
    attendance: clinicalRecordsByPatientId(condition: { kind: "ATTENDANCE", supersededAt: null }) { nodes { sessionType sessionAt attendanceStatus sudProgram } }
    treatmentPlan: clinicalRecordsByPatientId(condition: { kind: "CARE_PLAN", planType: "TREATMENT", supersededAt: null }, orderBy: CREATED_AT_DESC, first: 1) {
      nodes { planText createdAt }
    }
    crisisPlan: clinicalRecordsByPatientId(condition: { kind: "CARE_PLAN", planType: "CRISIS", supersededAt: null }, orderBy: CREATED_AT_DESC, first: 1) {
      nodes { planText createdAt }
    }
    sideEffects: clinicalRecordsByPatientId(condition: { kind: "SIDE_EFFECT", supersededAt: null }) { nodes { effect severity prescriptionId } }
    allergies: clinicalRecordsByPatientId(condition: { kind: "ALLERGY", supersededAt: null }) { nodes { substance reaction criticality ...Source } }
    labResults: clinicalRecordsByPatientId(condition: { kind: "LAB_RESULT", supersededAt: null }) {
      nodes { testName loincCode valueNumeric valueText unit referenceLow referenceHigh abnormalFlag resultStatus effectiveAt categories ...Source }
    }
    encounters: clinicalRecordsByPatientId(condition: { kind: "ENCOUNTER", supersededAt: null }) { nodes { encounterType encounterStatus startedAt ...Source } }
  }
}`;

/** SQL statements CareBridge sends per view, counted by the in-process app on the same database (the ORM's query log). */
async function statementsPerView(h: Harness, token: string, patientIds: string[]): Promise<number> {
  h.sqlStatements.length = 0;
  for (const id of patientIds) {
    const result = await h.graphql(PatientViewDocument, { id }, token);
    if (result.errors) throw new Error(`view failed: ${JSON.stringify(result.errors)}`);
  }
  return h.sqlStatements.length / patientIds.length;
}

function ratio(label: string, value: number, target: string): string {
  return `  ${label.padEnd(62)} ${value.toFixed(2).padStart(6)}×   (target ${target})`;
}

/**
 * Drives `load` against a CareBridge process started under `--cpu-prof` and prints the functions
 * and modules with the most self time while under load.
 */
async function profileLoad(h: Harness, load: Load, patientIds: string[], start: (nodeArgs: string[]) => Promise<Server>): Promise<void> {
  const profileDir = mkdtempSync(join(tmpdir(), 'carebridge-read-profile-'));
  const profiled = await start(['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
  try {
    const profiledLoad = { ...load, server: profiled };
    await drive(h, profiledLoad, patientIds, warmUpSeconds);
    console.log(line(load.label, await drive(h, profiledLoad, patientIds, seconds)));
  } finally {
    await profiled.stop();
  }
  const file = join(profileDir, readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!);
  // The process stops right after the load: its last `seconds` are the load, without start-up and warm-up.
  const { functions, modules } = selfTimes(file, 20, seconds);
  console.log(`CPU profile of ${load.label} (the last ${seconds} s, under load; ${file}): self time, share of busy time`);
  console.log(' by module');
  modules.forEach((each) => console.log(`  ${(each.share * 100).toFixed(1).padStart(5)}%  ${each.name}`));
  console.log(' by function');
  functions.forEach((each) => console.log(`  ${(each.share * 100).toFixed(1).padStart(5)}%  ${each.name}`));
}

/**
 * The view answered by `base` and `other` for each of `patientIds`, byte for byte: a faster read
 * path must answer exactly as the one it replaces. Throws on the first difference.
 */
async function compareAnswers(base: Server, other: Server, token: string, viewQuery: string, patientIds: string[]): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  try {
    for (const id of patientIds) {
      const body = graphqlBody(viewQuery, { id });
      const [before, after] = await Promise.all([post(agent, base.port, '/graphql', body, token), post(agent, other.port, '/graphql', body, token)]);
      if (before.status !== after.status || before.body !== after.body) {
        throw new Error(`the base checkout and this one answer patient ${id} differently:\n${before.body.slice(0, 2000)}\n---\n${after.body.slice(0, 2000)}`);
      }
    }
    console.log(`PatientView answers of the base checkout and this one: identical for ${patientIds.length} patients`);
  } finally {
    agent.destroy();
  }
}

export async function readPathBench(template: string): Promise<void> {
  installPostgraphile();
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '10' }, template);
  const servers: Server[] = [];
  try {
    const world = await seedWorld(h.orm.em.fork());
    const clinician = world.claims[Role.IOP_CLINICIAN];
    const orgs = {
      programId: world.iopId,
      practiceId: world.claims[Role.PCP].organizationId!,
      labId: world.claims[Role.LAB].organizationId!,
      pharmacyId: world.claims[Role.PHARMACIST].organizationId!,
      clinicianId: clinician.userId,
    };
    const seedStarted = performance.now();
    await generateReadPathPatients(h.config.DATABASE_URL, orgs, patients, recordsEach, benchCity);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await generateReadPathPatients(h.config.DATABASE_URL, orgs, 1, 10, 'Readville-10');
    await generateReadPathPatients(h.config.DATABASE_URL, orgs, 1, 10_000, 'Readville-10000');
    const patientIds = await sampleReadPathPatients(h.orm.em.fork(), benchCity, 2000);
    const token = await h.token(clinician, '1h');

    const sql = {
      view: await statementsPerView(h, token, patientIds.slice(0, 50)),
      ten: await statementsPerView(h, token, await sampleReadPathPatients(h.orm.em.fork(), 'Readville-10', 1)),
      tenThousand: await statementsPerView(h, token, await sampleReadPathPatients(h.orm.em.fork(), 'Readville-10000', 1)),
    };

    // Every server runs plain JavaScript, as in production: CareBridge from its build.
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const basePort = 21000 + (process.pid % 20000);
    const databaseEnv = { DATABASE_URL: h.config.DATABASE_URL, DATABASE_POOL_MAX: '10' };
    const apollo = await spawnServer('bare Apollo', [join(__dirname, 'bare-apollo.mjs')], process.cwd(), { PORT: String(basePort) }, '/');
    servers.push(apollo);
    const postgraphile = await spawnServer('PostGraphile', ['server.mjs'], postgraphileFolder, { PORT: String(basePort + 1), ...databaseEnv }, '/graphql');
    servers.push(postgraphile);
    const startCareBridge = async (port: number, nodeArgs: string[], checkout = process.cwd(), flags = apiFlags): Promise<Server> => {
      const api = await startApi(h, port, orgs.labId, { nodeArgs: [...flags, ...nodeArgs], built: true, checkout });
      return { label: 'CareBridge', port, pid: api.child.pid!, stop: () => stopApi(api) };
    };
    const carebridge = await startCareBridge(basePort + 2, []);
    servers.push(carebridge);
    const base = baseCheckout ? await startCareBridge(basePort + 4, [], baseCheckout, baseApiFlags) : null;
    if (base) servers.push(base);

    const viewQuery = PatientViewDocument.toString();
    const loads = {
      ping: { label: 'bare Apollo { ping }', server: apollo, path: '/', body: () => graphqlBody('{ ping }') },
      anonymous: { label: 'CareBridge { __typename }, no token', server: carebridge, path: '/graphql', body: () => graphqlBody('{ __typename }') },
      typename: { label: 'CareBridge { __typename }, valid token', server: carebridge, path: '/graphql', token, body: () => graphqlBody('{ __typename }') },
      me: { label: 'CareBridge Me', server: carebridge, path: '/graphql', token, body: () => graphqlBody(MeDocument.toString()) },
      postgraphileView: { label: 'PostGraphile v4 patient view', server: postgraphile, path: '/graphql', body: (id: string) => graphqlBody(postgraphileView, { id }) },
      ...(base
        ? {
            baseTypename: { label: 'CareBridge { __typename }, valid token, base', server: base, path: '/graphql', token, body: () => graphqlBody('{ __typename }') },
            baseMe: { label: 'CareBridge Me, base checkout', server: base, path: '/graphql', token, body: () => graphqlBody(MeDocument.toString()) },
            baseView: { label: 'CareBridge PatientView, base checkout', server: base, path: '/graphql', token, body: (id: string) => graphqlBody(viewQuery, { id }) },
          }
        : {}),
      view: { label: 'CareBridge PatientView (JWT, policy, audit)', server: carebridge, path: '/graphql', token, body: (id: string) => graphqlBody(viewQuery, { id }) },
    } satisfies Record<string, Load>;
    const measuredLoads = (Object.entries(loads) as [keyof typeof loads, Load][]).filter(([name]) => !onlyLoads || onlyLoads.includes(name));
    if (base) await compareAnswers(base, carebridge, token, viewQuery, patientIds.slice(0, 200));

    console.log(
      `\nRead path side by side (issue 12): ${patients.toLocaleString('en-US')} patients × ${recordsEach} records (seeded in ${seedSeconds.toFixed(1)} s), ` +
        `${connections} keep-alive connections, ${seconds} s after ${warmUpSeconds} s warm-up, random patients, every server its own process (NODE_ENV=production), ` +
        `CareBridge's API with ${apiFlags.length ? apiFlags.join(' ') : 'no V8 flags'}${base ? `, the base's with ${baseApiFlags.length ? baseApiFlags.join(' ') : 'none'}` : ''}`,
    );
    const results: Partial<Record<'baseTypename' | 'baseMe' | 'baseView' | keyof typeof loads, Measured>>[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.log(`round ${round} of ${rounds}`);
      const measured: (typeof results)[number] = {};
      for (const [name, load] of measuredLoads) {
        await drive(h, load, patientIds, warmUpSeconds);
        measured[name] = await drive(h, load, patientIds, seconds);
        console.log(line(load.label, measured[name]));
      }
      results.push(measured);
    }
    console.log(`CareBridge SQL statements per view: ${sql.view.toFixed(1)} (random patients, ${recordsEach} records), ${sql.ten.toFixed(1)} (10 records), ${sql.tenThousand.toFixed(1)} (10,000 records)`);
    console.log('Ratios (per round)');
    results.forEach((m, index) => {
      console.log(` round ${index + 1}`);
      const each = (a: Measured | undefined, b: Measured | undefined, print: (a: Measured, b: Measured) => void) => a && b && print(a, b);
      each(m.view, m.postgraphileView, (view, postgraphile) => {
        console.log(ratio('patient view: CareBridge / PostGraphile req/s', view.stats.perSecond / postgraphile.stats.perSecond, '≥ 1.2'));
        console.log(ratio('patient view: CareBridge / PostGraphile p99', view.stats.p99 / postgraphile.stats.p99, '≤ 2'));
        console.log(ratio('patient view: CareBridge / PostGraphile answer bytes', view.bytesPerAnswer / postgraphile.bytesPerAnswer, '≈ 1'));
      });
      each(m.baseView, m.postgraphileView, (baseView, postgraphile) =>
        console.log(ratio('patient view, base checkout: CareBridge / PostGraphile req/s', baseView.stats.perSecond / postgraphile.stats.perSecond, '-')),
      );
      each(m.view, m.baseView, (view, baseView) => {
        console.log(ratio('patient view: this checkout / base checkout req/s', view.stats.perSecond / baseView.stats.perSecond, '-'));
        console.log(ratio('patient view: this checkout / base checkout API CPU per view', view.cpuMsPerRequest / baseView.cpuMsPerRequest, '-'));
      });
      each(m.typename, m.baseTypename, (typename, baseTypename) =>
        console.log(ratio('{ __typename } with a token: this checkout / base API CPU per request', typename.cpuMsPerRequest / baseTypename.cpuMsPerRequest, '-')),
      );
      each(m.me, m.baseMe, (me, baseMe) => console.log(ratio('Me: this checkout / base API CPU per request', me.cpuMsPerRequest / baseMe.cpuMsPerRequest, '-')));
      each(m.typename, m.ping, (typename, ping) => console.log(ratio('{ __typename } with a valid token / bare Apollo { ping } req/s', typename.stats.perSecond / ping.stats.perSecond, '≥ 1.5')));
      each(m.anonymous, m.ping, (anonymous, ping) => console.log(ratio('{ __typename } without a token / bare Apollo { ping } req/s', anonymous.stats.perSecond / ping.stats.perSecond, '-')));
      each(m.me, m.ping, (me, ping) => console.log(ratio('Me / bare Apollo { ping } req/s', me.stats.perSecond / ping.stats.perSecond, '≥ 1')));
      const carebridgeRss = Math.max(...[m.anonymous, m.typename, m.me, m.view].map((each) => each?.rssMaxMb ?? 0));
      console.log(`  CareBridge RSS max ${carebridgeRss.toFixed(0)} MB (target ≤ 250), PostGraphile ${m.postgraphileView?.rssMaxMb.toFixed(0) ?? '-'} MB`);
    });

    const toProfile = profiledLoad === '0' ? undefined : loads[profiledLoad as keyof typeof loads];
    if (toProfile?.server === carebridge) {
      await carebridge.stop();
      servers.splice(servers.indexOf(carebridge), 1);
      await profileLoad(h, { ...toProfile, label: `${toProfile.label} under --cpu-prof` }, patientIds, (nodeArgs) => startCareBridge(basePort + 3, nodeArgs));
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await h.close();
  }
}
