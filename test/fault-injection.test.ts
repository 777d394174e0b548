import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import type { QueueName } from '../src/jobs/queues';
import { rowJobsOf } from '../src/jobs/relayed-together';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Notification } from '../src/modules/notifications/notification.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { CareTeamMember, CareTeamRole } from '../src/modules/patients/care-team-member.entity';
import { Enrollment } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { User } from '../src/modules/users/user.entity';
import { ReprocessInboundMessageDocument } from './generated/graphql';
import { AppProcess, waitUntilServing } from './helpers/app-processes';
import { serverUrl } from './helpers/databases';
import { startHarness, type Harness } from './helpers/harness';
import { ackCodeOf } from './helpers/ingest';
import { freePort, RedisServer } from './helpers/redis-server';
import { TcpProxy } from './helpers/tcp-proxy';
import { until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * Issue 10's proof on real processes: the API and the worker run as child processes on a Redis of
 * the test's own, get killed (SIGKILL) and restarted while labs and practices stream messages,
 * Redis restarts empty, the worker's database goes away for longer than its retry budget; every
 * acknowledged message must end imported, its effects there exactly once.
 */

const labSystem = 'REGLAB';
const practiceSystem = 'urn:oid:2.16.840.1.113883.3.9999.1';
/** Fictional, and searched for in every line the processes print: none of it may show. */
const familyName = 'Quillfeather';
/** The records a test Bundle carries besides its Patient: a Condition and an AllergyIntolerance. */
const recordsPerBundle = 2;

interface TestPatient {
  id: string;
  number: number;
  /** YYYY-MM-DD */
  birthDate: string;
}

interface SentMessage {
  format: 'HL7' | 'FHIR';
  /** MSH-10 or Bundle.id. */
  sourceMessageId: string;
  body: string;
  critical: boolean;
}

let h: Harness;
let world: World;
let redis: RedisServer;
let databaseProxy: TcpProxy;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;
let keyDirectory: string;
let streamPatients: TestPatient[];
let outagePatients: TestPatient[];
let senders: Senders;

/** Patients of the IOP (the prescriber on each care team) whom the lab and the practice know by their own identifiers. */
async function addPatients(count: number, firstNumber: number): Promise<TestPatient[]> {
  const em = h.orm.em.fork();
  const iop = em.getReference(Organization, world.iopId);
  const lab = em.getReference(Organization, world.claims[Role.LAB].organizationId!);
  const practice = em.getReference(Organization, world.claims[Role.PCP].organizationId!);
  const prescriber = em.getReference(User, world.claims[Role.IOP_CLINICIAN].userId);
  const patients = Array.from({ length: count }, (_, index) => {
    const number = firstNumber + index;
    const birthDate = new Date(Date.UTC(1960, 0, 1 + number * 97)).toISOString().slice(0, 10);
    const patient = new Patient(`Given${number}`, familyName, birthDate);
    const enrollment = new Enrollment(patient, iop);
    em.persist([
      patient,
      enrollment,
      new CareTeamMember(enrollment, prescriber, CareTeamRole.PRESCRIBER),
      new PatientIdentifier(patient, lab, `L-${number}`, labSystem),
      new PatientIdentifier(patient, practice, `MAPLE-${number}`, practiceSystem),
    ]);
    return { patient, number, birthDate };
  });
  await em.flush();
  return patients.map(({ patient, number, birthDate }) => ({ id: patient.id, number, birthDate }));
}

/** An ORU^R01 with one lithium result; a critical one is flagged HH. */
function oruMessage(controlId: string, patient: TestPatient, critical: boolean): SentMessage {
  const body = [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261126101500||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||L-${patient.number}^^^${labSystem}^MR||${familyName}^Given${patient.number}||${patient.birthDate.replaceAll('-', '')}|F`,
    `ORC|RE|ORD-${controlId}|FIL-${controlId}`,
    `OBR|1|ORD-${controlId}|FIL-${controlId}|14334-7^Lithium^LN|||20261126080000`,
    `OBX|1|NM|14334-7^Lithium [Moles/volume] in Serum or Plasma^LN||${critical ? '2.4' : '0.9'}|mmol/L|0.6-1.2|${critical ? 'HH' : 'N'}|||F|||20261126090000`,
  ].join('\r');
  return { format: 'HL7', sourceMessageId: controlId, body, critical };
}

/** A practice's Bundle about one patient: a Condition and an AllergyIntolerance of its own. */
function fhirBundle(bundleId: string, patient: TestPatient): SentMessage {
  const subject = { reference: `Patient/p-${patient.number}` };
  const bundle = {
    resourceType: 'Bundle',
    id: bundleId,
    type: 'collection',
    meta: { source: 'maple-street-ehr' },
    entry: [
      {
        resource: {
          resourceType: 'Patient',
          id: `p-${patient.number}`,
          identifier: [{ system: practiceSystem, value: `MAPLE-${patient.number}` }],
          name: [{ family: familyName, given: [`Given${patient.number}`] }],
          birthDate: patient.birthDate,
        },
      },
      {
        resource: {
          resourceType: 'Condition',
          id: `condition-${bundleId}`,
          code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }] },
          subject,
        },
      },
      {
        resource: {
          resourceType: 'AllergyIntolerance',
          id: `allergy-${bundleId}`,
          code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'Penicillin G' }] },
          patient: subject,
        },
      },
    ],
  };
  return { format: 'FHIR', sourceMessageId: bundleId, body: JSON.stringify(bundle), critical: false };
}

/**
 * Sends messages as a lab and a practice do: a message counts as sent once acknowledged (AA, 202
 * or the 200 of a resend); a request that got no answer (the API was down) or a 503 is sent again,
 * the same bytes, until it is.
 */
class Senders {
  readonly acknowledged: SentMessage[] = [];
  resends = 0;

  constructor(private readonly tokens: { lab: string; practice: string }) {}

  async deliver(message: SentMessage, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.post(message).catch(() => null);
      if (answer?.acknowledged) {
        this.acknowledged.push(message);
        return;
      }
      if (answer && answer.status !== 503) throw new Error(`${message.format} ${message.sourceMessageId} refused: ${answer.status}`);
      if (Date.now() > deadline) throw new Error(`${message.format} ${message.sourceMessageId} not acknowledged within ${timeoutMs} ms`);
      this.resends++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async post(message: SentMessage): Promise<{ status: number; acknowledged: boolean }> {
    const hl7 = message.format === 'HL7';
    const response = await fetch(`${apiUrl}/ingest/${hl7 ? 'hl7' : 'fhir'}`, {
      method: 'POST',
      headers: {
        'content-type': hl7 ? 'x-application/hl7-v2+er7' : 'application/fhir+json',
        authorization: `Bearer ${hl7 ? this.tokens.lab : this.tokens.practice}`,
      },
      body: message.body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const acknowledged = hl7 ? response.status === 200 && ackCodeOf(text) === 'AA' : response.status === 202 || response.status === 200;
    return { status: response.status, acknowledged };
  }
}

/** Runs `probe` until `done` holds; fails the test, saying what it waited for, when the time is up. */
async function waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const value = await until(probe, done, timeoutMs);
  if (!done(value)) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(value)}`);
  return value;
}

const processedCount = () => h.orm.em.fork().count(InboxMessage, { state: InboxState.PROCESSED });

/** Waits until `count` more messages were imported: the worker is at work. */
async function afterImports(count: number): Promise<void> {
  const start = await processedCount();
  await waitFor(`${count} more imports`, processedCount, (now) => now >= start + count, 40_000);
}

/** What is not finished: inbox rows waiting for their import, outbox rows whose effect is not committed. */
async function unfinishedWork() {
  const em = h.orm.em.fork();
  return {
    received: await em.count(InboxMessage, { state: InboxState.RECEIVED }),
    outboxOpen: await em.count(OutboxMessage, { doneAt: null }),
  };
}

const countBy = <T>(items: T[], key: (item: T) => string | null | undefined) => {
  const counts = new Map<string, number>();
  for (const item of items) {
    const value = key(item);
    if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
};

/**
 * The effects of `messages`, each of which must have been imported exactly once: one stored
 * inbox row each, PROCESSED; one lab result per ORU, one critical alert per critical one (told
 * once to the prescriber); a Bundle's records once. Returns the problems found, none expected.
 */
async function effectProblems(messages: SentMessage[]): Promise<string[]> {
  const em = h.orm.em.fork();
  const rows = await em.find(InboxMessage, { sourceMessageId: { $in: messages.map((message) => message.sourceMessageId) } }, { fields: ['id', 'sourceMessageId', 'state'] });
  const rowsById = countBy(rows, (row) => row.sourceMessageId);
  const inboxIdOf = new Map(rows.map((row) => [row.sourceMessageId!, row.id]));
  const inboxIds = rows.map((row) => row.id);
  const labResults = await em.find(LabResult, { inboxMessageId: { $in: inboxIds } }, { fields: ['id', 'inboxMessageId'] });
  const resultsPerMessage = countBy(labResults, (result) => result.inboxMessageId);
  const records = countBy(await em.find(ClinicalRecord, { inboxMessageId: { $in: inboxIds } }, { fields: ['id', 'inboxMessageId'] }), (record) => record.inboxMessageId);
  const messageOfResult = new Map(labResults.map((result) => [result.id, result.inboxMessageId]));
  const alerts = await em.find(CriticalAlert, { labResult: { $in: labResults.map((result) => result.id) } }, { fields: ['id', 'labResult'] });
  const alertsPerMessage = countBy(alerts, (alert) => messageOfResult.get(alert.labResult.id));
  const told = countBy(await em.find(Notification, { kind: 'critical.result', subjectId: { $in: alerts.map((alert) => alert.id) } }), (notification) => notification.subjectId);

  const problems: string[] = [];
  for (const message of messages) {
    const name = `${message.format} ${message.sourceMessageId}`;
    const inboxId = inboxIdOf.get(message.sourceMessageId);
    if (rowsById.get(message.sourceMessageId) !== 1 || !inboxId) {
      problems.push(`${name}: ${rowsById.get(message.sourceMessageId) ?? 0} inbox rows`);
      continue;
    }
    const state = rows.find((row) => row.id === inboxId)!.state;
    if (state !== InboxState.PROCESSED) problems.push(`${name}: ${state}`);
    if (message.format === 'HL7') {
      if (resultsPerMessage.get(inboxId) !== 1) problems.push(`${name}: ${resultsPerMessage.get(inboxId) ?? 0} lab results`);
      const expectedAlerts = message.critical ? 1 : 0;
      if ((alertsPerMessage.get(inboxId) ?? 0) !== expectedAlerts) problems.push(`${name}: ${alertsPerMessage.get(inboxId) ?? 0} critical alerts`);
    } else if (records.get(inboxId) !== recordsPerBundle) {
      problems.push(`${name}: ${records.get(inboxId) ?? 0} records`);
    }
  }
  for (const alert of alerts) {
    if (told.get(alert.id) !== 1) problems.push(`critical alert ${alert.id}: told ${told.get(alert.id) ?? 0} times`);
  }
  return problems;
}

/** Notifications that say the same thing to the same person twice. */
async function duplicatedNotifications(): Promise<string[]> {
  const notifications = await h.orm.em.fork().find(Notification, {}, { fields: ['kind', 'subjectId', 'recipient'] });
  const counts = countBy(notifications, (notification) => `${notification.kind} ${notification.subjectId} ${notification.recipient.id}`);
  return [...counts].filter(([, count]) => count > 1).map(([key, count]) => `${key} ×${count}`);
}

function expectNoPhiIn(output: string): void {
  expect(output).not.toContain(familyName);
  for (const patient of [...streamPatients, ...outagePatients]) {
    expect(output).not.toContain(patient.birthDate.replaceAll('-', ''));
  }
}

beforeAll(async () => {
  redis = await RedisServer.start();
  h = await startHarness({ REDIS_URL: redis.url });

  // The processes verify the harness's tokens: they read its key pair from files.
  keyDirectory = mkdtempSync(join(tmpdir(), 'carebridge-fault-'));
  const publicKeyFile = join(keyDirectory, 'public.pem');
  const privateKeyFile = join(keyDirectory, 'private.pem');
  writeFileSync(publicKeyFile, createPublicKey(h.privateKey).export({ type: 'spki', format: 'pem' }));
  writeFileSync(privateKeyFile, h.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

  // The worker reaches Postgres through a proxy the test can cut; the API directly.
  databaseProxy = await TcpProxy.start(Number(serverUrl.port || 5432));
  const workerDatabaseUrl = new URL(h.config.DATABASE_URL);
  workerDatabaseUrl.port = String(databaseProxy.port);

  const apiPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    QUEUE_PREFIX: h.config.QUEUE_PREFIX,
    JWT_PUBLIC_KEY_FILE: publicKeyFile,
    JWT_PRIVATE_KEY_FILE: privateKeyFile,
    DATABASE_POOL_MAX: '6',
  };
  api = new AppProcess('src/main.ts', { ...shared, DATABASE_URL: h.config.DATABASE_URL, PORT: String(apiPort) });
  worker = new AppProcess('src/worker.ts', {
    ...shared,
    DATABASE_URL: workerDatabaseUrl.toString(),
    OUTBOX_POLL_INTERVAL_MS: '50',
    OUTBOX_RECONCILE_SECONDS: '0.5',
    OUTBOX_RECONCILE_AFTER_SECONDS: '2',
    // Four imports at a time: the outage case catches four in flight.
    WORKER_CONCURRENCY: '4',
    JOB_ATTEMPTS: '8',
    JOB_BACKOFF_MS: '100',
  });
  // They boot while the world is seeded: nothing they do at start depends on it.
  api.start();
  worker.start();
  world = await seedWorld(h.orm.em.fork());
  streamPatients = await addPatients(24, 1);
  outagePatients = await addPatients(4, 100);
  senders = new Senders({ lab: await h.token(world.claims[Role.LAB], '1h'), practice: await h.token(world.claims[Role.PCP], '1h') });
  await waitUntilServing(`${apiUrl}/healthz`, api);
}, 60_000);

afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  try {
    await h?.close();
  } finally {
    await redis?.stop();
    await databaseProxy?.close();
    if (keyDirectory) rmSync(keyDirectory, { recursive: true, force: true });
  }
});

