import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { reconcileOutbox } from '../src/jobs/outbox-reconciler';
import { OutboxRelay } from '../src/jobs/outbox-relay';
import { createRedis } from '../src/jobs/redis';
import { startWorkerRuntime } from '../src/jobs/worker-runtime';
import { createLogger } from '../src/logger';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { deleteKeys, startHarness, type Harness } from './helpers/harness';
import { sendHl7Message } from './helpers/ingest';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/** The database is the source of truth for queued work: what Redis loses is queued again, what ended unmarked is settled. */
let h: Harness;
let world: World;
const silent = createLogger('silent');
const noFailure = () => Promise.resolve();

beforeAll(async () => {
  h = await startHarness({ OUTBOX_RECONCILE_SECONDS: '0.2', OUTBOX_RECONCILE_AFTER_SECONDS: '0.3', JOB_ATTEMPTS: '1' });
  world = await seedWorld(h.orm.em.fork());
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
});
afterAll(() => h.close());

const hl7 = (controlId: string) => readFileSync(join(__dirname, 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1').replace('LAB-0001', controlId);
const fhir = (id: string) => readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json'), 'utf8').replace('maple-export-0001', id);
const jobsOf = (inboxMessageId: string) => h.orm.em.fork().find(OutboxMessage, { payload: { inboxMessageId } });

async function accept(url: string, contentType: string, role: Role, body: string) {
  const response = await h.app.inject({ method: 'POST', url, headers: { 'content-type': contentType, authorization: `Bearer ${await h.token(world.claims[role])}` }, payload: body });
  expect(response.statusCode).toBeLessThan(300);
}

it('queues again, under the same job id, what was relayed when Redis lost it, and nothing still queued', async () => {
  await accept('/ingest/hl7', 'x-application/hl7-v2+er7', Role.LAB, hl7('LAB-LOST'));
  await accept('/ingest/fhir', 'application/fhir+json', Role.PCP, fhir('bundle-lost'));
  expect(await new OutboxRelay(h.orm, h.queues, silent, { batchSize: 100, pollIntervalMs: 50 }).relayOnce()).toBeGreaterThanOrEqual(2);
  await new Promise((resolve) => setTimeout(resolve, 400));
  // The jobs are waiting in Redis: nothing to do.
  expect(await reconcileOutbox(h.orm, h.queues, silent, 0.3, noFailure)).toEqual({ requeued: 0, settled: 0 });

  // Redis restarts empty: the jobs are gone; the outbox rows say they were relayed, not done.
  await deleteKeys(h.redis, `${h.config.QUEUE_PREFIX}:*`);
  const workers = startTestWorkers(h);
  try {
    const messages = await until(
      () => h.orm.em.fork().find(InboxMessage, { sourceMessageId: { $in: ['LAB-LOST', 'bundle-lost'] } }),
      (found) => found.every((message) => message.state === InboxState.PROCESSED),
    );
    expect(messages.map((message) => message.state)).toEqual([InboxState.PROCESSED, InboxState.PROCESSED]);
    for (const message of messages) {
      expect(await h.orm.em.fork().count(ClinicalRecord, { inboxMessageId: message.id })).toBeGreaterThan(0);
      const [job] = await until(() => jobsOf(message.id), (jobs) => jobs.every((each) => each.doneAt !== null));
      expect(job.doneAt).not.toBeNull();
    }
  } finally {
    await workers.stop();
  }
});

it('settles a job that completed while its worker died before marking it, without running it again', async () => {
  const workers = startTestWorkers(h);
  try {
    const { message } = await sendHl7Message(h, await h.token(world.claims[Role.LAB]), hl7('LAB-DONE'));
    expect(message?.state).toBe(InboxState.PROCESSED);
    await until(() => jobsOf(message!.id), (jobs) => jobs[0]?.doneAt !== null);
    await h.orm.em.fork().nativeUpdate(OutboxMessage, { payload: { inboxMessageId: message!.id } }, { doneAt: null, relayedAt: new Date(Date.now() - 60_000) });
    const result = await reconcileOutbox(h.orm, h.queues, silent, 0.3, noFailure);
    expect(result.requeued).toBe(0);
    expect((await jobsOf(message!.id))[0].doneAt).not.toBeNull();
  } finally {
    await workers.stop();
  }
});

it('marks the message of a job that failed for good while its worker died before marking it', async () => {
  const workers = startTestWorkers(h);
  try {
    const { message } = await sendHl7Message(h, await h.token(world.claims[Role.LAB]), hl7('LAB-BROKEN'));
    expect(message?.state).toBe(InboxState.PROCESSED);
    // A message whose import cannot work (its source organization is gone), queued and failed for good.
    const broken = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message!.id });
    await h.orm.em.fork().nativeUpdate(InboxMessage, { id: broken.id }, { state: InboxState.FAILED, sourceOrganizationId: randomUUID() });
    await h.graphql(`mutation ($id: ID!) { reprocessInboundMessage(id: $id) { message { id } } }`, { id: broken.id }, await h.token(world.claims[Role.ADMIN]));
    await until(() => h.orm.em.fork().findOneOrFail(InboxMessage, { id: broken.id }), (stored) => stored.state === InboxState.FAILED);
    // As if the worker had died before its failure handler ran: the database still says RECEIVED, not done.
    await workers.stop();
    await h.orm.em.fork().nativeUpdate(InboxMessage, { id: broken.id }, { state: InboxState.RECEIVED, error: null });
    await h.orm.em.fork().nativeUpdate(OutboxMessage, { payload: { inboxMessageId: broken.id } }, { doneAt: null, relayedAt: new Date(Date.now() - 60_000) });
    const failed: [string, string][] = [];
    const result = await reconcileOutbox(h.orm, h.queues, silent, 0.3, async (job, reason) => {
      failed.push([String(job.data.inboxMessageId), reason]);
    });
    expect(result.requeued).toBe(0);
    // The reason BullMQ kept: an error type and code, never content.
    expect(failed).toContainEqual([broken.id, expect.stringMatching(/^[A-Za-z]+(Error|Exception)( \(\w+\))?$/)]);
  } finally {
    await workers.stop().catch(() => undefined);
  }
});

it('sets the schedules again when Redis lost them, so a sweep is delayed, never stopped; jobs hold their lock for JOB_LOCK_MS', async () => {
  const workerConnection = createRedis(h.config.REDIS_URL, 'worker');
  const runtime = startWorkerRuntime({ config: h.config, orm: h.orm, workerConnection, queues: h.queues, logger: silent });
  const sweepSchedule = () => h.queues.get('roi-consent').getJobScheduler('consent-sweep');
  try {
    expect(runtime.workers.map((worker) => worker.opts.lockDuration)).toEqual(runtime.workers.map(() => h.config.JOB_LOCK_MS));
    expect(await until(sweepSchedule, (scheduler) => scheduler !== undefined)).toBeDefined();
    await deleteKeys(h.redis, `${h.config.QUEUE_PREFIX}:*`);
    expect(await sweepSchedule()).toBeUndefined();
    expect(await until(sweepSchedule, (scheduler) => scheduler !== undefined, 5_000)).toMatchObject({ every: h.config.CONSENT_SWEEP_SECONDS * 1000 });
  } finally {
    await runtime.stop();
    await workerConnection.quit();
  }
});
