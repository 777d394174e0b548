import { spawn } from 'node:child_process';
import { createRedis, EvictingRedisError, requireNoEviction, watchEvictionPolicy } from '../src/jobs/redis';
import { capturedLogger } from './helpers/captured-logs';
import { until } from './helpers/workers';
import { RedisServer } from './helpers/redis-server';

/** Queued jobs live in Redis: one that may evict keys under memory pressure loses them silently. */
let evicting: RedisServer;
let strict: RedisServer;

beforeAll(async () => {
  [evicting, strict] = await Promise.all([RedisServer.start(['--maxmemory-policy', 'allkeys-lru']), RedisServer.start(['--maxmemory-policy', 'noeviction'])]);
});
afterAll(() => Promise.all([evicting.stop(), strict.stop()]));

async function withClient<T>(server: RedisServer, use: (redis: ReturnType<typeof createRedis>) => Promise<T>): Promise<T> {
  const redis = createRedis(server.url, 'client');
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

it('refuses an evicting Redis in production, warns loudly in development, and accepts noeviction', async () => {
  const { logger, lines } = capturedLogger('info');
  await withClient(evicting, async (redis) => {
    await expect(requireNoEviction(redis, true, logger)).rejects.toThrow(EvictingRedisError);
    await expect(requireNoEviction(redis, true, logger)).rejects.toThrow(/maxmemory-policy is allkeys-lru/);
    await requireNoEviction(redis, false, logger);
  });
  expect(lines.join('')).toMatch(/"level":40.*maxmemory-policy is allkeys-lru/);
  lines.length = 0;
  await withClient(strict, (redis) => requireNoEviction(redis, true, logger));
  expect(lines).toEqual([]);
});

it('checks again when the connection comes back, so a Redis restarted with other settings is noticed', async () => {
  const { logger, lines } = capturedLogger('info');
  await withClient(strict, async (redis) => {
    await watchEvictionPolicy(redis, true, logger);
    await redis.config('SET', 'maxmemory-policy', 'volatile-lru');
    try {
      redis.disconnect(true);
      const logged = await until(async () => lines.join(''), (text) => /"level":50.*evicting policy/.test(text));
      expect(logged).toMatch(/maxmemory-policy is volatile-lru/);
    } finally {
      await redis.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });
});

it.each(['main', 'worker'])('stops the %s process in production on an evicting Redis, saying why', async (entry) => {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `src/${entry}.ts`], {
    env: { ...process.env, NODE_ENV: 'production', WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 'test').toString('base64'), REDIS_URL: evicting.url, PORT: '0', LOG_LEVEL: 'silent' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toMatch(/maxmemory-policy is allkeys-lru, not noeviction/);
}, 30_000);
