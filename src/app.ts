import { randomUUID, type KeyObject } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { TokenVerifier } from './auth/jwt';
import { SourceAuthenticator } from './auth/source-authenticator';
import { TrustedCredentials } from './auth/trusted-credentials';
import { within } from './within';
import { DomainError } from './errors';
import { auditAnswer, auditPlugin } from './graphql/audit-plugin';
import { AuditWriter } from './modules/audit/audit-writer';
import { createContext, type GraphQLContext } from './graphql/context';
import { createErrorFormatter, toGraphQLError } from './graphql/errors';
import { armorProtection, complexityCheck, complexityLimit } from './graphql/limits';
import { GraphQLFastPath } from './graphql/fast-path';
import { buildGraphQLSchema } from './graphql/schema';
import type { QueueSet } from './jobs/queue-set';
import { createMetrics } from './ops/metrics';
import { fhirRoutes } from './modules/ingest/fhir/fhir.routes';
import { hl7Routes } from './modules/ingest/hl7/hl7.routes';
import { pharmacyRoutes } from './modules/pharmacy/pharmacy.routes';
import { SecretBox } from './modules/webhooks/secret-box';
import { WebhookSources } from './modules/webhooks/webhook-sources';
import { subscriptionRoutes } from './live/websocket';
import { devSignInRoutes, developmentSignInEnabled } from './portal/dev-sign-in.routes';
import { graphiqlPath, isBrowserVisit, portalRoutes } from './portal/portal.routes';

export interface AppDependencies {
  config: Config;
  orm: MikroORM;
  redis: Redis;
  queues: QueueSet;
  logger: Logger;
  verifier: TokenVerifier;
  /** The local private key tokens are signed with, for the development sign-in (never used in production). */
  devSigningKey?: KeyObject | null;
}

/** Request logs name the path only: a GET /graphql query string carries the operation's variables. */
const requestSerializer = (request: FastifyRequest) => ({
  id: request.id,
  method: request.method,
  path: request.url.split('?')[0],
});

/**
 * One access line per request, when it completes, instead of Fastify's two. It names the route's
 * pattern, never the URL: a query string or path may carry what a log must not. A line that is
 * only those fields (and the request id) is written without the redaction pass every other line
 * gets: there is nothing in it to redact.
 */
class AccessLog extends LogController {
  constructor(private readonly unredacted: Logger) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (this.unredacted.isLevelEnabled('info')) this.unredacted.info({ reqId: request.id, ...line }, 'request');
  }
}

/** A probe must answer within its own timeout, even when a service hangs instead of refusing. */
const READINESS_CHECK_MS = 2000;

/** The API process's HTTP server: GraphQL, health, readiness and metrics. Shared by main.ts and tests. */
export async function buildApp(deps: AppDependencies) {
  const { config, orm, redis, queues, logger, verifier, devSigningKey } = deps;
  const app = Fastify({
    loggerInstance: logger.child({}, { serializers: { req: requestSerializer } }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    logController: new AccessLog(logger.child({}, { redact: [] })),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });

  const metrics = createMetrics({ queues, orm });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Without Redis the API still serves: ingest and every write commit their queued work to the
  // outbox in Postgres, and the worker's relay moves it once Redis is back. So Redis down is
  // "degraded" (still taking traffic) and only Postgres down takes the process out of rotation.
  app.get('/readyz', async (_request, reply) => {
    const checks = await Promise.allSettled([within(READINESS_CHECK_MS, orm.em.getConnection().execute('select 1')), within(READINESS_CHECK_MS, redis.ping())]);
    const [postgres, redisCheck] = checks.map((check) => (check.status === 'fulfilled' ? 'ok' : 'down'));
    const status = postgres === 'down' ? 'unavailable' : redisCheck === 'down' ? 'degraded' : 'ready';
    return reply.code(postgres === 'ok' ? 200 : 503).send({ status, postgres, redis: redisCheck });
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const credentials = new TrustedCredentials(orm, verifier, { ttlSeconds: config.CREDENTIAL_CACHE_SECONDS });
  credentials.listen(config.DATABASE_URL, logger);
  app.addHook('onClose', async () => credentials.stop());
  const sources = new SourceAuthenticator(credentials);
  await app.register(fhirRoutes({ orm, sources, logger }));
  await app.register(hl7Routes({ orm, sources, logger }));
  const webhookSources = new WebhookSources(orm, SecretBox.fromConfig(config), config.WEBHOOK_SOURCE_CACHE_SECONDS);
  webhookSources.listen(config.DATABASE_URL, logger);
  app.addHook('onClose', async () => webhookSources.stop());
  await app.register(pharmacyRoutes({ orm, webhookSources, maxAheadSeconds: config.PHARMACY_EVENT_MAX_AHEAD_SECONDS }));

  const developmentSignIn = developmentSignInEnabled(config, devSigningKey);
  if (developmentSignIn) await app.register(devSignInRoutes({ config, orm, signingKey: devSigningKey }));
  await app.register(portalRoutes({ config, developmentSignIn }));

  const schema = await buildGraphQLSchema();
  await app.register(subscriptionRoutes({ config, orm, redis, logger, credentials, schema }));
  const armor = armorProtection(config);
  const complexity = complexityCheck(schema, config.GRAPHQL_MAX_COMPLEXITY);
  const finishAnswer = auditAnswer(logger, new AuditWriter(orm));
  const context = async (request: FastifyRequest): Promise<GraphQLContext> => {
    try {
      const signedIn = await credentials.signIn(request.headers.authorization);
      return createContext(request.id, () => orm.em.fork(), signedIn, config);
    } catch (error) {
      if (error instanceof DomainError) throw toGraphQLError(error);
      throw error;
    }
  };
  const answeredBy = { fast: metrics.graphqlRequests.labels('fast'), apollo: metrics.graphqlRequests.labels('apollo') };
  const fastPath = config.GRAPHQL_FAST_PATH
    ? new GraphQLFastPath({ schema, context, complexity, finishAnswer, answeredBy: (path) => answeredBy[path].inc() })
    : null;
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    ...armor,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.isProduction,
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    formatError: createErrorFormatter(logger, config.isProduction),
    plugins: [
      ...armor.plugins,
      complexityLimit(complexity),
      auditPlugin(finishAnswer),
      // No response is cacheable (each is audited per reader), so no per-field cache hints either.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads from a CDN; a browser visiting /graphql is sent to the bundled GraphiQL instead.
      ApolloServerPluginLandingPageDisabled(),
      ...(fastPath ? [fastPath.learner()] : []),
    ],
  });
  await apollo.start();

  const apolloHandler = fastifyApolloHandler(apollo, { context });
  // The integration's handler never uses `this` (typed for Fastify's default logger, not ours).
  const answerByApollo = (request: FastifyRequest<{ Reply: string }>, reply: FastifyReply<{ Reply: string }>) => apolloHandler.call(app as never, request, reply);
  app.route<{ Reply: string }>({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: async (request, reply) => {
      if (config.introspection && isBrowserVisit(request)) return reply.redirect(graphiqlPath);
      return fastPath ? fastPath.respond(request, reply, () => answerByApollo(request, reply)) : answerByApollo(request, reply);
    },
  });
  // Fastify's close stops listening and waits for in-flight requests before onClose hooks run, so
  // Apollo stops last. (Apollo's Fastify drain plugin would call app.close() from inside it.)
  app.addHook('onClose', async () => apollo.stop());
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
