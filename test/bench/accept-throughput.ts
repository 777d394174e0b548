import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { connect } from 'node:net';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Job } from 'bullmq';
import { Role } from '../../src/auth/roles';
import { OutboxRelay } from '../../src/jobs/outbox-relay';
import { createLogger } from '../../src/logger';
import { frame, MllpFrameReader } from '../../src/modules/ingest/hl7/mllp-server';
import { buildTemplateDatabase } from '../helpers/databases';
import { startHarness, type Harness } from '../helpers/harness';
import { seedWorld } from '../helpers/world';
import { row, type Stats } from './measure';

/**
 * The API's accept path as a lab or a practice meets it: API processes of their own (spawned from
 * a checkout, by default this one), real HTTP with keep-alive connections, many senders at once.
 * Prints messages accepted per second, the API's CPU per message (from /proc), latency, and the
 * time from a message's acknowledgement to its job in BullMQ while the relay runs here.
 */

const defaultCheckout = process.env.BENCH_API_CHECKOUT ?? process.cwd();
const senders = Number(process.env.BENCH_SENDERS ?? 64);
const measuredSeconds = 8;

export interface ApiProcess {
  port: number;
  mllpPort: number;
  child: ChildProcess;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
}

const clockTicks = 100;

export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the stat line, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** CPU seconds of the Postgres backends serving `h`'s database (pool connections outlive a run). */
export async function postgresCpu(h: Harness): Promise<Map<number, number>> {
  const rows = await h.orm.em.getConnection().execute<{ pid: number }[]>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuSecondsOf(pid));
    } catch {
      // The backend exited in between.
    }
  }
  return cpu;
}

const labSecret = 'bench-lab-secret';

export interface ApiOptions {
  /** E.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the API process; by default BENCH_API_NODE_ARGS. */
  nodeArgs?: string[];
  /** Runs the build (`dist/src/main.js`, as `npm run start:api` does; build it first) rather than the sources through swc, which holds ~70 MB more. */
  built?: boolean;
  /** The checkout whose API runs; by default BENCH_API_CHECKOUT, else this one. */
  checkout?: string;
  /** Receives what the API prints on stdout and stderr; without it stdout is dropped and stderr shown. */
  onOutput?: (text: string) => void;
}

export async function startApi(
  h: Harness,
  port: number,
  labOrganizationId: string,
  { nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean), built = false, checkout = defaultCheckout, onOutput }: ApiOptions = {},
): Promise<ApiProcess> {
  const mllpPort = port + 100;
  const keys = mkdtempSync(join(tmpdir(), 'carebridge-bench-'));
  const publicKeyFile = join(keys, 'public.pem');
  const privateKeyFile = join(keys, 'private.pem');
  writeFileSync(publicKeyFile, createPublicKey(h.privateKey).export({ type: 'spki', format: 'pem' }));
  writeFileSync(privateKeyFile, h.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const child = spawn(process.execPath, [...nodeArgs, ...(built ? ['dist/src/main.js'] : ['-r', '@swc-node/register', 'src/main.ts'])], {
    cwd: checkout,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      WEBHOOK_SECRETS_KEY: h.config.WEBHOOK_SECRETS_KEY!,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: h.config.DATABASE_URL,
      DATABASE_POOL_MAX: '10',
      REDIS_URL: h.config.REDIS_URL,
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      JWT_PUBLIC_KEY_FILE: publicKeyFile,
      JWT_PRIVATE_KEY_FILE: privateKeyFile,
      MLLP_PORT: String(mllpPort),
      MLLP_LABS: JSON.stringify([{ organizationId: labOrganizationId, sendingFacility: 'REGIONAL LAB', secretSha256: createHash('sha256').update(labSecret).digest('hex') }]),
    },
    stdio: ['ignore', onOutput ? 'pipe' : 'ignore', onOutput ? 'pipe' : 'inherit'],
  });
  if (onOutput) [child.stdout, child.stderr].forEach((stream) => stream?.on('data', (chunk: Buffer) => onOutput(chunk.toString())));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = request({ host: '127.0.0.1', port, path: '/healthz' }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      probe.on('error', () => resolve(false));
      probe.end();
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the API on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { port, mllpPort, child, cpuSeconds: () => cpuSecondsOf(child.pid!) };
}

export async function stopApi(api: ApiProcess): Promise<void> {
  const exited = new Promise((resolve) => api.child.once('exit', resolve));
  api.child.kill('SIGTERM');
  await exited;
}

interface Sent {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: senders * 2 });

