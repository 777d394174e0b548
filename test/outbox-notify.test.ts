import { performance } from 'node:perf_hooks';
import { Role } from '../src/auth/roles';
import { addToOutbox } from '../src/jobs/outbox';
import { OutboxRelay } from '../src/jobs/outbox-relay';
import { createLogger } from '../src/logger';
import { startHarness, type Harness } from './helpers/harness';
import { until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * The relay is woken by Postgres (LISTEN/NOTIFY, a trigger on outbox_message) the moment outbox
 * rows commit: with a poll interval of ten minutes, a committed row still becomes a job at once.
 */
let h: Harness;
let world: World;
let relay: OutboxRelay;
const tenMinutes = 600_000;

beforeAll(async () => {
  h = await startHarness({ OUTBOX_POLL_INTERVAL_MS: String(tenMinutes) });
  world = await seedWorld(h.orm.em.fork());
  relay = new OutboxRelay(h.orm, h.queues, createLogger('silent'), {
    batchSize: 100,
    pollIntervalMs: h.config.OUTBOX_POLL_INTERVAL_MS,
    notifications: { databaseUrl: h.config.DATABASE_URL, reconnectDelayMs: 100 },
  });
  relay.start();
  await relay.whenListening();
});
afterAll(async () => {
  await relay.stop();
  await h.close();
});

const jobs = (queue: 'notifications' | 'inbound-messages') => h.queues.get(queue).count();

/** Milliseconds until `queue` holds one more job, after `commit`. */
async function pickupMs(queue: 'notifications' | 'inbound-messages', commit: () => Promise<unknown>): Promise<number> {
  const before = await jobs(queue);
  await commit();
  const committed = performance.now();
  await until(() => jobs(queue), (count) => count > before, 5000);
  return performance.now() - committed;
}

const addNotificationJob = (n: number) => async () => {
  const em = h.orm.em.fork();
  addToOutbox(em, 'notifications', 'patient.enrolled', { enrollmentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` });
  await em.flush();
};

it('relays a row written through the ORM well under a second, without waiting for the poll', async () => {
  expect(await pickupMs('notifications', addNotificationJob(1))).toBeLessThan(500);
});

it('relays the import job of a message accepted on the ingest path (plain SQL) well under a second', async () => {
  const token = await h.token(world.claims[Role.LAB]);
  const accept = async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/ingest/hl7',
      headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${token}` },
      payload: 'MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01|NOTIFY-1|P|2.5.1\rPID|1||L-1^^^REGLAB^MR||Doe^Jo\rOBR|1|O1|F1|2823-3^Potassium^LN|||20261201070000|||||||||||||||20261201080000|||F\rOBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||F',
    });
    expect(response.body).toContain('MSA|AA|NOTIFY-1');
  };
  expect(await pickupMs('inbound-messages', accept)).toBeLessThan(500);
});

it('listens again after its connection is lost, relaying what was committed meanwhile', async () => {
  const listenerPid = async () =>
    (await h.orm.em.getConnection().execute<{ pid: number }[]>(`select pid from pg_stat_activity where application_name = 'carebridge-outbox-relay' and datname = current_database()`))[0]?.pid ?? null;
  const lostPid = await listenerPid();
  expect(lostPid).not.toBeNull();
  await h.orm.em.getConnection().execute('select pg_terminate_backend(?)', [lostPid]);
  const before = await jobs('notifications');
  await addNotificationJob(2)();
  expect(await until(listenerPid, (pid) => pid !== null && pid !== lostPid, 3000)).not.toBe(lostPid);
  expect(await until(() => jobs('notifications'), (count) => count > before, 3000)).toBe(before + 1);
  expect(await pickupMs('notifications', addNotificationJob(3))).toBeLessThan(500);
});
