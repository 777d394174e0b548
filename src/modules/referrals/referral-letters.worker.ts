import { UnrecoverableError, type Job } from 'bullmq';
import type { JobPayloads } from '../../jobs/queues';
import type { JobContext } from '../../jobs/worker-runtime';
import { deliverWebhookOfJob } from '../webhooks/webhook-delivery';
import { referralBundle } from './referral-bundle';
import { deliveryFailureCodes, ReferralLetterService } from './referral-letter.service';
import { markDeliveryFailed } from './referral.service';

type Payloads = JobPayloads['referral-letters'];

const letters = new ReferralLetterService();

/** The `referral-letters` queue: a sent referral's letter rendered, stored and delivered. */
export async function referralLettersProcessor(job: Job, context: JobContext): Promise<unknown> {
  if (job.name === 'referral.send') return send(job as Job<Payloads['referral.send']>, context);
  throw new UnrecoverableError(`Unknown referral-letters job ${job.name}`);
}

/**
 * Renders the letter of one version of a sent referral from its packet as sent, stores it (once:
 * a rerun finds it), delivers it to the recipient organization's inbox in the hub, and POSTs the
 * signed FHIR Bundle to the organization's endpoint when it has one (`deliverWebhookOfJob`: retried
 * with exponential backoff under the key `<referral id>/<version>`; after a refusal or the last
 * attempt the referral is FAILED and the sender told). Before anything is delivered, each try checks
 * the packet against the consents in force: a consent revoked since sending stops it (FAILED,
 * CONSENT_REVOKED). A referral cancelled, failed or sent again meanwhile gets nothing more.
 */
async function send(job: Job<Payloads['referral.send']>, context: JobContext) {
  const { referralId, letterVersion } = job.data;
  const em = context.orm.em.fork();
  const due = await letters.dueDelivery(em, referralId, letterVersion);
  if (due.outcome !== 'DUE') {
    context.logger.info({ jobId: job.id, referralId, letterVersion, outcome: due.outcome }, 'referral letter not delivered');
    return { outcome: due.outcome };
  }
  const { packet } = due;
  const letter = await letters.store(em, packet);
  if (letter.isSettled) return { outcome: letter.status, sha256: letter.sha256 };
  const webhook = await deliverWebhookOfJob(em, job, context, {
    organizationId: packet.recipient.organizationId,
    state: letter,
    body: () => Promise.resolve(JSON.stringify(referralBundle(packet, letter))),
    contentType: 'application/fhir+json',
    idempotencyKey: `${referralId}/${letterVersion}`,
    logFields: { referralId },
    failedForGood: async (sent) => {
      await markDeliveryFailed(context.orm.em, referralId, sent.outcome === 'REFUSED' ? deliveryFailureCodes.refused : deliveryFailureCodes.unreachable);
    },
  });
  return { outcome: webhook, sha256: letter.sha256 };
}
