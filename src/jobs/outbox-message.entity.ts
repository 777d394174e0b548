import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { QueueName } from './queues';

/**
 * Work for a queue, written in the same transaction as the change it follows. The relay moves
 * unrelayed rows to BullMQ with job id `outbox-<jobKey>`, then stamps `relayedAt`.
 */
@Entity()
@Index({ name: 'outbox_message_unrelayed_idx', expression: 'create index "outbox_message_unrelayed_idx" on "outbox_message" ("id") where "relayed_at" is null' })
// The reconciler finds the jobs of an inbound message by its id in the payload.
@Index({
  name: 'outbox_message_inbox_message_idx',
  expression: `create index "outbox_message_inbox_message_idx" on "outbox_message" (("payload"->>'inboxMessageId'))`,
})
export class OutboxMessage {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /**
   * The job id's unique part. Not the serial id: that restarts after a database is re-created
   * while Redis still remembers completed `outbox-1…`, and BullMQ ignores a known job id.
   */
  @Property({ type: 'uuid', unique: true })
  jobKey: string = randomUUID();

  @Property({ type: 'string', length: 100 })
  queue: QueueName;

  @Property({ type: 'string', length: 100 })
  jobName: string;

  @Property({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  relayedAt: Date | null = null;

  constructor(queue: QueueName, jobName: string, payload: Record<string, unknown>) {
    this.queue = queue;
    this.jobName = jobName;
    this.payload = payload;
  }

  get jobId(): string {
    return `outbox-${this.jobKey}`;
  }
}
