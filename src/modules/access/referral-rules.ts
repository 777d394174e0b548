import { Role } from '../../auth/roles';
import { DataCategory, Purpose } from '../consent/data-category';
import type { WithheldPart } from '../referrals/referral-packet';
import { type AccessBasis, closestConsent, type ConsentFact, consentForSending, consentsForPurpose, isPart2RecordOfAnother, mayActOnCare, noGrant, type Reader, type RecordFacts } from './rules';

/**
 * The access rules for referrals, as plain functions of plain facts (see rules.ts): who may refer a
 * patient, who sees and acts on a referral, and what its packet may carry to the recipient.
 */

/** What the rules know of a referral. */
export interface ReferralFacts {
  senderOrganizationId: string;
  recipientOrganizationId: string;
  /** Never sent (a draft, or a draft cancelled): the recipient has been sent nothing, so it is the sender's alone. */
  draft: boolean;
}

/** The side of a referral a reader is on: the sending program or the recipient organization. */
export type ReferralSide = 'SENDER' | 'RECIPIENT';

/** The roles whose users answer referrals addressed to their organization. */
export const referralRecipientRoles: readonly Role[] = [Role.LOCAL_PROVIDER, Role.PCP];

/** A referral is written by an IOP clinician on the patient's care team. */
export function mayRefer(reader: Reader, basis: AccessBasis | null): boolean {
  return reader.role === Role.IOP_CLINICIAN && basis === 'CARE_TEAM';
}

/**
 * The side the reader is on, or null when the referral is none of their business (then it does not
 * exist for them: NOT_FOUND). The sender side is the sending program's care team and admins
 * (`basis`: the reader's hold on the patient); the recipient side, the recipient organization's
 * clinical users, once the referral is sent.
 */
export function referralSideOf(reader: Reader, referral: ReferralFacts, basis: AccessBasis | null): ReferralSide | null {
  if (reader.organizationId === null) return null;
  if (reader.organizationId === referral.senderOrganizationId && mayActOnCare(basis)) return 'SENDER';
  if (reader.organizationId === referral.recipientOrganizationId && referralRecipientRoles.includes(reader.role) && !referral.draft) return 'RECIPIENT';
  return null;
}

/** Where a reader stands with a referral (or, `referral` null, with referring the patient at all). */
export interface ReferralStanding {
  /** Null: the referral does not exist for them (NOT_FOUND). */
  side: ReferralSide | null;
  /** Writing, sending and cancelling are the care team's clinicians' acts, not an admin's. */
  maySend: boolean;
}

export function referralStandingOf(reader: Reader, referral: ReferralFacts | null, basis: AccessBasis | null): ReferralStanding {
  const side = referral ? referralSideOf(reader, referral, basis) : null;
  return { side, maySend: mayRefer(reader, basis) && (referral === null || side === 'SENDER') };
}

/**
 * The organizations whose referrals the reader lists: those their program sent (its clinicians and
 * admins, of patients they may see) and those addressed to their organization (its clinical users).
 */
export function referralListsOf(reader: Reader): { sentBy: string | null; receivedBy: string | null } {
  const staff = reader.role === Role.IOP_CLINICIAN || reader.role === Role.ADMIN;
  return {
    sentBy: staff ? reader.organizationId : null,
    receivedBy: referralRecipientRoles.includes(reader.role) ? reader.organizationId : null,
  };
}

/** A record as the packet decision sees it: its facts and the category its kind is disclosed under. */
export interface PacketRecordFacts extends RecordFacts {
  kindCategory: DataCategory;
}

export interface PacketDecision {
  /** The records that go, each with the consent it goes under. */
  included: { recordId: string; consentId: string }[];
  /** The requested categories of which something was left out, with the reason. */
  withheld: WithheldPart[];
  /**
   * What a consent naming the recipient would have to list to let the withheld records go (every
   * label of each): the input of `requestConsent`. Empty when nothing was withheld for lack of consent.
   */
  consentNeeded: DataCategory[];
}

