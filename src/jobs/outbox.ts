import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage } from './outbox-message.entity';
import type { JobName, JobPayload, QueueName } from './queues';

/**
 * Adds work for a queue to the unit of work of `em`: it is written by the same flush (and so the
 * same transaction) as the change it follows, or not at all.
 */
export function addToOutbox<Q extends QueueName, N extends JobName<Q>>(
  em: EntityManager,
  queue: Q,
  jobName: N,
  payload: JobPayload<Q, N>,
): OutboxMessage {
  const message = new OutboxMessage(queue, jobName, payload as Record<string, unknown>);
  em.persist(message);
  return message;
}
