import IORedis, { type Redis } from 'ioredis';

/**
 * A Redis connection. BullMQ workers (blocking commands) need `maxRetriesPerRequest: null`;
 * request-path clients keep ioredis's default so a Redis outage fails a request instead of hanging it.
 */
export function createRedis(url: string, purpose: 'worker' | 'client'): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}
