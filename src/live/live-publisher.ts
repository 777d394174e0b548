import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { channelOf, type LiveTopic, type LiveTopics } from './topics';

/**
 * Tells every API process's subscribers that something happened, through Redis pub/sub. Call it
 * once the change is committed (after the transaction, or from the job that follows it): a
 * subscriber re-reads the record, so an event sent before the commit would find nothing.
 * Live updates are a courtesy on top of what is stored: a publish that fails is logged and
 * dropped, never failing the work that was done (clients re-read on reconnect), and an event may
 * come twice when a job is retried.
 */
export class LivePublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  async publish<K extends LiveTopic>(topic: K, event: LiveTopics[K]): Promise<void> {
    // Only the ids leave: a caller handing over a richer object must not put more into Redis.
    const message = JSON.stringify({ patientId: event.patientId, recordId: event.recordId });
    try {
      await this.redis.publish(channelOf(this.prefix, topic), message);
    } catch (error) {
      this.logger.warn({ err: error, topic, recordId: event.recordId }, 'live update not published');
    }
  }
}
