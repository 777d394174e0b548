import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { QueueName } from './queues';

const jobIdPrefix = 'outbox-';

/** The BullMQ job id of an outbox row. */
export const jobIdOf = (jobKey: string) => `${jobIdPrefix}${jobKey}`;

/** The outbox row's key in a job id the relay gave; null for jobs added otherwise (schedules). */
export const outboxKeyOf = (jobId: string | undefined) => (jobId?.startsWith(jobIdPrefix) ? jobId.slice(jobIdPrefix.length) : null);

/**
 * Work for a queue, written in the same transaction as the change it follows. The relay moves
 * unrelayed rows to BullMQ with job id `outbox-<jobKey>`, then stamps `relayedAt`; the worker
 * stamps `doneAt` once the job's effect is committed, or `failedAt` too when it failed for good.
 * Redis may lose a job; this row stays.
 */
@Entity()
@Index({
  name: 'outbox_message_unfinished_idx',
  expression: 'create index "outbox_message_unfinished_idx" on "outbox_message" ("relayed_at") where "done_at" is null and "relayed_at" is not null',
})
@Index({ name: 'outbox_message_failed_idx', expression: 'create index "outbox_message_failed_idx" on "outbox_message" ("queue") where "failed_at" is not null' })
@Index({ name: 'outbox_message_unrelayed_idx', expression: 'create index "outbox_message_unrelayed_idx" on "outbox_message" ("id") where "relayed_at" is null' })
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

  /** When its job's effect was committed: a relayed row not done is watched by the reconciler. */
  @Property({ type: 'timestamptz', nullable: true })
  doneAt: Date | null = null;

  /** Set (with `doneAt`) when its job failed for good; the reason is an error type and code, never content. */
  @Property({ type: 'timestamptz', nullable: true })
  failedAt: Date | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  failureReason: string | null = null;

  constructor(queue: QueueName, jobName: string, payload: Record<string, unknown>) {
    this.queue = queue;
    this.jobName = jobName;
    this.payload = payload;
  }

  /** A job that failed for good, queued again under a new id (BullMQ remembers the failed one). */
  queueAgain(): void {
    Object.assign(this, { jobKey: randomUUID(), relayedAt: null, doneAt: null, failedAt: null, failureReason: null });
  }

  get jobId(): string {
    return jobIdOf(this.jobKey);
  }
}