const jobStates = (jobs: { queueName: QueueName; jobId: string }[]) => Promise.all(jobs.map(({ queueName, jobId }) => h.queues.get(queueName).getJobState(jobId)));

it('imports every acknowledged message exactly once while the worker, the API and Redis are killed under it', async () => {
  let sequence = 0;
  const nextMessage = (): SentMessage => {
    sequence++;
    const patient = streamPatients[sequence % streamPatients.length];
    if (sequence % 10 === 0) return fhirBundle(`bundle-${sequence}`, patient);
    return oruMessage(`LAB-${sequence}`, patient, sequence % 7 === 0);
  };
  let streaming = true;
  const stream = Promise.all(
    Array.from({ length: 3 }, async () => {
      while (streaming) {
        await senders.deliver(nextMessage());
        // A steady rate, well within what the worker imports, so that the faults land on a live stream.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }),
  );

  // Each fault waits for imports since the last one: the processes it hits are at work.
  const importsBetweenFaults = 10;
  const crashWorker = async () => {
    await afterImports(importsBetweenFaults);
    await worker.kill();
    worker.start();
  };
  const crashApi = async () => {
    await afterImports(2 * importsBetweenFaults);
    await api.kill();
    api.start();
    await waitUntilServing(`${apiUrl}/healthz`, api);
  };
  try {
    const workerCrashes = async () => {
      for (let crash = 0; crash < 3; crash++) await crashWorker();
    };
    await Promise.all([workerCrashes(), crashApi()]);
    // Last, so that it also takes the jobs the last killed worker was running: BullMQ would hand
    // those to another worker only after their lock expired (30 s and more), too long to wait for here.
    await afterImports(importsBetweenFaults);
    await redis.restart();
    await afterImports(importsBetweenFaults);
  } finally {
    streaming = false;
    await stream;
  }

  const unfinished = await waitFor('no unfinished work', unfinishedWork, (work) => work.received === 0 && work.outboxOpen === 0, 30_000);
  expect(unfinished).toEqual({ received: 0, outboxOpen: 0 });
  // The API's deaths cost requests their answer, and those were sent again.
  expect(senders.resends).toBeGreaterThan(0);
  const messages = senders.acknowledged;
  expect(messages.filter((message) => message.critical).length).toBeGreaterThan(0);
  expect(messages.filter((message) => message.format === 'FHIR').length).toBeGreaterThan(0);
  expect(await effectProblems(messages)).toEqual([]);
  expect(await h.orm.em.fork().count(InboxMessage, {})).toBe(messages.length);
  expect(await duplicatedNotifications()).toEqual([]);
  expectNoPhiIn(api.output + worker.output);
}, 120_000);

/** Holds row locks on patients in a transaction of its own: an import inserting their records waits. */
async function lockPatients(patients: TestPatient[]): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: h.config.DATABASE_URL });
  await client.connect();
  await client.query('begin');
  await client.query('select id from patient where id = any($1) for update', [patients.map((patient) => patient.id)]);
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

const outboxRowsOf = (inboxIds: string[]) => h.orm.em.fork().find(OutboxMessage, { $or: inboxIds.map((inboxMessageId) => ({ payload: { inboxMessageId } })) }, { orderBy: { id: 'asc' } });

/** The import jobs in Redis that carry these messages (a row's own, or one the relay made for many rows), once every message is in one. */
async function importJobsOf(inboxIds: string[]): Promise<{ queueName: QueueName; jobId: string }[]> {
  const rowJobIds = new Set((await outboxRowsOf(inboxIds)).map((row) => row.jobId));
  const queued = await h.queues.get('inbound-messages').getJobs(['active', 'waiting', 'delayed', 'failed', 'completed']);
  const carrying = queued.filter((job) => rowJobsOf({ jobId: job.id!, jobName: job.name, data: job.data as Record<string, unknown> }).some((row) => rowJobIds.has(row.jobId)));
  const carried = new Set(carrying.flatMap((job) => rowJobsOf({ jobId: job.id!, jobName: job.name, data: job.data as Record<string, unknown> }).map((row) => row.jobId)));
  return [...rowJobIds].every((jobId) => carried.has(jobId)) ? carrying.map((job) => ({ queueName: 'inbound-messages', jobId: job.id! })) : [];
}
const inboxRowsOf = (messages: SentMessage[]) =>
  h.orm.em.fork().find(InboxMessage, { sourceMessageId: { $in: messages.map((message) => message.sourceMessageId) } }, { orderBy: { sourceMessageId: 'asc' } });

it('ends messages FAILED when the database is away longer than the retry budget, and reprocessing them imports each once', async () => {
  // A retry budget of a few hundred milliseconds.
  await worker.kill();
  worker.start({ JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '100' });
  const messages = [
    oruMessage('OUTAGE-1', outagePatients[0], false),
    oruMessage('OUTAGE-2', outagePatients[1], true),
    oruMessage('OUTAGE-3', outagePatients[2], false),
    fhirBundle('outage-bundle', outagePatients[3]),
  ];
  // The imports are caught in flight: each waits on a lock of the test's until the database goes away.
  const locks = await lockPatients(outagePatients);
  let locked = true;
  try {
    await Promise.all(messages.map((message) => senders.deliver(message)));
    const inboxIds = (await inboxRowsOf(messages)).map((row) => row.id);
    expect(await outboxRowsOf(inboxIds)).toHaveLength(messages.length);
    const jobs = await waitFor('the imports to be queued', () => importJobsOf(inboxIds), (found) => found.length > 0, 30_000);
    await waitFor('every import to be running', () => jobStates(jobs), (states) => states.every((state) => state === 'active'), 30_000);

    await databaseProxy.cut();
    await waitFor('every job to fail for good', () => jobStates(jobs), (states) => states.every((state) => state === 'failed'), 20_000);
    // Marking them FAILED needs the database too: for now they still wait.
    expect((await inboxRowsOf(messages)).map((row) => row.state)).toEqual(messages.map(() => InboxState.RECEIVED));
    await locks.release();
    locked = false;
    await databaseProxy.restore();

    // Once the database is back, the reconciler settles the jobs that failed in Redis.
    const failed = await waitFor('the messages to be FAILED', () => inboxRowsOf(messages), (rows) => rows.every((row) => row.state === InboxState.FAILED), 20_000);
    for (const row of failed) {
      expect(row.error).toMatch(/^import failed: /);
      expect(row.error).not.toContain(familyName);
    }
    const told = await h.orm.em.fork().count(Notification, { kind: 'inbound.failed', subjectId: { $in: inboxIds }, recipient: world.claims[Role.ADMIN].userId });
    expect(told).toBe(messages.length);

    const admin = await h.token(world.claims[Role.ADMIN]);
    for (const row of failed) {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: ReprocessInboundMessageDocument.toString(), variables: { id: row.id } }),
      });
      expect(await response.json()).toEqual({ data: { reprocessInboundMessage: { message: { id: row.id, state: InboxState.RECEIVED, error: null } } } });
    }
    // Imported, and the work the imports queued (the critical result's alert) done.
    expect(await waitFor('no unfinished work', unfinishedWork, (work) => work.received === 0 && work.outboxOpen === 0, 20_000)).toEqual({ received: 0, outboxOpen: 0 });
    expect(await effectProblems(messages)).toEqual([]);
    expect(await duplicatedNotifications()).toEqual([]);
    expectNoPhiIn(api.output + worker.output);
  } finally {
    if (locked) await locks.release();
    await databaseProxy.restore();
  }
}, 60_000);
