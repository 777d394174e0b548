import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRequiredError, NotFoundError } from '../../errors';
import type { AccessPolicy } from '../access/access-policy';
import { consentsStillCovering } from '../access/referral-letter-access';
import { renderReferralLetter } from './referral-letter';
import { ReferralLetter } from './referral-letter.entity';
import type { ReferralPacket } from './referral-packet';
import { markDeliveryFailed, referralPacket, ReferralService, sentContents } from './referral.service';
import { Referral, ReferralStatus } from './referral.entity';

/** Whether a letter job has something to deliver, and if so the packet as sent. */
export type DueDelivery =
  | { outcome: 'DUE'; packet: ReferralPacket }
  | { outcome: 'GONE' | 'SUPERSEDED' | 'SETTLED' | 'CONSENT_REVOKED' | ReferralStatus.DRAFT | ReferralStatus.CANCELLED | ReferralStatus.FAILED };

/** States in which a referral's letter is not delivered: never sent, withdrawn, or failed already. */
const notDelivered = new Set([ReferralStatus.DRAFT, ReferralStatus.CANCELLED, ReferralStatus.FAILED]);

/** Why a letter's referral became FAILED (codes, no PHI): the sender is told. */
export const deliveryFailureCodes = {
  consentRevoked: 'CONSENT_REVOKED',
  refused: 'WEBHOOK_REFUSED',
  unreachable: 'WEBHOOK_UNREACHABLE',
} as const;

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * A referral's letter: rendered from the packet as sent, stored once per version with its SHA-256,
 * delivered (by the `referral-letters` queue), and downloaded by either side of the referral.
 */
export class ReferralLetterService {
  private readonly referrals = new ReferralService();

  /**
   * What the job for this letter version has to do. Nothing when the referral is gone, sent again
   * (a newer version has its own job), not to be delivered, or its letter is delivered already. A
   * packet whose consents are no longer all in force is stopped before anything is delivered: the
   * referral is FAILED (CONSENT_REVOKED) and the sender told.
   */
  async dueDelivery(em: EntityManager, referralId: string, letterVersion: number): Promise<DueDelivery> {
    const referral = await em.findOne(Referral, { id: referralId });
    if (!referral) return { outcome: 'GONE' };
    if (referral.letterVersion !== letterVersion) return { outcome: 'SUPERSEDED' };
    if (notDelivered.has(referral.status)) return { outcome: referral.status as ReferralStatus.DRAFT | ReferralStatus.CANCELLED | ReferralStatus.FAILED };
    const stored = await em.findOne(ReferralLetter, { referral: referralId, version: letterVersion });
    if (stored?.isSettled) return { outcome: 'SETTLED' };
    const packet = await referralPacket(em, referralId);
    if (!(await consentsStillCovering(em, packet))) {
      await markDeliveryFailed(em, referralId, deliveryFailureCodes.consentRevoked);
      return { outcome: 'CONSENT_REVOKED' };
    }
    return { outcome: 'DUE', packet };
  }

  /**
   * The letter of the packet's version, rendered and stored with its SHA-256 and delivered to the
   * recipient's inbox in the same statement, or the one stored already (a rerun, or another worker
   * that got there first: the unique (referral, version) keeps one).
   */
  async store(em: EntityManager, packet: ReferralPacket): Promise<ReferralLetter> {
    const where = { referral: packet.referral.id, version: packet.referral.version };
    const stored = await em.findOne(ReferralLetter, where, { populate: ['bytes'], refresh: true });
    if (stored) return stored;
    const bytes = await renderReferralLetter(packet);
    const letter = new ReferralLetter(em.getReference(Referral, packet.referral.id), packet.referral.version, bytes, sha256Of(bytes));
    letter.deliverToInbox();
    try {
      await em.persist(letter).flush();
      return letter;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      em.clear();
      return em.findOneOrFail(ReferralLetter, where, { populate: ['bytes'] });
    }
  }

  /**
   * A letter of a referral for download (the latest when `version` is null), for the sender's care
   * team and the recipient organization's users (`ReferralService.open`: anyone else NOT_FOUND); the
   * recipient only the current version, and only while the consents it was sent under are in force.
   * The disclosure is recorded (audited) as the packet's is.
   */
  async openLetter(em: EntityManager, access: AccessPolicy, referralId: string, version: number | null): Promise<ReferralLetter> {
    const { referral, side } = await this.referrals.open(em, access, referralId);
    const letter = await em.findOne(ReferralLetter, { referral: referral.id, ...(version === null ? {} : { version }) }, { orderBy: { version: 'desc' } });
    if (!letter || (side === 'RECIPIENT' && letter.version !== referral.letterVersion)) throw new NotFoundError('ReferralLetter', `${referralId}/${version ?? 'latest'}`);
    const { records } = await sentContents(em, referral);
    const consents = side === 'RECIPIENT' ? await consentsStillCovering(em, { records, consentIds: referral.packetConsentIds }) : [];
    if (!consents) throw new ConsentRequiredError('A consent the referral was sent under is no longer in force: the letter is not given out', { referralId });
    await em.populate(letter, ['bytes']);
    access.discloseReferralPacket(referral.patient.id, side, records, consents);
    return letter;
  }
}
