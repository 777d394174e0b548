import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { addToOutbox } from '../src/jobs/outbox';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { reconcileOutbox } from '../src/jobs/outbox-reconciler';
import { OutboxRelay } from '../src/jobs/outbox-relay';
import { importsPerJob } from '../src/jobs/relayed-together';
import { createLogger } from '../src/logger';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { patientImportsKey } from '../src/modules/ingest/patient-imports-lock';
import { Patient } from '../src/modules/patients/patient.entity';
import { Client } from 'pg';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * The relay hands the imports of many stored messages to BullMQ as one job (one Redis round trip
 * for up to `importsPerJob` messages), and each message is still imported once, marked done or
 * failed on its own, and settled by the reconciler.
 */
let h: Harness;
let world: World;
const silent = createLogger('silent');
let controlIds = 0;

beforeAll(async () => {
  h = await startHarness({ JOB_ATTEMPTS: '1' });
  world = await seedWorld(h.orm.em.fork());
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
});
afterAll(() => h.close());
beforeEach(() => h.queues.get('inbound-messages').obliterate({ force: true }));

const fixture = readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1');

/** Stores `count` lab messages as the ingest route does, their import rows committed at once; a `broken` one's source is gone, so its import fails. */
async function store(count: number, broken: number[] = [], edit: (raw: string) => string = (raw) => raw): Promise<InboxMessage[]> {
  const em = h.orm.em.fork();
  const messages = Array.from({ length: count }, (_, index) => {
    const controlId = `JOBS-${++controlIds}`;
    return new InboxMessage({
      source: InboxSource.HL7V2,
      sourceOrganizationId: broken.includes(index) ? randomUUID() : world.claims[Role.LAB].organizationId!,
      sourceMessageId: controlId,
      contentType: 'x-application/hl7-v2+er7',
      headers: {},
      raw: Buffer.from(edit(fixture.replace('LAB-0001', controlId).replace(/ORD1|FIL1/g, (id) => `${id}-${controlId}`)), 'latin1'),
      charset: 'utf-8',
    });
  });
  em.persist(messages);
  for (const message of messages) addToOutbox(em, 'inbound-messages', 'message.received', { inboxMessageId: message.id });
  await em.flush();
  return messages;
}

const idsOf = (messages: InboxMessage[]) => messages.map((message) => message.id);
const rowsOf = (messages: InboxMessage[]) =>
  h.orm.em.fork().find(OutboxMessage, { payload: { inboxMessageId: { $in: idsOf(messages) } } }, { orderBy: { id: 'asc' } });
const statesOf = async (messages: InboxMessage[]) => {
  const rows = await h.orm.em.fork().find(InboxMessage, { id: { $in: idsOf(messages) } });
  return idsOf(messages).map((id) => rows.find((row) => row.id === id)!.state);
};
const recordsOf = (messages: InboxMessage[]) => h.orm.em.fork().count(ClinicalRecord, { inboxMessageId: { $in: idsOf(messages) } });

it(`relays the imports of up to ${importsPerJob} messages as one job under its first row's job id; the same rows relayed again are the same jobs`, async () => {
  const messages = await store(2 * importsPerJob + 20);
  const relay = new OutboxRelay(h.orm, h.queues, silent, { batchSize: 1000, pollIntervalMs: 50 });
  await relay.relayOnce();
  const rows = await rowsOf(messages);
  const queue = h.queues.get('inbound-messages');
  const jobs = (await queue.getJobs(['waiting'])).sort((a, b) => rows.findIndex((row) => row.jobId === a.id) - rows.findIndex((row) => row.jobId === b.id));
  expect(jobs.map((job) => [job.id, job.name, job.data as unknown])).toEqual(
    [0, importsPerJob, 2 * importsPerJob].map((first) => {
      const ofJob = rows.slice(first, first + importsPerJob);
      return [ofJob[0].jobId, 'messages.received', { inboxMessageIds: ofJob.map((row) => row.payload.inboxMessageId), jobIds: ofJob.map((row) => row.jobId) }];
    }),
  );

  // The relay died before marking its rows: the next claims them again, and BullMQ keeps the jobs it has.
  await h.orm.em.fork().nativeUpdate(OutboxMessage, { id: { $in: rows.map((row) => row.id) } }, { relayedAt: null });
  await relay.relayOnce();
  expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 3 });
  // No worker runs them here: settled, so the reconciler of a later test leaves them alone.
  await h.orm.em.fork().nativeUpdate(OutboxMessage, { id: { $in: rows.map((row) => row.id) } }, { doneAt: new Date() });
});

