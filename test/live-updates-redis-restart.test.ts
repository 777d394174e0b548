import { Role } from '../src/auth/roles';
import { LivePublisher } from '../src/live/live-publisher';
import { channelOf } from '../src/live/topics';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { CriticalAlertRaisedDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { lithium, sendHl7Message } from './helpers/ingest';
import { subscribe, subscriptionsUrl } from './helpers/live';
import { RedisServer } from './helpers/redis-server';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/** The API's Redis subscriber outlives a Redis restart: open subscriptions get events again once it is back. */
let redisServer: RedisServer;
let h: Harness;
let world: World;

beforeAll(async () => {
  redisServer = await RedisServer.start();
  h = await startHarness({ REDIS_URL: redisServer.url, CRITICAL_ALERT_ESCALATION_SECONDS: '3600' });
  world = await seedWorld(h.orm.em.fork());
  const em = h.orm.em.fork();
  em.persist(new PatientIdentifier(em.getReference(Patient, world.patients[0].id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), 'L-555', 'REGLAB'));
  await em.flush();
}, 30_000);
afterAll(async () => {
  await h.close();
  await redisServer.stop();
});

it('delivers events again after Redis restarts, on the same open subscription', async () => {
  const workers = startTestWorkers(h);
  await sendHl7Message(h, await h.token(world.claims[Role.LAB]), lithium('RESTART-1', '1.9', 'HH'));
  const alert = await until(() => h.orm.em.fork().findOne(CriticalAlert, { patient: world.patients[0].id }), (found) => found !== null);
  await workers.stop();
  const event = { patientId: world.patients[0].id, recordId: alert!.id };
  const publisher = new LivePublisher(h.redis, h.config.QUEUE_PREFIX, h.logger);
  const subscriber = subscribe(await subscriptionsUrl(h.app), await h.token(world.claims[Role.IOP_CLINICIAN]), CriticalAlertRaisedDocument, {});
  const received = async () => {
    await publisher.publish('criticalAlertRaised', event);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return subscriber.results.length;
  };
  expect(await until(received, (count) => count > 0)).toBeGreaterThan(0);

  await redisServer.restart();
  const numsub = async () => ((await h.redis.pubsub('NUMSUB', channelOf(h.config.QUEUE_PREFIX, 'criticalAlertRaised')).catch(() => ['', 0])) as [string, number])[1];
  expect(await until(numsub, (count) => count === 1, 15_000)).toBe(1);
  const before = subscriber.results.length;
  expect(await until(received, (count) => count > before)).toBeGreaterThan(before);
  expect(subscriber.results.every((result) => result.data?.criticalAlertRaised.id === alert!.id)).toBe(true);
  expect(subscriber.failure).toBeNull();
  await subscriber.stop();
}, 40_000);
