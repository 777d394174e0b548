import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { QueueSet } from '../../jobs/queue-set';
import { OutboxMessage } from '../../jobs/outbox-message.entity';
import { InboxMessage, InboxState } from './inbox-message.entity';
import { IngestService } from './ingest.service';

/** Job states in which the import is still coming: anything else (missing, failed, done) means it will not. */
const stillComing = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

const ingest = new IngestService();

/**
 * The database is the source of truth for inbound work: a message accepted but still RECEIVED
 * after `olderThanSeconds`, whose import job Redis no longer holds (lost with Redis, or failed
 * without being marked), is queued again. The import is idempotent, so a job that was merely slow
 * costs a no-op. Returns how many messages were queued again.
 */
export async function reconcileInbox(orm: MikroORM, queues: QueueSet, logger: Logger, olderThanSeconds: number): Promise<number> {
  const em = orm.em.fork();
  const waiting = await em.find(
    InboxMessage,
    { state: InboxState.RECEIVED, receivedAt: { $lt: new Date(Date.now() - olderThanSeconds * 1000) } },
    { fields: ['id'], orderBy: { receivedAt: 'asc' }, limit: 500 },
  );
  let requeued = 0;
  for (const { id } of waiting) {
    const jobs = await em.find(OutboxMessage, { payload: { inboxMessageId: id } }, { orderBy: { id: 'desc' } });
    // Not relayed yet: the relay will move it; nothing is lost.
    if (jobs.some((job) => job.relayedAt === null)) continue;
    const states = await Promise.all(jobs.map((job) => queues.get(job.queue).getJobState(job.jobId)));
    if (states.some((state) => stillComing.has(state))) continue;
    await ingest.requeue(em, id);
    requeued++;
  }
  if (requeued > 0) logger.warn({ requeued }, 'inbound messages whose import job was lost were queued again');
  return requeued;
}