export const consentRequired = 'CONSENT_REQUIRED';

/** Whether a record is among what the sender asked for: its kind's category or a label requested, and SUD data only when SUD is. */
function isRequested(record: PacketRecordFacts, requested: readonly DataCategory[]): boolean {
  if (record.categories.includes(DataCategory.SUD) && !requested.includes(DataCategory.SUD)) return false;
  return requested.includes(record.kindCategory) || record.categories.some((label) => requested.includes(label));
}

/**
 * The packet decision: of the patient's current `records`, those of the requested categories that
 * the sending program may disclose to the recipient organization. A record goes only under one of
 * the sender's consents in force naming the recipient that lists all its labels (SUD only where
 * listed: `consentForSending`); another program's Part 2 records never go, and are not reported
 * (the sender may not know of them). Psychotherapy notes are never requested. What is left out for
 * lack of consent is reported per requested category, with the consent that would cover it.
 */
export function decidePacket(
  sender: Reader,
  requested: readonly DataCategory[],
  records: readonly PacketRecordFacts[],
  /** The consents in force naming the recipient organization. */
  recipientConsents: ConsentFact[],
  purpose: Purpose = Purpose.TREATMENT,
): PacketDecision {
  const sendersConsents = recipientConsents.filter((consent) => consent.programId === sender.organizationId);
  const included: PacketDecision['included'] = [];
  const withheldCategories = new Set<DataCategory>();
  const needed = new Set<DataCategory>();
  for (const record of records) {
    if (!isRequested(record, requested) || isPart2RecordOfAnother(sender, record)) continue;
    const consent = consentForSending(sendersConsents, purpose, record);
    if (consent) {
      included.push({ recordId: record.id, consentId: consent.id });
      continue;
    }
    // Reported as the labels the closest consent lacks; a consent to ask for lists every label (two are never combined for one record).
    const closest = closestConsent(consentsForPurpose({ ...noGrant, consents: sendersConsents }, purpose), record.categories);
    const missing = record.categories.filter((label) => !closest?.categories.includes(label) && requested.includes(label));
    // A label not asked for is missing (a SUD lab result asked for as SUD): reported as what it was asked for as.
    const askedAs = record.categories.filter((label) => requested.includes(label));
    for (const category of missing.length > 0 ? missing : askedAs) withheldCategories.add(category);
    for (const label of [record.kindCategory, ...record.categories]) needed.add(label);
  }
  const withheld = Object.values(DataCategory)
    .filter((category) => withheldCategories.has(category))
    .map((category) => ({ category, reason: consentRequired }));
  const consentNeeded = Object.values(DataCategory).filter((category) => needed.has(category) && category !== DataCategory.PSYCHOTHERAPY_NOTES);
  return { included, withheld, consentNeeded };
}

export const consentNoLongerInForce = 'The consent this was sent under is no longer in force';

/**
 * Of a sent packet's records, what the reader may read now. The sender's side reads it as their
 * own program's records (no consent needed: null). The recipient reads each record under one of the
 * consents it was sent under that is still in force and lists all its labels: from a revocation
 * on, nothing more is disclosed, so a record no consent in force covers is left out.
 */
export function readablePacket<T extends RecordFacts>(
  side: ReferralSide,
  records: T[],
  /** Of the consents the packet was sent under, those still in force. */
  sentUnderInForce: ConsentFact[],
  purpose: Purpose = Purpose.TREATMENT,
): { shown: Map<string | null, T[]>; withheld: T[] } {
  if (side === 'SENDER') return { shown: new Map([[null, records]]), withheld: [] };
  const shown = new Map<string | null, T[]>();
  const withheld: T[] = [];
  for (const record of records) {
    const consent = consentForSending(sentUnderInForce, purpose, record);
    if (consent) shown.set(consent.id, [...(shown.get(consent.id) ?? []), record]);
    else withheld.push(record);
  }
  return { shown, withheld };
}
