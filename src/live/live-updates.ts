import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PubSub } from 'type-graphql';
import type { RequestUser } from '../auth/request-user';
import { BadInputError, ConsentRequiredError, ForbiddenError, NotFoundError } from '../errors';
import { createContext, type GraphQLContext } from '../graphql/context';
import { channelOf, liveEventOf, type LiveEvent, type LiveTopic, type LiveTopics } from './topics';

/**
 * One API process's end of the live updates: a Redis subscriber connection shared by all its
 * subscriptions (a channel is subscribed while anyone here listens to it).
 */
export class LiveFeed {
  private readonly pubSub;

  constructor(
    private readonly prefix: string,
    /** In subscriber mode from now on: this connection does nothing else. ioredis subscribes again after a reconnection. */
    private readonly subscriberConnection: Redis,
    publishConnection: Redis,
    logger: Logger,
  ) {
    subscriberConnection.on('error', (error) => logger.warn({ err: error }, 'live updates: Redis subscriber connection error'));
    this.pubSub = createPubSub<Record<string, [unknown]>>({
      eventTarget: createRedisEventTarget({ publishClient: publishConnection, subscribeClient: subscriberConnection }),
    });
  }

  /** The raw events of a topic, from every process, as long as the caller iterates. */
  events(topic: LiveTopic): AsyncIterable<unknown> {
    return this.pubSub.subscribe(channelOf(this.prefix, topic));
  }

  /** Drops the connection at once: it holds no work, and a QUIT would wait for a Redis that is down. */
  close(): void {
    this.subscriberConnection.disconnect();
  }
}

/** What a WebSocket connection gives its subscriptions. */
export interface LiveSession {
  feed: LiveFeed;
  orm: MikroORM;
  /** The subscriber as they are now, credentials checked again (trusted until they change); null when they no longer hold. */
  currentUser(): Promise<RequestUser | null>;
  /** Ends the connection and every subscription on it (the subscriber's credentials no longer hold). */
  end(): void;
}

/** The context of an operation over WebSocket: a request's context, plus the connection's session. */
export type LiveContext = GraphQLContext & { live: LiveSession };

function isLive(context: GraphQLContext): context is LiveContext {
  return 'live' in context;
}

/** The refusals a re-read may meet; such an event is simply not for this subscriber. */
const notForThisReader = (error: unknown) => error instanceof NotFoundError || error instanceof ForbiddenError || error instanceof ConsentRequiredError;

/** Which of a topic's events a subscriber asked for: one patient's, or those of one record (say, a referral). */
export interface LiveFilter {
  patientId?: string | null;
  recordId?: string | null;
}

/**
 * The source of a subscription on `topic`, for one subscriber (`only`: one patient's events, or
 * one record's). Each event is read again with `read` (the same service call the matching query makes)
 * under the subscriber's identity as it is at that moment: a fresh EntityManager, policy and
 * ledger per event, so a consent revoked, an enrolment ended or a user suspended counts from the
 * next event on. What the policy refuses is skipped, silently (a subscriber learns nothing of
 * events not theirs); what it allows is recorded in the ledger, which the WebSocket server writes
 * to the audit log before the event is sent (see `websocket.ts`).
 */
export async function liveUpdates<K extends LiveTopic, T>(
  context: GraphQLContext,
  topic: K,
  only: LiveFilter,
  read: (context: GraphQLContext, event: LiveTopics[K]) => Promise<T>,
): Promise<AsyncIterable<T>> {
  if (!isLive(context)) throw new BadInputError('Subscriptions are served over WebSocket (graphql-ws)');
  // A patient the subscriber may not see at all is refused at once, as an unknown one (a record, by the caller, as its query would).
  if (only.patientId && (await context.access.patientsSeen([only.patientId])).length === 0) throw new NotFoundError('Patient', only.patientId);
  return readEach(context, topic, only, read);
}

async function* readEach<K extends LiveTopic, T>(
  context: LiveContext,
  topic: K,
  { patientId, recordId }: LiveFilter,
  read: (context: GraphQLContext, event: LiveTopics[K]) => Promise<T>,
): AsyncGenerator<T> {
  const { live } = context;
  for await (const received of live.feed.events(topic)) {
    const event: LiveEvent | null = liveEventOf(received);
    if (!event || (patientId && event.patientId !== patientId) || (recordId && event.recordId !== recordId)) continue;
    const user = await live.currentUser();
    if (!user) {
      live.end();
      return;
    }
    // One subscription runs its events one at a time (graphql-ws waits for each to be sent), so
    // the context the event's fields resolve with is this event's until the next one is read.
    Object.assign(context, createContext(randomUUID(), () => live.orm.em.fork(), { user }, context.config));
    let record: T;
    try {
      record = await read(context, event);
    } catch (error) {
      if (notForThisReader(error)) continue;
      throw error;
    }
    yield record;
  }
}

/**
 * What type-graphql's `buildSchema({ pubSub })` is given. Every subscription brings its own source
 * (`liveUpdates`, fed per process by Redis), so a subscription declared with bare `topics` would
 * bypass the policy point: it fails at once instead.
 */
export const noSharedPubSub: PubSub = {
  publish() {
    throw new Error('Publish live updates with LivePublisher');
  },
  subscribe() {
    throw new Error('Declare subscriptions with `subscribe: (data) => liveUpdates(…)`, not topics');
  },
};
