import { randomUUID } from 'node:crypto';
import fastifyWebsocket from '@fastify/websocket';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { getOperationAST, GraphQLError, OperationTypeNode, parse, specifiedRules, validate, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RequestUser } from '../auth/request-user';
import type { TrustedCredentials } from '../auth/trusted-credentials';
import type { Config } from '../config';
import { UnauthenticatedError } from '../errors';
import { createContext } from '../graphql/context';
import { createErrorFormatter } from '../graphql/errors';
import { armorProtection } from '../graphql/limits';
import { createRedis } from '../jobs/redis';
import { AuditWriter } from '../modules/audit/audit-writer';
import { part2RedisclosureNotice } from '../modules/consent/data-category';
import { LiveFeed, type LiveContext, type LiveSession } from './live-updates';

/** Where graphql-ws clients connect (`ws://host/graphql/subscriptions`); queries and mutations stay on POST /graphql. */
export const subscriptionsPath = '/graphql/subscriptions';

export interface SubscriptionServerDependencies {
  config: Config;
  orm: MikroORM;
  /** The process's Redis client; a subscriber connection of its own is opened next to it. */
  redis: Redis;
  logger: Logger;
  credentials: TrustedCredentials;
  schema: GraphQLSchema;
}

/** One open connection: the credentials it was opened with, and how to end it. */
interface Connection {
  authorization: string;
  userId: string;
  close(): void;
}

/** The bearer token a client sends in graphql-ws's `connectionParams` (`{ authorization: 'Bearer …' }`). */
function authorizationOf(connectionParams: Readonly<Record<string, unknown>> | undefined): string | null {
  const given = connectionParams?.authorization ?? connectionParams?.Authorization;
  return typeof given === 'string' && given !== '' ? given : null;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws) at `subscriptionsPath`, fed by Redis so that
 * every API process serves events whichever process published them. A connection is accepted
 * only with credentials the HTTP API would accept (closed 4403 otherwise) and ended as soon as
 * they no longer hold (a suspended user, an ended membership). Documents meet the same limits as
 * over HTTP; only subscriptions are served (queries and mutations go through POST /graphql). Each
 * event's disclosures are written to the audit log before it is sent, as a read's are.
 */
export function subscriptionRoutes({ config, orm, redis, logger, credentials, schema }: SubscriptionServerDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const feed = new LiveFeed(config.QUEUE_PREFIX, createRedis(config.REDIS_URL, 'client'), redis, logger);
    const audit = new AuditWriter(orm);
    const formatError = createErrorFormatter(logger, config.isProduction);
    const validationRules = [...specifiedRules, ...armorProtection(config).validationRules];
    const connections = new Map<object, Connection>();

    /** The user the credentials still authenticate; null when they no longer do. Other failures (a database down) are thrown, not taken for a refusal. */
    const checkedUser = async (authorization: string): Promise<RequestUser | null> => {
      try {
        return await credentials.userOf(authorization);
      } catch (error) {
        if (error instanceof UnauthenticatedError) return null;
        throw error;
      }
    };
    const sessionOf = (connection: Connection): LiveSession => ({
      feed,
      orm,
      currentUser: async () => {
        const user = await checkedUser(connection.authorization);
        return user?.id === connection.userId ? user : null;
      },
      end: () => connection.close(),
    });
    // A change to any user or membership: each connection checks its own user again, at once.
    const stopWatching = credentials.onChange(() => {
      for (const connection of connections.values()) {
        sessionOf(connection)
          .currentUser()
          .then(
            (user) => {
              if (!user) connection.close();
            },
            // Not known now: the next event checks again.
            (error: unknown) => logger.warn({ err: error }, 'live updates: credentials could not be checked again'),
          );
      }
    });

    const refuse = (message: string, extensions: Record<string, unknown> = {}) => [new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...extensions } })];
    const formatted = (result: ExecutionResult): FormattedExecutionResult => ({
      ...result,
      errors: result.errors?.map((error) => formatError(error.toJSON(), error)),
    });

    const wsHandler = makeHandler({
      schema,
      isProd: config.isProduction,
      async onConnect(ctx) {
        const authorization = authorizationOf(ctx.connectionParams);
        const user = authorization && (await checkedUser(authorization));
        if (!authorization || !user) return false;
        connections.set(ctx, { authorization, userId: user.id, close: () => ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden') });
        return true;
      },
      onClose(ctx) {
        connections.delete(ctx);
      },
      onSubscribe(_ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] {
        let document;
        try {
          document = parse(payload.query, { maxTokens: config.GRAPHQL_MAX_TOKENS });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed')];
        }
        const errors = validate(schema, document, validationRules);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return refuse('Only subscriptions are served over WebSocket; send queries and mutations to POST /graphql');
        let complexity: number;
        try {
          complexity = getComplexity({
            schema,
            query: document,
            operationName: payload.operationName ?? undefined,
            variables: payload.variables ?? {},
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch {
          // Variables that do not coerce are refused by execution, before any resolver runs.
          complexity = 0;
        }
        if (complexity > config.GRAPHQL_MAX_COMPLEXITY) {
          return refuse(`Query complexity of ${complexity} exceeds the limit of ${config.GRAPHQL_MAX_COMPLEXITY}`, { complexity, limit: config.GRAPHQL_MAX_COMPLEXITY });
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      async context(ctx): Promise<LiveContext> {
        const connection = connections.get(ctx);
        if (!connection) throw new GraphQLError('The connection is not initialised');
        const session = sessionOf(connection);
        // Checked again for each subscription: the connection may have outlived its user.
        const user = await session.currentUser();
        if (!user) session.end();
        return { ...createContext(randomUUID(), () => orm.em.fork(), user && { user }, config), live: session };
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map((error) => formatError(error.toJSON(), error));
      },
      async onNext(_ctx, _id, payload, args, result) {
        const context = args.contextValue as LiveContext;
        const { ledger, user, requestId } = context;
        const answer = formatted(result);
        if (!user || ledger.size === 0 || result.data == null) return answer;
        if (ledger.includesSud) answer.extensions = { ...answer.extensions, redisclosureNotice: part2RedisclosureNotice };
        try {
          // Named as the HTTP audit names an operation: by the document's name when the client gave none.
          const operationName = payload.operationName ?? getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
          await ledger.flush((rows) => audit.write(rows), { user, operation: `subscription ${operationName}`.slice(0, 200), requestId });
        } catch (error) {
          // Unaudited data does not leave.
          logger.error({ err: error, requestId }, 'audit write failed; event withheld');
          return { errors: [{ message: 'The event could not be sent', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
        }
        return answer;
      },
    });

    await app.register(fastifyWebsocket, { options: { maxPayload: config.BODY_LIMIT_BYTES } });
    app.get(subscriptionsPath, { websocket: true }, wsHandler);
    app.addHook('onClose', async () => {
      stopWatching();
      feed.close();
    });
  };
}
