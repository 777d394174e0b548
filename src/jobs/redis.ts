import IORedis, { type Redis } from 'ioredis';
import type { Logger } from 'pino';

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

/** Redis's eviction policy: from CONFIG, or from INFO where a managed Redis disables CONFIG. */
export async function evictionPolicyOf(redis: Redis): Promise<string | undefined> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    if (policy) return policy;
  } catch {
    // CONFIG renamed or refused: INFO says the same.
  }
  return /^maxmemory_policy:(\S+)/m.exec(await redis.info('memory'))?.[1];
}

export class EvictingRedisError extends Error {}

/**
 * Queued jobs live in Redis; a Redis that may evict keys under memory pressure drops jobs (and
 * their de-duplication ids) silently. Production refuses to run on one; development warns loudly.
 * A Redis that is unreachable is not refused here: the ingest routes accept without it.
 */
export async function requireNoEviction(redis: Redis, isProduction: boolean, logger: Logger): Promise<void> {
  let policy: string | undefined;
  try {
    policy = await evictionPolicyOf(redis);
  } catch (error) {
    logger.warn({ err: error }, 'Redis is unreachable; its eviction policy is checked when it answers');
    return;
  }
  if (policy === 'noeviction') return;
  const problem = `Redis maxmemory-policy is ${policy ?? 'unknown'}, not noeviction: under memory pressure Redis would drop queued jobs`;
  if (isProduction) throw new EvictingRedisError(`${problem}. Set maxmemory-policy noeviction.`);
  logger.warn(`!!! ${problem}. Allowed outside production only; set maxmemory-policy noeviction.`);
}

/** Checks the policy now and again each time the connection comes back (a Redis restarted with other settings). */
export async function watchEvictionPolicy(redis: Redis, isProduction: boolean, logger: Logger): Promise<void> {
  await requireNoEviction(redis, isProduction, logger);
  redis.on('ready', () => {
    requireNoEviction(redis, isProduction, logger).catch((error: unknown) =>
      logger.error({ reason: error instanceof EvictingRedisError ? error.message : undefined }, 'Redis came back with an evicting policy; queued jobs are at risk'),
    );
  });
}
