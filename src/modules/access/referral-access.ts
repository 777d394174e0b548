import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import { Consent } from '../consent/consent.entity';
import { Purpose, type DataCategory } from '../consent/data-category';
import { factsOf, type LabelledRecord } from './access-policy';
import { asFact, consentsInForce, consentsInForceNaming } from './grants-loader';
import { decidePacket, type PacketDecision } from './referral-rules';
import type { ConsentFact, Reader } from './rules';

/** A referral about to be sent, as the packet decision needs it. */
export interface PacketQuestion {
  patientId: string;
  senderUserId: string;
  senderOrganizationId: string;
  recipientOrganizationId: string;
  requestedCategories: DataCategory[];
}

/** The sending clinician as the rules see them: the packet is their disclosure, on their program's behalf. */
export function senderAsReader(question: Pick<PacketQuestion, 'senderUserId' | 'senderOrganizationId'>): Reader {
  return { userId: question.senderUserId, role: Role.IOP_CLINICIAN, organizationId: question.senderOrganizationId, patientId: null };
}

/**
 * The policy point for a referral's packet: of the patient's current `records` (each with the
 * category its kind is disclosed under), what may go to the recipient organization under the
 * consents in force naming it now, and what is left out (see `referral-rules.decidePacket`). Read in
 * the caller's transaction, so the decision and the sending it allows commit together.
 */
export async function decideReferralPacket(
  em: EntityManager,
  question: PacketQuestion,
  records: (LabelledRecord & { kindCategory: DataCategory })[],
): Promise<PacketDecision> {
  const consents = await em.find(Consent, { $and: [{ patient: question.patientId }, consentsInForceNaming({ organizationId: question.recipientOrganizationId })] });
  const facts = factsOf(records.filter((record) => record.isCurrent !== false)).map((fact) => ({ ...fact, kindCategory: fact.item.kindCategory }));
  return decidePacket(senderAsReader(question), question.requestedCategories, facts, consents.map(asFact), Purpose.TREATMENT);
}

/** Of the consents a packet was sent under, those still in force (a revoked or expired one discloses nothing more). */
export async function sentUnderInForce(em: EntityManager, consentIds: string[]): Promise<ConsentFact[]> {
  if (consentIds.length === 0) return [];
  const consents = await em.find(Consent, { $and: [{ id: { $in: consentIds } }, consentsInForce()] });
  return consents.map(asFact);
}
