import { createPublicKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app';
import { TokenVerifier } from '../../src/auth/jwt';
import { createRedis } from '../../src/jobs/redis';
import { LivePublisher } from '../../src/live/live-publisher';
import type { LiveEvent, LiveTopic } from '../../src/live/topics';
import { subscriptionsPath } from '../../src/live/websocket';
import type { TypedDocumentString } from '../generated/graphql';
import type { Harness } from './harness';
import { until } from './workers';

/**
 * A second API instance on the harness's database, Redis and queue prefix, as another process
 * would be: its own Fastify app, credentials cache and Redis subscriber. Both listen on a free port.
 */
export async function startSecondInstance(h: Harness): Promise<App> {
  const verifier = new TokenVerifier(h.config, createPublicKey(h.privateKey));
  const app = await buildApp({ config: h.config, orm: h.orm, redis: h.redis, queues: h.queues, logger: h.logger, verifier });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

/** The graphql-ws URL of a listening app. */
export async function subscriptionsUrl(app: App): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app listens on no TCP port');
  return `ws://127.0.0.1:${address.port}${subscriptionsPath}`;
}

/** One graphql-ws client with one subscription, keeping all it was sent. */
export interface LiveSubscriber<TResult> {
  /** Each `next` payload, in order. */
  results: FormattedExecutionResult<TResult, unknown>[];
  /** When each of `results` arrived (performance.now()). */
  receivedAt: number[];
  /** What ended it with an error: a close event (`code`) or GraphQL errors. */
  failure: { code?: number; errors?: unknown } | null;
  completed: boolean;
  stop(): Promise<void>;
}

/** Opens a connection with `token` in connectionParams (none when null) and subscribes with `document`. */
export function subscribe<TResult, TVariables>(
  url: string,
  token: string | null,
  document: TypedDocumentString<TResult, TVariables> | string,
  variables?: TVariables,
): LiveSubscriber<TResult> {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    // Errors surface through the subscription's sink; an eager client would also throw them here.
    onNonLazyError: () => undefined,
  });
  const subscriber: LiveSubscriber<TResult> = {
    results: [],
    receivedAt: [],
    failure: null,
    completed: false,
    async stop() {
      await client.dispose();
    },
  };
  client.subscribe<TResult>(
    { query: document.toString(), variables: (variables ?? {}) },
    {
      next: (result) => {
        subscriber.receivedAt.push(performance.now());
        subscriber.results.push(result);
      },
      error: (error) => {
        subscriber.failure = error && typeof error === 'object' && 'code' in error ? { code: (error as { code: number }).code } : { errors: error };
      },
      complete: () => {
        subscriber.completed = true;
      },
    },
  );
  return subscriber;
}

/**
 * Publishes `events` in order, again and again, from a connection of its own (as another API process
 * would), until `received` holds: the subscribers it checks listen then, and each has been through
 * every event published before the last one it received.
 */
export async function publishUntil(h: Harness, topic: LiveTopic, events: LiveEvent[], received: () => boolean, timeoutMs = 15_000): Promise<void> {
  const otherProcess = createRedis(h.config.REDIS_URL, 'client');
  const publisher = new LivePublisher(otherProcess, h.config.QUEUE_PREFIX, h.logger);
  try {
    await until(
      async () => {
        for (const event of events) await publisher.publish(topic, event);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return received();
      },
      Boolean,
      timeoutMs,
    );
  } finally {
    await otherProcess.quit();
  }
}
