import type { MikroORM } from '@mikro-orm/postgresql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueSet } from '../jobs/queue-set';
import { undeliveredEmails } from '../modules/notifications/email-delivery';
import { inboxBacklog } from '../modules/ingest/inbox-backlog';

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
    const oldestUnfinished = new Gauge({
      name: 'inbox_oldest_unfinished_seconds',
      help: 'Age of the oldest inbound message of each source still RECEIVED (accepted, not yet imported)',
      labelNames: ['source'] as const,
      registers: [registry],
    });
    new Gauge({
      name: 'inbox_messages',
      help: 'Inbound messages by source and state (FAILED: import failed for good, waiting for reprocessing)',
      labelNames: ['source', 'state'] as const,
      registers: [registry],
      async collect() {
        const backlog = await inboxBacklog(orm.em.fork());
        this.reset();
        oldestUnfinished.reset();
        for (const { source, state, count } of backlog.counts) this.set({ source, state }, count);
        for (const { source, ageSeconds } of backlog.oldestReceived) oldestUnfinished.set({ source }, ageSeconds);
      },
    });
  }
  return { registry, httpRequests, httpDuration };
}

export type Metrics = ReturnType<typeof createMetrics>;
