import type { MikroORM } from '@mikro-orm/postgresql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueSet } from '../jobs/queue-set';
import { undeliveredEmails } from '../modules/notifications/email-delivery';
import { inboxBacklog } from '../modules/ingest/inbox-backlog';
import { outboxBacklog } from '../jobs/outbox-backlog';

const jobStates = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * The process's Prometheus metrics: defaults, HTTP traffic and, when given queues, their depths;
 * when given the database, the notification e-mails not delivered.
 */
export function createMetrics({ queues, orm }: { queues?: QueueSet; orm?: MikroORM } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const graphqlRequests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by the path that answered them: fast (a query already answered once, graphql/fast-path.ts), remembered (an answer from the credentials given again to the same sign-in, not executed) or apollo',
    labelNames: ['path'] as const,
    registers: [registry],
  });
  if (queues) {
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        const counts = await Promise.all(queues.all().map(async (queue) => [queue.name, await queue.getJobCounts(...jobStates)] as const));
        for (const [queue, byState] of counts) {
          for (const state of jobStates) this.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
  }
  if (orm) {
    new Gauge({
      name: 'notification_emails_undelivered',
      help: 'Notification e-mails waiting to be sent or retried (pending) and given up after NOTIFY_EMAIL_MAX_ATTEMPTS (failed)',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        const counts = await undeliveredEmails(orm.em.fork());
        this.set({ status: 'pending' }, counts.pending);
        this.set({ status: 'failed' }, counts.failed);
      },
    });
    backlogGauges(registry, 'source', () => inboxBacklog(orm.em.fork()), {
      counts: ['inbox_messages', 'Inbound messages by source and state (FAILED: import failed for good, waiting for reprocessing)'],
      oldest: ['inbox_oldest_unfinished_seconds', 'Age of the oldest inbound message of each source still RECEIVED (accepted, not yet imported)'],
    });
    backlogGauges(registry, 'queue', () => outboxBacklog(orm.em.fork()), {
      counts: ['outbox_messages', 'Queued work by queue and state: waiting (not yet in Redis), queued (in Redis, not done), failed (given up for good; grows, alert on its increase)'],
      oldest: ['outbox_oldest_unfinished_seconds', 'Age of the oldest queued work of each queue not yet finished (waiting for the relay, or in Redis with its effect not committed)'],
    });
  }
  // Each request's labels picked once per method, route and status, not hashed again on every request.
  const httpSeries = new Map<string, { requests: Counter.Internal; duration: Histogram.Internal<'method' | 'route'> }>();
  const observeHttpRequest = (method: string, route: string, status: number, seconds: number): void => {
    const key = `${method} ${status} ${route}`;
    let series = httpSeries.get(key);
    if (!series) httpSeries.set(key, (series = { requests: httpRequests.labels(method, route, String(status)), duration: httpDuration.labels(method, route) }));
    series.requests.inc();
    series.duration.observe(seconds);
  };
  return { registry, observeHttpRequest, graphqlRequests };
}

export type Metrics = ReturnType<typeof createMetrics>;

type Backlog<Key extends string> = {
  counts: (Record<Key, string> & { state: string; count: number })[];
  oldest: (Record<Key, string> & { ageSeconds: number })[];
};

/**
 * Two gauges read from one query: counts by key and state, and the age of the oldest unfinished
 * row by key. prom-client collects every metric of a scrape at once, so the two collects share
 * one load instead of one reading what the other wrote at the previous scrape.
 */
function backlogGauges<Key extends string>(
  registry: Registry,
  key: Key,
  load: () => Promise<Backlog<Key>>,
  names: { counts: [string, string]; oldest: [string, string] },
): void {
  let scrape: Promise<Backlog<Key>> | null = null;
  const loadOncePerScrape = () => {
    scrape ??= load().finally(() => (scrape = null));
    return scrape;
  };
  new Gauge<string>({
    name: names.counts[0],
    help: names.counts[1],
    labelNames: [key, 'state'],
    registers: [registry],
    async collect() {
      const { counts } = await loadOncePerScrape();
      this.reset();
      for (const row of counts) this.set({ [key]: String(row[key]), state: row.state }, row.count);
    },
  });
  new Gauge<string>({
    name: names.oldest[0],
    help: names.oldest[1],
    labelNames: [key],
    registers: [registry],
    async collect() {
      const { oldest } = await loadOncePerScrape();
      this.reset();
      for (const row of oldest) this.set({ [key]: String(row[key]) }, row.ageSeconds);
    },
  });
}
