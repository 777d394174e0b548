import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { buildApp, type App } from '../../src/app';
import { signToken, TokenVerifier, type TokenClaims } from '../../src/auth/jwt';
import { loadConfig, type Config } from '../../src/config';
import { initOrm } from '../../src/db/orm';
import { QueueSet } from '../../src/jobs/queue-set';
import { createRedis } from '../../src/jobs/redis';
import type { TypedDocumentString } from '../generated/graphql';
import { capturedLogger } from './captured-logs';
import { createTestDatabase, dropTestDatabase, testDatabasePrefix } from './databases';

/** Everything a test file needs: its own database, queue prefix and key pair, and the real app. */
/**
 * Whether a statement is a token's check against the database (a staff membership, a patient
 * user), which a token the API already trusts skips: leave them out to compare requests' statements.
 */
export function checksToken(statement: string): boolean {
  return /^select count\(\*\) as "count" from "membership"/.test(statement) || /^select "u0"\.\*.* from "app_user" as "u0" .*where "u0"\."id" = \$1 and "u0"\."active" = \$2/.test(statement);
}

export interface Harness {
  config: Config;
  orm: MikroORM;
  redis: Redis;
  queues: QueueSet;
  app: App;
  privateKey: KeyObject;
  /** The app's logger; it writes to `logLines`. */
  logger: Logger;
  /** Every line the app logged, for asserting what logs never contain. */
  logLines: string[];
  /** Every SQL statement the ORM sent, in order (clear it to count a request's statements; see `checksToken`). */
  sqlStatements: string[];
  token(claims: TokenClaims, expiresIn?: string | number): Promise<string>;
  /** Runs an operation: a generated document (typed), or a query written in the test. */
  graphql<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables> | string,
    variables?: TVariables,
    token?: string,
  ): Promise<GraphQLResponse<TResult>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<TResult> {
  status: number;
  data: TResult | null | undefined;
  errors: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] | undefined;
  extensions?: Record<string, unknown>;
}

export async function startHarness(env: Record<string, string> = {}, template?: string): Promise<Harness> {
  const name = `${testDatabasePrefix}${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await createTestDatabase(name, template);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `cbtest-${name}`,
    OUTBOX_POLL_INTERVAL_MS: '50',
    WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 'test').toString('base64'),
    ...env,
  });
  const { logger, lines: logLines } = capturedLogger(config.LOG_LEVEL);
  const sqlStatements: string[] = [];
  const orm = await initOrm(config, {
    debug: ['query'],
    colors: false,
    logger: (line) => {
      if (line.startsWith('[query]')) sqlStatements.push(line.slice('[query] '.length));
    },
  });
  const redis = createRedis(config.REDIS_URL, 'client');
  const queues = new QueueSet(redis, config.QUEUE_PREFIX, logger, config);
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const verifier = new TokenVerifier(config, publicKey);
  // Signs the development sign-in's tokens too (offered outside production only: src/portal/).
  const app = await buildApp({ config, orm, redis, queues, logger, verifier, devSigningKey: privateKey });
  await app.ready();

  return {
    config,
    orm,
    redis,
    queues,
    app,
    privateKey,
    logger,
    logLines,
    sqlStatements,
    token: (claims, expiresIn = '10m') => signToken(config, privateKey, claims, expiresIn),
    async graphql(document, variables, token) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: { query: document.toString(), variables: variables ?? {} },
      });
      const body = response.json<Omit<GraphQLResponse<never>, 'status'>>();
      return { status: response.statusCode, ...body };
    },
    async close() {
      await app.close();
      await queues.close();
      await deleteKeys(redis, `${config.QUEUE_PREFIX}:*`);
      await redis.quit();
      await orm.close();
      await dropTestDatabase(name);
    },
  };
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
