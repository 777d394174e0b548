import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReferralPacket } from '../referrals/referral-packet';
import { factsOf } from './access-policy';
import { sentUnderInForce } from './referral-access';
import { readablePacket } from './referral-rules';
import type { ConsentFact } from './rules';

/**
 * The consents a packet was sent under that are still in force, when they still let every record
 * of it go to the recipient (`readablePacket`, the rule the recipient's reads of the packet follow);
 * null when one was revoked or has expired since: from then on the letter is neither delivered nor
 * given to the recipient.
 */
export async function consentsStillCovering(em: EntityManager, packet: Pick<ReferralPacket, 'records' | 'consentIds'>): Promise<ConsentFact[] | null> {
  const consents = await sentUnderInForce(em, packet.consentIds);
  const { withheld } = readablePacket('RECIPIENT', factsOf(packet.records), consents);
  return withheld.length === 0 ? consents : null;
}
