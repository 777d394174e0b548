import { spawnSync } from 'node:child_process';
import { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Role } from '../src/auth/roles';
import { addToOutbox } from '../src/jobs/outbox';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { OutboxRelay } from '../src/jobs/outbox-relay';
import { createRedis } from '../src/jobs/redis';
import { notificationsProcessor } from '../src/modules/notifications/notifications.worker';
import { LivePublisher } from '../src/live/live-publisher';
import { createJobContext, startWorkerRuntime, type WorkerRuntime } from '../src/jobs/worker-runtime';
import { createLogger } from '../src/logger';
import { Notification } from '../src/modules/notifications/notification.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { RegisterPatientDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let workerConnection: Redis;
const silent = createLogger('silent');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  workerConnection = createRedis(h.config.REDIS_URL, 'worker');
});
afterAll(async () => {
  await workerConnection.quit();
  await h.close();
});

function relay(batchSize = 100) {
  return new OutboxRelay(h.orm, h.queues, silent, { batchSize, pollIntervalMs: 50 });
}

async function jobCount(): Promise<number> {
  const counts = await h.queues.get('notifications').getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

beforeEach(async () => {
  // The seed's own outbox rows are relayed and drained so each test starts from an empty queue.
  await relay().relayOnce();
  await h.queues.get('notifications').obliterate({ force: true });
});

it('a rolled-back transaction leaves no outbox row and enqueues nothing', async () => {
  const before = await h.orm.em.fork().count(OutboxMessage, {});
  await expect(
    h.orm.em.fork().transactional(async (tx) => {
      tx.persist(new Organization('Rolled Back IOP', OrganizationKind.IOP));
      addToOutbox(tx, 'notifications', 'patient.enrolled', { enrollmentId: '00000000-0000-4000-8000-000000000001' });
      await tx.flush();
      throw new Error('the change fails after its outbox row was written');
    }),
  ).rejects.toThrow('the change fails');
  expect(await h.orm.em.fork().count(OutboxMessage, {})).toBe(before);
  expect(await h.orm.em.fork().count(Organization, { name: 'Rolled Back IOP' })).toBe(0);
  expect(await relay().relayOnce()).toBe(0);
  expect(await jobCount()).toBe(0);
});

it('a committed change\'s job runs exactly once even when the relay dies between adding the job and marking the row', async () => {
  const registered = await h.graphql(
    RegisterPatientDocument,
    { input: { givenName: 'Crash', familyName: 'Window', birthDate: '1985-01-01' } },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  const enrollmentId = registered.data!.registerPatient.enrollment.id;
  const row = await h.orm.em.fork().findOneOrFail(OutboxMessage, { payload: { enrollmentId } });

  const crashed = spawnSync(process.execPath, ['-r', '@swc-node/register', 'test/helpers/crashing-relay.ts'], {
    env: { ...process.env, DATABASE_URL: h.config.DATABASE_URL, QUEUE_PREFIX: h.config.QUEUE_PREFIX, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(crashed.signal).toBe('SIGKILL');
  expect(crashed.stdout).toContain(row.jobId);
  // The job reached Redis, but the dead relay's transaction rolled back: the row is still unrelayed.
  expect(await jobCount()).toBe(1);
  const unmarked = await until(() => h.orm.em.fork().findOneOrFail(OutboxMessage, { id: row.id }), (message) => message.relayedAt === null);
  expect(unmarked.relayedAt).toBeNull();

  const runtime: WorkerRuntime = startWorkerRuntime({
    config: h.config,
    orm: h.orm,
    workerConnection,
    queues: h.queues,
    logger: silent,
  });
  try {
    const relayed = await until(() => h.orm.em.fork().findOneOrFail(OutboxMessage, { id: row.id }), (message) => message.relayedAt !== null);
    expect(relayed.relayedAt).not.toBeNull();
    const completed = await until(() => h.queues.get('notifications').getCompletedCount(), (count) => count === 1);
    expect(completed).toBe(1);
  } finally {
    await runtime.stop();
  }
  expect(await jobCount()).toBe(1);
  const job = await h.queues.get('notifications').getJob(row.jobId);
  expect(job?.attemptsMade).toBe(1);
  expect(job?.returnvalue).toEqual({ created: 1 });
  const notifications = await h.orm.em.fork().find(Notification, { subjectId: enrollmentId });
  expect(notifications.map((notification) => notification.recipient.id)).toEqual([world.claims[Role.IOP_CLINICIAN].userId]);
});

it('a job delivered again (a worker that died before acknowledging) notifies no one twice', async () => {
  const registered = await h.graphql(
    RegisterPatientDocument,
    { input: { givenName: 'Twice', familyName: 'Delivered', birthDate: '1985-01-01' } },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  const enrollmentId = registered.data!.registerPatient.enrollment.id;
  await relay().relayOnce();
  const row = await h.orm.em.fork().findOneOrFail(OutboxMessage, { payload: { enrollmentId } });
  const job = await Job.fromId(h.queues.get('notifications'), row.jobId);
  expect(job).toBeDefined();
  const context = createJobContext({ orm: h.orm, logger: silent, queues: h.queues, config: h.config, live: new LivePublisher(h.redis, h.queues.prefix, silent) });
  // Two deliveries at the same moment (a stalled job picked up again while the first still runs).
  const concurrent = await Promise.all([notificationsProcessor(job!, context), notificationsProcessor(job!, context)]);
  expect(concurrent).toHaveLength(2);
  expect(concurrent).toEqual(expect.arrayContaining([{ created: 0 }, { created: 1 }]));
  expect(await notificationsProcessor(job!, context)).toEqual({ created: 0 });
  expect(await h.orm.em.fork().count(Notification, { subjectId: enrollmentId })).toBe(1);
});

it('relays running side by side claim different rows (FOR UPDATE SKIP LOCKED): every row becomes one job', async () => {
  const em = h.orm.em.fork();
  for (let i = 0; i < 60; i++) addToOutbox(em, 'notifications', 'patient.enrolled', { enrollmentId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
  await em.flush();
  // The first relay holds its claimed rows (transaction open) until the second has finished.
  let secondFinished: () => void = () => undefined;
  const untilSecondFinished = new Promise<void>((resolve) => (secondFinished = resolve));
  const holding = new OutboxRelay(h.orm, h.queues, silent, { batchSize: 40, pollIntervalMs: 50, afterEnqueue: () => untilSecondFinished });
  const first = holding.relayOnce();
  await until(jobCount, (count) => count === 40);
  const second = await relay(40).relayOnce();
  secondFinished();
  expect([await first, second]).toEqual([40, 20]);
  while ((await relay(40).relayOnce()) > 0);
  expect(await h.orm.em.fork().count(OutboxMessage, { relayedAt: null })).toBe(0);
  expect(await jobCount()).toBe(60);
});
