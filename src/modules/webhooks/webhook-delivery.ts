import { UnrecoverableError, type Job } from 'bullmq';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobContext } from '../../jobs/worker-runtime';
import { OrganizationEndpointService } from './organization-endpoint.service';
import { SecretBox } from './secret-box';
import { postSignedWebhook, type WebhookOutcome } from './webhook-sender';

/** How long the hub waits for a partner's endpoint to answer one POST. */
export const webhookTimeoutMs = 10_000;

/** A message for an organization's endpoint that keeps how its delivery fares (a pharmacy dispatch, a referral letter). */
export interface WebhookDeliveryState {
  /** One POST made; `responseStatus` null when no answer came. */
  attempted(responseStatus: number | null): void;
  delivered(at?: Date): void;
  /** The organization has no endpoint: its in-hub worklist or inbox is the channel. */
  noEndpoint(): void;
  failed(at?: Date): void;
}

export interface WebhookJobDelivery {
  organizationId: string;
  state: WebhookDeliveryState;
  /** The exact bytes to sign and send (built only when there is an endpoint). */
  body: () => Promise<string>;
  contentType: string;
  /** The same for every retry of the message. */
  idempotencyKey: string;
  /** Ids only, for the log line of a failed POST. */
  logFields: Record<string, string>;
  /** After a refusal or the last attempt, with the state FAILED and flushed: tell whoever must know. */
  failedForGood: (sent: WebhookOutcome) => Promise<void>;
}

/**
 * One attempt of a queued webhook message, in the job that carries it. 2xx: DELIVERED. No
 * endpoint: NO_ENDPOINT. A refusal (a 4xx other than 408 and 429) or the last of the job's
 * attempts failing: FAILED, `failedForGood`, and the job fails for good (its outbox row FAILED,
 * which an admin may retry). Otherwise the job fails and BullMQ tries again with exponential
 * backoff, the same body under the same key. The log carries ids and statuses only.
 */
export async function deliverWebhookOfJob(em: EntityManager, job: Job, { logger, config }: JobContext, delivery: WebhookJobDelivery): Promise<'DELIVERED' | 'NO_ENDPOINT'> {
  const endpoints = new OrganizationEndpointService(SecretBox.fromConfig(config), false);
  const endpoint = await endpoints.signingEndpoint(em, delivery.organizationId);
  if (!endpoint) {
    delivery.state.noEndpoint();
    await em.flush();
    return 'NO_ENDPOINT';
  }
  const sent = await postSignedWebhook({
    ...endpoint,
    body: await delivery.body(),
    contentType: delivery.contentType,
    idempotencyKey: delivery.idempotencyKey,
    timeoutMs: webhookTimeoutMs,
  });
  delivery.state.attempted(sent.status);
  if (sent.outcome === 'DELIVERED') {
    delivery.state.delivered();
    await em.flush();
    return 'DELIVERED';
  }
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const final = sent.outcome === 'REFUSED' || lastAttempt;
  if (final) delivery.state.failed();
  await em.flush();
  logger.warn({ jobId: job.id, ...delivery.logFields, responseStatus: sent.status, final }, 'webhook not delivered');
  if (!final) throw new Error(`Webhook not delivered (HTTP ${sent.status ?? 'no answer'})`);
  await delivery.failedForGood(sent);
  throw new UnrecoverableError(`Webhook ${sent.outcome === 'REFUSED' ? 'refused' : 'not delivered'} (HTTP ${sent.status ?? 'no answer'})`);
}
