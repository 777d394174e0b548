import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ChannelListener } from '../db/notifications';
import { jobIdOf } from './outbox-message.entity';
import type { QueueSet } from './queue-set';
import type { QueueName } from './queues';
import { jobsOf, type RelayedMessage } from './relayed-together';

export type { RelayedMessage };

export interface RelayOptions {
  batchSize: number;
  pollIntervalMs: number;
  /**
   * Runs after the jobs are in Redis and before the rows are marked; a test uses it to kill the
   * relay at the worst moment.
   */
  afterEnqueue?: (messages: RelayedMessage[]) => Promise<void> | void;
  /**
   * Listens on the database for committed outbox rows (LISTEN outbox_message, notified by a
   * trigger) and relays them at once; the poll stays as the fallback. A lost listening connection
   * is opened again after `reconnectDelayMs`, and rows committed meanwhile are relayed then.
   */
  notifications?: { databaseUrl: string; reconnectDelayMs?: number };
}

/** The channel the outbox trigger notifies. */
export const outboxChannel = 'outbox_message';

/**
 * Moves committed outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * relays can run side by side; the job id is `outbox-<id>`, so a row added twice (the relay died
 * before marking it) is one job, which BullMQ runs once. Imports of stored messages go many to a
 * job (`jobsOf`).
 */
export class OutboxRelay {
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly orm: MikroORM,
    private readonly queues: QueueSet,
    private readonly logger: Logger,
    private readonly options: RelayOptions,
  ) {}

  /**
   * Relays one batch; returns how many rows it moved. Plain SQL, no unit of work: the relay runs
   * once per commit that notifies it.
   */
  async relayOnce(): Promise<number> {
    return this.orm.em
      .getConnection()
      .getKnex()
      .transaction(async (trx) => {
        const { rows } = await trx.raw<{ rows: { id: string; jobKey: string; queue: QueueName; jobName: string; payload: Record<string, unknown> }[] }>(
          `select id, job_key as "jobKey", queue, job_name as "jobName", payload from outbox_message
           where relayed_at is null order by id limit ? for update skip locked`,
          [this.options.batchSize],
        );
        if (rows.length === 0) return 0;
        const messages: RelayedMessage[] = rows.map((row) => ({ ...row, jobId: jobIdOf(row.jobKey) }));
        const byQueue = new Map<QueueName, RelayedMessage[]>();
        for (const message of messages) byQueue.set(message.queue, [...(byQueue.get(message.queue) ?? []), message]);
        for (const [queueName, batch] of byQueue) {
          await this.queues.get(queueName).addBulk(jobsOf(batch));
        }
        await this.options.afterEnqueue?.(messages);
        await trx.raw('update outbox_message set relayed_at = now() where id in (select value::bigint from jsonb_array_elements_text(?::jsonb))', [
          JSON.stringify(messages.map((message) => message.id)),
        ]);
        return messages.length;
      });
  }

  /** Relays until stopped: at once when notified or after a full batch, otherwise every `pollIntervalMs`. */
  start(): void {
    this.stopped = false;
    this.relaySoon();
    const notifications = this.options.notifications;
    if (notifications) {
      this.listener = new ChannelListener({
        ...notifications,
        channel: outboxChannel,
        applicationName: 'carebridge-outbox-relay',
        logger: this.logger,
        onNotification: this.relaySoon,
        // Rows committed while nobody listened were not notified; the poll covers the gap meanwhile.
        onListening: this.relaySoon,
      });
    }
  }

  /** Resolves once the relay listens for notifications (again, after a lost connection). */
  whenListening(): Promise<void> {
    return this.listener?.whenListening() ?? Promise.resolve();
  }

  private timer: NodeJS.Timeout | null = null;
  private relaying = false;
  /** A notification came while a batch was being relayed: its rows may not have been in it. */
  private wokenMeanwhile = false;
  private listener: ChannelListener | null = null;

  private readonly relaySoon = (): void => {
    if (this.stopped) return;
    if (this.relaying) {
      this.wokenMeanwhile = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.relaying = true;
    this.running = this.relayAndReschedule();
  };

  private async relayAndReschedule(): Promise<void> {
    let moved = 0;
    try {
      moved = await this.relayOnce();
    } catch (error) {
      this.logger.error({ err: error }, 'outbox relay failed; retrying');
    }
    this.relaying = false;
    if (this.stopped) return;
    const again = this.wokenMeanwhile || moved >= this.options.batchSize;
    this.wokenMeanwhile = false;
    if (again) this.relaySoon();
    else this.timer = setTimeout(this.relaySoon, this.options.pollIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener?.stop();
    this.listener = null;
    await this.running;
  }
}