function post(port: number, path: string, contentType: string, token: string, body: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const sending = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': contentType, authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') }));
      },
    );
    sending.on('error', reject);
    sending.end(body);
  });
}

export function labResult(controlId: string, index: number): string {
  return [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000|${labSecret}|ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||BENCH-${index}^^^REGLAB^MR||Bench${index}^Given${index}||19${String(50 + (index % 50))}0314`,
    `OBR|1|${controlId}|${controlId}-F|2823-3^Potassium^LN|||20261201070000|||||||||||||||20261201080000|||F`,
    'OBX|1|NM|2823-3^Potassium [Moles/volume] in Serum or Plasma^LN||4.1|mmol/L|3.5-5.1|N|||F|||20261201070000',
  ].join('\r');
}

const exportBundle = readFileSync(join(__dirname, '..', 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8');

export function practiceBundle(bundleId: string, index: number): string {
  const bundle = JSON.parse(exportBundle.replace('maple-export-0001', bundleId)) as { entry: { resource: Record<string, unknown> }[] };
  Object.assign(bundle.entry[0].resource, {
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: `BENCH-${index}` }],
    name: [{ family: `Fhir${index}`, given: [`Given${index}`] }],
  });
  return JSON.stringify(bundle);
}

export interface Kind {
  label: string;
  role: Role.LAB | Role.PCP;
  body(id: string, index: number): string;
  /** Sends one message as sender number `sender`; the answer when it was not accepted. */
  deliver(api: ApiProcess, token: string, body: string, sender: number): Promise<{ refused: string } | null>;
}

export const overHttp =
  (path: string, contentType: string, accepted: (sent: Sent) => boolean): Kind['deliver'] =>
  async (api, token, body) => {
    const sent = await post(api.port, path, contentType, token, body);
    return accepted(sent) ? null : { refused: `${sent.status}: ${sent.body.slice(0, 300)}` };
  };

const isAa = (ack: string) => ack.includes('MSA|AA|');

/** One MLLP connection per sender and API process, as labs keep them: a message, then its ACK. */
const mllpConnections = new Map<string, (message: string) => Promise<string>>();

function mllpConnection(port: number, sender: number): (message: string) => Promise<string> {
  const key = `${port}/${sender}`;
  const known = mllpConnections.get(key);
  if (known) return known;
  const socket = connect(port, '127.0.0.1');
  const reader = new MllpFrameReader(1_000_000);
  const waiting: ((ack: string) => void)[] = [];
  socket.on('data', (chunk: Buffer) => reader.read(chunk).forEach((ack) => waiting.shift()?.(ack.toString('latin1'))));
  const exchange = (message: string) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      socket.write(frame(message));
    });
  mllpConnections.set(key, exchange);
  stopMllp.push(() => socket.destroy());
  return exchange;
}
const stopMllp: (() => void)[] = [];

/** Closes the senders' MLLP and HTTP connections, once a bench is done with them. */
export function closeSenderConnections(): void {
  stopMllp.forEach((stop) => stop());
  agent.destroy();
}

const hl7: Kind = {
  label: 'HL7 ORU^R01 over HTTP',
  role: Role.LAB,
  body: labResult,
  deliver: overHttp('/ingest/hl7', 'x-application/hl7-v2+er7', (sent) => sent.status === 200 && isAa(sent.body)),
};
export const hl7OverMllp: Kind = {
  label: 'HL7 ORU^R01 over MLLP',
  role: Role.LAB,
  body: labResult,
  async deliver(api, _token, body, sender) {
    const ack = await mllpConnection(api.mllpPort, sender)(body);
    return isAa(ack) ? null : { refused: ack.slice(0, 300) };
  },
};
const fhir: Kind = {
  label: 'FHIR Bundle (9 resources)',
  role: Role.PCP,
  body: practiceBundle,
  deliver: overHttp('/ingest/fhir', 'application/fhir+json', (sent) => sent.status === 202),
};

export interface Run {
  stats: Stats;
  cpuMsPerMessage: number;
  /** CPU of this process (the senders) per message, which shares the machine with the API. */
  senderCpuMsPerMessage: number;
  /** When each message's acknowledgement arrived (performance.timeOrigin-based ms), by its id. */
  acknowledgedAt: Map<string, number>;
}

let sequence = 0;

/**
 * Sends messages of a kind over `apis` for `seconds`, `senders` at a time (each waits for its
 * answer), or at a steady `perSecond` when given.
 */
export async function send(apis: ApiProcess[], kind: Kind, token: string, seconds: number, pace?: { perSecond: number }): Promise<Run> {
  const cpuBefore = apis.map((api) => api.cpuSeconds());
  const senderCpuBefore = process.cpuUsage();
  const latencies: number[] = [];
  const acknowledgedAt = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  const sendOne = async (sender: number) => {
    const index = next++;
    const id = `BENCH-${process.pid}-${++sequence}`;
    const t0 = performance.now();
    const problem = await kind.deliver(apis[index % apis.length], token, kind.body(id, index % 200), sender);
    const t1 = performance.now();
    if (problem) throw new Error(`benchmark ${kind.label} answered ${problem.refused}`);
    latencies.push(t1 - t0);
    acknowledgedAt.set(id, performance.timeOrigin + t1);
  };
  const deadline = started + seconds * 1000;
  if (pace) {
    const messages = Math.round(seconds * pace.perSecond);
    const inFlight = new Set<Promise<void>>();
    while (next < messages) {
      const due = Math.min(messages, Math.floor(((performance.now() - started) / 1000) * pace.perSecond));
      while (next < due) {
        const one = sendOne(next % senders).finally(() => inFlight.delete(one));
        inFlight.add(one);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: senders }, async (_, sender) => {
        while (performance.now() < deadline) await sendOne(sender);
      }),
    );
  }
  const elapsed = performance.now() - started;
  const cpuSeconds = apis.reduce((sum, api, index) => sum + api.cpuSeconds() - cpuBefore[index], 0);
  const senderCpu = process.cpuUsage(senderCpuBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    stats: { perSecond: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99) },
    cpuMsPerMessage: (cpuSeconds * 1000) / latencies.length,
    senderCpuMsPerMessage: (senderCpu.user + senderCpu.system) / 1000 / latencies.length,
    acknowledgedAt,
  };
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * Time from each message's acknowledgement to its import job's creation in BullMQ, with the relay
 * woken by NOTIFY or polling alone; read from the jobs' own timestamps after the run.
 */
async function pickup(h: Harness, api: ApiProcess, token: string, listen: boolean): Promise<{ p50: number; p99: number; perSecond: number }> {
  const queue = h.queues.get('inbound-messages');
  await queue.obliterate({ force: true });
  const relay = new OutboxRelay(h.orm, h.queues, createLogger('silent'), {
    batchSize: 100,
    pollIntervalMs: 500,
    ...(listen ? { notifications: { databaseUrl: h.config.DATABASE_URL } } : {}),
  });
  // Rows left by the throughput runs go first, so that only this run's rows are timed.
  while ((await relay.relayOnce()) > 0);
  await queue.obliterate({ force: true });
  relay.start();
  if (listen) await relay.whenListening();
  try {
    const run = await send([api], hl7, token, 8, { perSecond: 1000 });
    const ids = [...run.acknowledgedAt.keys()];
    const rows = await h.orm.em
      .getConnection()
      .execute<{ id: string; source_message_id: string }[]>('select id, source_message_id from inbox_message where source_message_id in (?)', [ids]);
    const messageIdOf = new Map(rows.map((each) => [each.id, each.source_message_id]));
    // A job carries one message's import, or several (`messages.received`): each message counts at its job's creation.
    const delaysOf = (jobs: Job[]) =>
      jobs.flatMap((job) => {
        const data = job.data as { inboxMessageId?: string; inboxMessageIds?: string[] };
        return (data.inboxMessageIds ?? [data.inboxMessageId ?? '']).flatMap((inboxMessageId) => {
          const sourceMessageId = messageIdOf.get(inboxMessageId);
          const acknowledged = sourceMessageId === undefined ? undefined : run.acknowledgedAt.get(sourceMessageId);
          return acknowledged === undefined ? [] : [Math.max(0, job.timestamp - acknowledged)];
        });
      });
    const deadline = Date.now() + 30_000;
    let delays = delaysOf(await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1));
    while (delays.length < ids.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      delays = delaysOf(await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1));
    }
    if (delays.length < ids.length) throw new Error(`pickup: ${delays.length} of ${ids.length} jobs found`);
    delays.sort((a, b) => a - b);
    return { p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), perSecond: run.stats.perSecond };
  } finally {
    await relay.stop();
  }
}

const cpuLine = (label: string, run: Run) =>
  `${row(label, run.stats)}   API ${run.cpuMsPerMessage.toFixed(2).padStart(5)} ms CPU/message (senders ${run.senderCpuMsPerMessage.toFixed(2)})`;

export async function acceptThroughputBench(template: string): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production' }, template);
  const apis: ApiProcess[] = [];
  try {
    const world = await seedWorld(h.orm.em.fork());
    const tokens = { [Role.LAB]: await h.token(world.claims[Role.LAB], '1h'), [Role.PCP]: await h.token(world.claims[Role.PCP], '1h') };
    const basePort = 20000 + (process.pid % 20000);
    const labId = world.claims[Role.LAB].organizationId!;
    apis.push(await startApi(h, basePort, labId));
    const lines: string[] = [];
    const perSecond: Record<string, number> = {};
    for (const kind of [hl7, hl7OverMllp, fhir]) {
      await send(apis, kind, tokens[kind.role], 2); // warm-up
      const one = await send(apis, kind, tokens[kind.role], measuredSeconds);
      perSecond[kind.label] = one.stats.perSecond;
      lines.push(cpuLine(`${kind.label}, 1 API process`, one));
    }
    // The relay runs in this process, from this checkout: another checkout's API is measured for throughput only.
    const pickups = defaultCheckout === process.cwd() ? { polling: await pickup(h, apis[0], tokens[Role.LAB], false), notified: await pickup(h, apis[0], tokens[Role.LAB], true) } : {};
    apis.push(await startApi(h, basePort + 1, labId));
    await send(apis, hl7, tokens[Role.LAB], 2);
    const two = await send(apis, hl7, tokens[Role.LAB], measuredSeconds);
    lines.push(cpuLine(`${hl7.label}, 2 API processes`, two));

    console.log(`\nAccept path (separate API processes from ${defaultCheckout === process.cwd() ? 'this checkout' : defaultCheckout}, ${senders} senders, each on its own keep-alive HTTP or MLLP connection, waiting for its answer)`);
    lines.forEach((line) => console.log(line));
    console.log(`2 API processes vs 1 (HL7): ${(two.stats.perSecond / perSecond[hl7.label]).toFixed(2)}×`);
    console.log('Outbox pickup at a steady 1,000 HL7 messages/s (acknowledgement → job in BullMQ; relay batch 100, poll 500 ms)');
    for (const [label, each] of Object.entries(pickups)) {
      console.log(`  ${label.padEnd(10)} p50 ${each.p50.toFixed(1).padStart(6)} ms   p99 ${each.p99.toFixed(1).padStart(6)} ms   (sent at ${each.perSecond.toFixed(0)}/s)`);
    }
  } finally {
    closeSenderConnections();
    await Promise.all(apis.map(stopApi));
    await h.close();
  }
}

if (require.main === module) {
  const template = 'carebridge_bench_accept_template';
  buildTemplateDatabase(template).then(() => acceptThroughputBench(template)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
