import { LockMode } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { OutboxMessage } from './outbox-message.entity';
import type { QueueSet } from './queue-set';
import type { QueueName } from './queues';

export interface RelayOptions {
  batchSize: number;
  pollIntervalMs: number;
  /**
   * Runs after the jobs are in Redis and before the rows are marked; a test uses it to kill the
   * relay at the worst moment.
   */
  afterEnqueue?: (messages: OutboxMessage[]) => Promise<void> | void;
}

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * relays can run side by side; the job id is `outbox-<id>`, so a row added twice (the relay died
 * before marking it) is one job, which BullMQ runs once.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly orm: MikroORM,
    private readonly queues: QueueSet,
    private readonly logger: Logger,
    private readonly options: RelayOptions,
  ) {}

  /** Relays one batch; returns how many rows it moved. */
  async relayOnce(): Promise<number> {
    return this.orm.em.fork().transactional(async (tx) => {
      const messages = await tx.find(
        OutboxMessage,
        { relayedAt: null },
        { orderBy: { id: 'asc' }, limit: this.options.batchSize, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      if (messages.length === 0) return 0;
      const byQueue = new Map<QueueName, OutboxMessage[]>();
      for (const message of messages) byQueue.set(message.queue, [...(byQueue.get(message.queue) ?? []), message]);
      for (const [queueName, batch] of byQueue) {
        await this.queues.get(queueName).addBulk(
          batch.map((message) => ({ name: message.jobName, data: message.payload, opts: { jobId: message.jobId } })),
        );
      }
      await this.options.afterEnqueue?.(messages);
      const now = new Date();
      messages.forEach((message) => (message.relayedAt = now));
      return messages.length;
    });
  }

  /** Polls until stopped; a full batch is followed at once by the next. */
  start(): void {
    this.stopped = false;
    const tick = async () => {
      let moved = 0;
      try {
        moved = await this.relayOnce();
      } catch (error) {
        this.logger.error({ err: error }, 'outbox relay failed; retrying');
      }
      if (!this.stopped) this.timer = setTimeout(schedule, moved >= this.options.batchSize ? 0 : this.options.pollIntervalMs);
    };
    const schedule = () => {
      this.running = tick();
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
