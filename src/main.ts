import 'reflect-metadata';
import { loadConfig } from './config';
import { buildApp } from './app';
import { ensureLocalKeyPair, readPrivateKey } from './auth/keys';
import { TokenVerifier, verificationKeyFrom } from './auth/jwt';
import { initOrm } from './db/orm';
import { QueueSet } from './jobs/queue-set';
import { createRedis, watchEvictionPolicy } from './jobs/redis';
import { createLogger } from './logger';
import { exitOnUncaughtErrors, onTermination } from './shutdown';
import { mllpSettingsFrom, startMllpServer } from './modules/ingest/hl7/mllp-server';

/** The API process: GraphQL and operations endpoints. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL).child({ process: 'api' });
  exitOnUncaughtErrors(logger);
  const redis = createRedis(config.REDIS_URL, 'client');
  await watchEvictionPolicy(redis, config.isProduction, logger);
  if (!config.JWT_JWKS_URL) ensureLocalKeyPair(config);
  const orm = await initOrm(config);
  const queues = new QueueSet(redis, config.QUEUE_PREFIX, logger, config);
  const verifier = new TokenVerifier(config, verificationKeyFrom(config));
  // The development sign-in signs with the local key; with an identity provider there is none.
  const devSigningKey = config.isProduction || config.JWT_JWKS_URL ? null : readPrivateKey(config.JWT_PRIVATE_KEY_FILE);
  const app = await buildApp({ config, orm, redis, queues, logger, verifier, devSigningKey });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url: `${address}/graphql` }, 'API listening');
  const mllpSettings = mllpSettingsFrom(config);
  const mllp = mllpSettings ? await startMllpServer(orm, logger, mllpSettings) : null;
  if (mllp) logger.info({ port: config.MLLP_PORT }, 'MLLP listener started');

  onTermination(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
    await mllp?.close();
    await app.close();
    await queues.close();
    await orm.close();
    await redis.quit();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`CareBridge API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