it('imports each message of such a job once and marks each row done; the job delivered again changes nothing', async () => {
  const messages = await store(importsPerJob + 10);
  const workers = startTestWorkers(h);
  try {
    expect(await until(() => statesOf(messages), (states) => states.every((state) => state === InboxState.PROCESSED), 20_000)).toEqual(messages.map(() => InboxState.PROCESSED));
    const rows = await until(() => rowsOf(messages), (found) => found.every((row) => row.doneAt !== null));
    expect(rows.map((row) => [row.doneAt !== null, row.failedAt])).toEqual(messages.map(() => [true, null]));
    // One result and one order report per message.
    expect(await recordsOf(messages)).toBe(2 * messages.length);

    // Delivered again (a worker that died before acknowledging it): every message is found imported.
    const queue = h.queues.get('inbound-messages');
    const [job] = await queue.getJobs(['completed']).then((jobs) => jobs.filter((each) => each.name === 'messages.received' && each.id === rows[0].jobId));
    await queue.add(job.name, job.data, { jobId: 'delivered-again' });
    expect(await until(() => queue.getJobState('delivered-again'), (state) => state === 'completed')).toBe('completed');
    expect(await recordsOf(messages)).toBe(2 * messages.length);
  } finally {
    await workers.stop();
  }
});

it("fails only the message of such a job that fails for good: the others' rows are done, not failed", async () => {
  const messages = await store(3, [1]);
  const workers = startTestWorkers(h);
  try {
    expect(await until(() => statesOf(messages), (states) => states[1] === InboxState.FAILED, 20_000)).toEqual([InboxState.PROCESSED, InboxState.FAILED, InboxState.PROCESSED]);
    const [failedJob] = await h.queues.get('inbound-messages').getJobs(['failed']);
    expect(failedJob.name).toBe('messages.received');
    const rows = await until(() => rowsOf(messages), (found) => found[1].failedAt !== null);
    expect(rows.map((row) => [row.doneAt !== null, row.failedAt !== null])).toEqual([
      [true, false],
      [true, true],
      [true, false],
    ]);
  } finally {
    await workers.stop();
  }
});

it('lets no failing message use up the retries of the others waiting for their patient: they are imported once the patient is free', async () => {
  // The failing message is another patient's, so it fails at once while the first patient's wait.
  const other = world.patients[1];
  await h.orm.em.fork().nativeUpdate(Patient, { id: other.id }, { phone: '555-010-9876' });
  const [failing] = await store(1, [0], (raw) =>
    raw.replace('Demo^Avery^Q', `${other.familyName}^${other.givenName}`).replace('19880412', other.birthDate.replaceAll('-', '')).replace('(555) 010-1234', '(555) 010-9876'),
  );
  const waiting = await store(2);
  const holder = new Client({ connectionString: h.config.DATABASE_URL });
  await holder.connect();
  await holder.query('begin');
  await holder.query('select pg_advisory_xact_lock(hashtext($1))', [patientImportsKey(world.patients[0].id)]);
  const workers = startTestWorkers(h);
  try {
    await until(() => h.queues.get('inbound-messages').getJobs(['delayed', 'failed']), (jobs) => jobs.length > 0, 10_000);
    await holder.query('commit');
    const messages = [failing, ...waiting];
    expect(await until(() => statesOf(messages), (states) => !states.includes(InboxState.RECEIVED), 20_000)).toEqual([
      InboxState.FAILED,
      InboxState.PROCESSED,
      InboxState.PROCESSED,
    ]);
  } finally {
    await holder.end().catch(() => undefined);
    await workers.stop();
  }
});

it('settles every row of such a job that completed while its worker died before marking them, queuing none again', async () => {
  const messages = await store(5);
  const workers = startTestWorkers(h);
  try {
    await until(() => rowsOf(messages), (rows) => rows.every((row) => row.doneAt !== null));
  } finally {
    await workers.stop();
  }
  const ids = (await rowsOf(messages)).map((row) => row.id);
  await h.orm.em.fork().nativeUpdate(OutboxMessage, { id: { $in: ids } }, { doneAt: null, relayedAt: new Date(Date.now() - 60_000) });
  const result = await reconcileOutbox(h.orm, h.queues, silent, 0.3, () => Promise.resolve());
  expect(result).toEqual({ requeued: 0, settled: 1 });
  expect((await rowsOf(messages)).every((row) => row.doneAt !== null)).toBe(true);
});
