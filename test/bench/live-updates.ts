import { performance } from 'node:perf_hooks';
import { Role } from '../../src/auth/roles';
import { createRedis } from '../../src/jobs/redis';
import { LivePublisher } from '../../src/live/live-publisher';
import { channelOf } from '../../src/live/topics';
import { createLogger } from '../../src/logger';
import { CriticalAlert } from '../../src/modules/labs/critical-alert.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../../src/modules/patients/patient-identifier.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { CriticalAlertDocument, CriticalAlertRaisedDocument } from '../generated/graphql';
import { startHarness } from '../helpers/harness';
import { lithium, sendHl7Message } from '../helpers/ingest';
import { startSecondInstance, subscribe, subscriptionsUrl } from '../helpers/live';
import { startTestWorkers, until } from '../helpers/workers';
import { seedWorld } from '../helpers/world';
import { measure, row } from './measure';

const subscribersPerInstance = Number(process.env.BENCH_LIVE_SUBSCRIBERS ?? 50);
const events = Number(process.env.BENCH_LIVE_EVENTS ?? 40);

/**
 * Live updates fanned out: two API instances with `subscribersPerInstance` care-team subscribers
 * each; one critical alert's event published `events` times back to back. Each
 * delivery is a re-read through the policy point and an audit write, so the figure is deliveries
 * (events × subscribers) a second, and the latency from PUBLISH to the subscriber's `next`.
 */
export async function liveUpdatesBench(template: string): Promise<void> {
  const h = await startHarness({ LOG_LEVEL: 'silent', NODE_ENV: 'production', DATABASE_POOL_MAX: '10' }, template);
  const instanceB = await startSecondInstance(h);
  const workers = startTestWorkers(h);
  const connection = createRedis(h.config.REDIS_URL, 'client');
  try {
    const world = await seedWorld(h.orm.em.fork());
    const patient = world.patients[0];
    const em = h.orm.em.fork();
    em.persist(new PatientIdentifier(em.getReference(Patient, patient.id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), 'L-555', 'REGLAB'));
    await em.flush();
    await sendHl7Message(h, await h.token(world.claims[Role.LAB]), lithium('BENCH-LIVE', '1.9', 'HH'));
    const alert = await until(() => h.orm.em.fork().findOne(CriticalAlert, { patient: patient.id }), (found) => found !== null);

    const token = await h.token(world.claims[Role.IOP_CLINICIAN]);
    const urls = [await subscriptionsUrl(h.app), await subscriptionsUrl(instanceB)];
    const subscribers = urls.flatMap((url) => Array.from({ length: subscribersPerInstance }, () => subscribe(url, token, CriticalAlertRaisedDocument, {})));
    const channel = channelOf(h.config.QUEUE_PREFIX, 'criticalAlertRaised');
    await until(async () => ((await h.redis.pubsub('NUMSUB', channel)) as [string, number])[1], (count) => count === 2);
    const publisher = new LivePublisher(connection, h.config.QUEUE_PREFIX, createLogger('silent'));
    const event = { patientId: patient.id, recordId: alert!.id };
    // Warm-up: until every subscription is listening.
    await until(
      async () => {
        await publisher.publish('criticalAlertRaised', event);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return subscribers.every((subscriber) => subscriber.results.length > 0);
      },
      Boolean,
      30_000,
    );
    await until(async () => subscribers.map((subscriber) => subscriber.results.length), (counts) => new Set(counts).size === 1, 10_000);
    const before = subscribers.map((subscriber) => subscriber.results.length);

    const sentAt: number[] = [];
    const started = performance.now();
    for (let index = 0; index < events; index++) {
      sentAt.push(performance.now());
      await publisher.publish('criticalAlertRaised', event);
    }
    await until(async () => subscribers.every((subscriber, at) => subscriber.results.length >= before[at] + events), Boolean, 120_000);
    const finished = Math.max(...subscribers.map((subscriber) => subscriber.receivedAt[subscriber.receivedAt.length - 1]));
    const latencies = subscribers.flatMap((subscriber, at) => sentAt.map((sent, index) => subscriber.receivedAt[before[at] + index] - sent));
    const elapsed = (finished - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    const errors = subscribers.flatMap((subscriber) => subscriber.results.filter((result) => result.errors));
    console.log(`\nLive updates (2 API instances × ${subscribersPerInstance} subscribers, ${events} events published at once; each delivery re-read + audited)`);
    console.log(
      `${(latencies.length / elapsed).toFixed(0).padStart(7)} deliveries/s   publish → next p50 ${at(0.5).toFixed(1)} ms   p99 ${at(0.99).toFixed(1)} ms   ${errors.length} errors`,
    );
    await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
    // The same re-read and audit as one read over HTTP, for scale.
    const read = await measure(200, 8, async () => {
      const result = await h.graphql(CriticalAlertDocument, { id: alert!.id }, token);
      if (result.errors) throw new Error(`benchmark read failed: ${JSON.stringify(result.errors)}`);
    });
    console.log(row('criticalAlert(id) over HTTP, 8 in flight', read));
  } finally {
    await connection.quit();
    await workers.stop();
    await instanceB.close();
    await h.close();
  }
}
