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
  const message = outboxMessage(queue, jobName, payload);
  em.persist(message);
  return message;
}

/** An outbox row for a caller that writes it itself (`insertEntities`), in the transaction of the change it follows. */
export function outboxMessage<Q extends QueueName, N extends JobName<Q>>(queue: Q, jobName: N, payload: JobPayload<Q, N>): OutboxMessage {
  return new OutboxMessage(queue, jobName, payload as Record<string, unknown>);
}
