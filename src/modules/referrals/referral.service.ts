import { LockMode, OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail, isUuid } from '../../db/find';
import { paginate, type Page, type PageRequest } from '../../db/paging';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import type { AccessPolicy } from '../access/access-policy';
import { decideReferralPacket, senderAsReader, sentUnderInForce, type PacketQuestion } from '../access/referral-access';
import { referralRecipientRoles, type PacketDecision, type ReferralFacts, type ReferralSide } from '../access/referral-rules';
import { showsIdentifierFrom } from '../access/rules';
import { DataCategory, Purpose } from '../consent/data-category';
import { Encounter } from '../clinical/encounter.entity';
import { readRecordRows, type PatientRecordRow } from '../clinical/record-rows';
import { recordKinds } from '../clinical/record-kinds';
import { Organization } from '../organizations/organization.entity';
import { readPatientCare, type PatientCare, type PatientRow } from '../patients/patient-care';
import { Patient } from '../patients/patient.entity';
import { User } from '../users/user.entity';
import { activeMembersOf } from '../users/members';
import type { ReferralPacket } from './referral-packet';
import { Referral, ReferralEvent, referralRecipientKinds, ReferralStatus, referralTextLimits, type ReferralActor, type ReferralRequest } from './referral.entity';

export interface CreateReferralInput extends ReferralRequest {
  patientId: string;
  recipientOrganizationId: string;
}

/** What sending a referral now would carry, and what the sender must do for what is left out. */
export interface PacketPreview {
  /** The record versions that would go (current now). */
  records: PatientRecordRow[];
  withheld: PacketDecision['withheld'];
  /** The `requestConsent` input that would let the withheld records go; null when nothing is withheld for lack of consent. */
  consentNeeded: { patientId: string; recipientOrganizationId: string; categories: DataCategory[] } | null;
}

/** A sent packet as a reader may read it now. */
export interface PacketRead {
  patient: PatientRow;
  records: PatientRecordRow[];
  withheld: PacketDecision['withheld'];
  includesSud: boolean;
  letterVersion: number;
  sentAt: Date;
}

/** A consult note returned as a PDF: at most this many bytes. */
export const consultNotePdfMaxBytes = 5 * 1024 * 1024;

/** A referral opened by a reader, with the side they are on. */
export interface OpenedReferral {
  referral: Referral;
  side: ReferralSide;
  /** Whether the reader may act for the sender (see `referral-rules.referralStandingOf`). */
  maySend: boolean;
}

const actorOf = (user: RequestUser): ReferralActor => ({ userId: user.id, organizationId: user.organizationId });

const factsOf = (referral: Referral): ReferralFacts => ({
  senderOrganizationId: referral.senderOrganization.id,
  recipientOrganizationId: referral.recipientOrganization.id,
  // Never sent, not merely a draft now: a draft cancelled before sending was never the recipient's business.
  draft: referral.sentAt === null,
});

/** The kind of notification each move makes, for the side that did not make it. */
const noticeKinds: Record<ReferralStatus, string | null> = {
  [ReferralStatus.DRAFT]: null,
  [ReferralStatus.REQUESTED]: 'referral.requested',
  [ReferralStatus.RECEIVED]: 'referral.received',
  [ReferralStatus.ACCEPTED]: 'referral.accepted',
  [ReferralStatus.REJECTED]: 'referral.rejected',
  [ReferralStatus.IN_PROGRESS]: 'referral.scheduled',
  [ReferralStatus.COMPLETED]: 'referral.completed',
  [ReferralStatus.NO_SHOW]: 'referral.no-show',
  [ReferralStatus.CANCELLED]: 'referral.cancelled',
  [ReferralStatus.FAILED]: 'referral.failed',
};

/**
 * Referrals to in-person care, closed-loop: the sender (an IOP clinician on the patient's care
 * team) writes and sends one; the recipient organization receives, accepts or rejects, schedules,
 * completes or marks a no-show; the sender may cancel. Each move is checked against the referral's
 * version and state (CONFLICT, nothing changed), kept in its timeline, and told to the other side
 * through the `notifications` queue (an outbox row in the move's transaction). Sending decides the
 * packet at the policy point and queues the letter (`referral-letters`, `referral.send`).
 */
/** What a referral list may be narrowed to. */
export interface ReferralListFilter {
  status: ReferralStatus | null;
  patientId: string | null;
}

function listFilter({ status, patientId }: ReferralListFilter): { status?: ReferralStatus; patient?: string } {
  return { ...(status ? { status } : {}), ...(patientId ? { patient: patientId } : {}) };
}

export class ReferralService {
  async create(em: EntityManager, access: AccessPolicy, actor: RequestUser, input: CreateReferralInput): Promise<Referral> {
    if (!isUuid(input.patientId)) throw new NotFoundError('Patient', input.patientId);
    const { maySend } = await access.referralStanding(input.patientId, null);
    if (!maySend) throw new ForbiddenError("Only an IOP clinician on the patient's care team refers them", { patientId: input.patientId });
    const recipient = isUuid(input.recipientOrganizationId) ? await em.findOne(Organization, { id: input.recipientOrganizationId }) : null;
    if (!recipient || !referralRecipientKinds.includes(recipient.kind)) {
      throw new BadInputError('A referral goes to a local provider or a primary-care practice', { field: 'recipientOrganizationId' });
    }
    const referral = new Referral(
      {
        patient: em.getReference(Patient, input.patientId),
        senderOrganization: em.getReference(Organization, actor.organizationId!),
        senderUser: em.getReference(User, actor.id),
        recipientOrganization: recipient,
      },
      input,
    );
    await em.persist(referral).flush();
    return referral;
  }

  /** Changes a draft (the sender's care team); a sent one is CONFLICT. */
  async update(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number, changes: Partial<ReferralRequest>): Promise<Referral> {
    await this.openAsSender(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => {
      referral.update(changes);
      return null;
    });
  }

  /** What sending now would carry and leave out (the sender's preview; nothing is recorded). */
  async preview(em: EntityManager, access: AccessPolicy, id: string): Promise<PacketPreview> {
    const referral = await this.openAsSender(em, access, id);
    const records = await this.currentRecordsOf(em, referral.patient.id);
    const decision = await decideReferralPacket(em, this.packetQuestion(referral), records);
    const included = new Set(decision.included.map((each) => each.recordId));
    return {
      records: records.filter((record) => included.has(record.id)),
      withheld: decision.withheld,
      consentNeeded:
        decision.consentNeeded.length > 0
          ? { patientId: referral.patient.id, recipientOrganizationId: referral.recipientOrganization.id, categories: decision.consentNeeded }
          : null,
    };
  }

  /**
   * Sends a draft (or a referral whose delivery failed, as a new letter version): decides the packet
   * under the consents in force now, stores it, REQUESTED, and queues the letter. A referral with
   * nothing allowed in its packet is still sent: the request itself goes, the parts left out are listed.
   */
  async send(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number): Promise<Referral> {
    const opened = await this.openAsSender(em, access, id);
    // Read before the transaction (the row reader runs outside one); the consents are read inside it.
    const records = await this.currentRecordsOf(em, opened.patient.id);
    return this.move(em, id, expectedVersion, async (referral, tx) => {
      const decision = await decideReferralPacket(tx, this.packetQuestion(referral), records);
      const event = referral.send(
        {
          recordIds: decision.included.map((each) => each.recordId),
          withheld: decision.withheld,
          consentIds: [...new Set(decision.included.map((each) => each.consentId))],
        },
        actorOf(actor),
      );
      addToOutbox(tx, 'referral-letters', 'referral.send', { referralId: referral.id, letterVersion: referral.letterVersion });
      return event;
    });
  }

  async cancel(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number, reason: string): Promise<Referral> {
    await this.openAsSender(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => referral.cancel(reason, actorOf(actor)));
  }

  async receive(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number): Promise<Referral> {
    await this.openAsRecipient(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => referral.receive(actorOf(actor)));
  }

  async accept(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number): Promise<Referral> {
    await this.openAsRecipient(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => referral.accept(actorOf(actor)));
  }

  async reject(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number, reason: string): Promise<Referral> {
    await this.openAsRecipient(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => referral.reject(reason, actorOf(actor)));
  }

  /** Books the appointment, or books it again (a reschedule). */
  async schedule(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number, at: Date, place: string): Promise<Referral> {
    await this.openAsRecipient(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => referral.schedule(at, place, actorOf(actor)));
  }

  async markNoShow(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number): Promise<Referral> {
    await this.openAsRecipient(em, access, id);
    return this.move(em, id, expectedVersion, (referral) => referral.markNoShow(actorOf(actor)));
  }

  /** Completes it with the consult note (text and/or a PDF). */
  async complete(em: EntityManager, access: AccessPolicy, actor: RequestUser, id: string, expectedVersion: number, note: { text: string | null; pdf: Buffer | null }): Promise<Referral> {
    if (note.pdf && (note.pdf.length > consultNotePdfMaxBytes || note.pdf.subarray(0, 5).toString('latin1') !== '%PDF-')) {
      throw new BadInputError(`The consult note PDF is not a PDF of at most ${consultNotePdfMaxBytes} bytes`, { field: 'consultNotePdf' });
    }
    await this.openAsRecipient(em, access, id);
    return this.move(em, id, expectedVersion, (referral, tx) => {
      const consult = consultRecordOf(referral, note.text, actor);
      const event = referral.complete(note, consult.id, actorOf(actor));
      tx.persist(consult);
      return event;
    });
  }

  /**
   * A referral opened by id by either side, its read recorded for the audit (it is about the
   * patient's care); NOT_FOUND for anyone else, exactly as for an unknown id.
   */
  async open(em: EntityManager, access: AccessPolicy, id: string): Promise<OpenedReferral> {
    const referral = await findByIdOrFail(em, Referral, id, 'Referral');
    const { side, maySend } = await access.referralStanding(referral.patient.id, factsOf(referral));
    if (!side) throw new NotFoundError('Referral', id);
    recordRead(access, [referral]);
    return { referral, side, maySend };
  }

  /** The consult note PDF (base64) a completed referral returned, for either side; null when none. */
  async consultNotePdf(em: EntityManager, access: AccessPolicy, id: string): Promise<string | null> {
    const { referral } = await this.open(em, access, id);
    await em.populate(referral, ['consultNotePdf']);
    return referral.consultNotePdf ? Buffer.from(referral.consultNotePdf).toString('base64') : null;
  }

  /**
   * The packet of a sent referral as sent (record versions by id, not the live record), as the reader
   * may read it now: the sender's side all of it; the recipient what a consent it was sent under, still
   * in force, covers. Each read is recorded for the audit. Null while a draft.
   */
  async packetFor(em: EntityManager, access: AccessPolicy, id: string): Promise<PacketRead | null> {
    const { referral, side } = await this.open(em, access, id);
    if (!referral.sentAt) return null;
    const [{ care, records }, consents] = await Promise.all([sentContents(em, referral), side === 'RECIPIENT' ? sentUnderInForce(em, referral.packetConsentIds) : []]);
    const shown = access.discloseReferralPacket(referral.patient.id, side, records, consents);
    return { patient: care.patient, records: shown, withheld: referral.packetWithheld, includesSud: includesSud(shown), letterVersion: referral.letterVersion, sentAt: referral.sentAt };
  }

  /** The referrals the reader's program sent, of patients they may see, oldest first; optionally of one status or one patient. */
  async listSent(em: EntityManager, access: AccessPolicy, filter: ReferralListFilter, page: PageRequest): Promise<Page<Referral>> {
    const { sentBy } = access.referralLists();
    if (!sentBy) throw new ForbiddenError('Only IOP staff list the referrals their program sent');
    const where: FilterQuery<Referral> = { $and: [{ senderOrganization: sentBy, patient: await access.patientScope() }, listFilter(filter)] };
    return recordPageRead(access, await paginate(em, Referral, where, page));
  }

  /** The referrals sent to the reader's organization, oldest first; optionally of one status or one patient. Drafts, and drafts cancelled unsent, are the sender's alone. */
  async listReceived(em: EntityManager, access: AccessPolicy, filter: ReferralListFilter, page: PageRequest): Promise<Page<Referral>> {
    const { receivedBy } = access.referralLists();
    if (!receivedBy) throw new ForbiddenError('Only a local provider or a practice lists the referrals addressed to it');
    const where: FilterQuery<Referral> = { recipientOrganization: receivedBy, sentAt: { $ne: null }, ...listFilter(filter) };
    return recordPageRead(access, await paginate(em, Referral, where, page));
  }

  /** Every move of a referral, oldest first. */
  timeline(em: EntityManager, referralId: string): Promise<ReferralEvent[]> {
    return em.find(ReferralEvent, { referral: referralId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /**
   * Who is told of a move (the notifications queue): the recipient organization's clinical users of
   * the sender's moves once it was sent; the sending clinician of the recipient's moves and of a
   * failed delivery. Null when the event is gone.
   */
  async toldOfMove(em: EntityManager, eventId: string): Promise<{ userIds: string[]; kind: string; referralId: string } | null> {
    const event = await em.findOne(ReferralEvent, { id: eventId }, { populate: ['referral'] });
    const kind = event && noticeKinds[event.toStatus];
    if (!event || !kind) return null;
    const { referral } = event;
    const bySender = event.organizationId === referral.senderOrganization.id;
    const wasSent = event.fromStatus !== ReferralStatus.DRAFT;
    const userIds = bySender
      ? wasSent || event.toStatus === ReferralStatus.REQUESTED
        ? await activeMembersOf(em, [referral.recipientOrganization.id], [...referralRecipientRoles])
        : []
      : [referral.senderUser.id];
    return { userIds, kind, referralId: referral.id };
  }

  /** The referral as the sender may act on it (their care team); NOT_FOUND to those who may not see it, FORBIDDEN to the recipient or an admin. */
  private async openAsSender(em: EntityManager, access: AccessPolicy, id: string): Promise<Referral> {
    const { referral, maySend } = await this.open(em, access, id);
    if (!maySend) throw new ForbiddenError("Only an IOP clinician on the patient's care team acts for the sender", { referralId: id });
    return referral;
  }

  private async openAsRecipient(em: EntityManager, access: AccessPolicy, id: string): Promise<Referral> {
    const { referral, side } = await this.open(em, access, id);
    if (side !== 'RECIPIENT') throw new ForbiddenError('Only the recipient organization answers a referral', { referralId: id });
    return referral;
  }

  /**
   * One move in a transaction: the referral read under a row lock, its version checked, then `act`
   * (which may refuse: CONFLICT, nothing changed); the versioned UPDATE is a second guard. A move
   * the other side hears of (an event returned) is queued to the notifications in the same transaction.
   */
  private async move(
    em: EntityManager,
    id: string,
    expectedVersion: number,
    act: (referral: Referral, tx: EntityManager) => ReferralEvent | null | Promise<ReferralEvent | null>,
  ): Promise<Referral> {
    try {
      return await em.transactional(async (tx) => {
        const referral = await tx.findOneOrFail(Referral, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
        referral.assertVersion(expectedVersion);
        const event = await act(referral, tx);
        if (event) tellOtherSide(tx, event);
        return referral;
      });
    } catch (error) {
      if (error instanceof OptimisticLockError) throw new ConflictError('The referral changed meanwhile: read it again', { referralId: id });
      throw error;
    }
  }

  /** The patient's current records, each with the category its kind is disclosed under. */
  private async currentRecordsOf(em: EntityManager, patientId: string) {
    const { records } = await readRecordRows(em, [patientId]);
    return records.filter((record) => record.isCurrent).map((record) => Object.assign(record, { kindCategory: recordKinds[record.kind].category }));
  }

  private packetQuestion(referral: Referral): PacketQuestion {
    return {
      patientId: referral.patient.id,
      senderUserId: referral.senderUser.id,
      senderOrganizationId: referral.senderOrganization.id,
      recipientOrganizationId: referral.recipientOrganization.id,
      requestedCategories: referral.requestedCategories,
    };
  }
}

/**
 * The consult note as a record of the patient's shared view: a visit at the recipient organization
 * (its own record, under the partner rule), traced to the referral by its source id.
 */
function consultRecordOf(referral: Referral, text: string | null, actor: RequestUser): Encounter {
  return new Encounter(
    referral.patient,
    { sourceOrganization: referral.recipientOrganization, sourceSystem: consultSourceSystem, sourceRecordId: referral.id, recordedById: actor.id },
    {
      encounterType: `Referral consult: ${referral.requestedService}`.slice(0, referralTextLimits.requestedService),
      status: 'finished',
      startedAt: referral.appointmentAt,
      summary: text?.trim() || 'Consult note returned as a PDF (see the referral).',
    },
  );
}

/** The source system of the consult notes recipients return through the hub. */
export const consultSourceSystem = 'carebridge-referral';

/** Records the read of referrals for the audit: each is about its patient's care. */
function recordRead(access: AccessPolicy, referrals: Referral[]): void {
  for (const patientId of new Set(referrals.map((referral) => referral.patient.id))) {
    access.record({ patientId, purpose: Purpose.TREATMENT, basis: null, allowed: [DataCategory.TREATMENT_SUMMARY], denied: [], consentId: null, breakGlassId: null });
  }
}

function recordPageRead(access: AccessPolicy, page: Page<Referral>): Page<Referral> {
  recordRead(access, page.edges.map((edge) => edge.node));
  return page;
}

/**
 * Keeps a move in the timeline and queues, in the move's transaction, telling the other side of it
 * and the live update (`referralUpdated`) its subscribers re-read through the policy point.
 */
function tellOtherSide(tx: EntityManager, event: ReferralEvent): void {
  tx.persist(event);
  addToOutbox(tx, 'notifications', 'referral.moved', { eventId: event.id });
  addToOutbox(tx, 'notifications', 'live.publish', { topic: 'referralUpdated', patientId: event.referral.patient.id, recordId: event.referral.id });
}

/**
 * The letter job's last attempt failed: FAILED, kept in the timeline, and the sender is told.
 * Only a referral still REQUESTED fails (one received meanwhile, cancelled or failed already stays
 * as it is); returns whether it moved, so a rerun changes nothing twice.
 */
export async function markDeliveryFailed(em: EntityManager, referralId: string, reasonCode: string): Promise<boolean> {
  return em.fork().transactional(async (tx) => {
    const referral = await tx.findOne(Referral, { id: referralId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!referral || referral.status !== ReferralStatus.REQUESTED) return false;
    tellOtherSide(tx, referral.failDelivery(reasonCode));
    return true;
  });
}

/**
 * The packet of a sent referral as it was sent, rebuilt from what was stored: the record versions
 * by id (never the live record), the parts withheld, the patient and the sender's identifiers the
 * sending program may disclose. The only input of the letter and of the FHIR Bundle. Runs outside
 * a transaction (the row readers do); CONFLICT for a referral never sent.
 */
export async function referralPacket(em: EntityManager, referralId: string): Promise<ReferralPacket> {
  const referral = await findByIdOrFail(em, Referral, referralId, 'Referral', { populate: ['senderOrganization', 'senderUser', 'recipientOrganization'] });
  const { care, records } = await sentContents(em, referral);
  const sender = senderAsReader({ senderUserId: referral.senderUser.id, senderOrganizationId: referral.senderOrganization.id });
  return {
    referral: {
      id: referral.id,
      version: referral.letterVersion,
      urgency: referral.urgency,
      requestedService: referral.requestedService,
      reason: referral.reason,
      clinicalQuestion: referral.clinicalQuestion,
      sentAt: referral.sentAt!,
    },
    patient: care.patient,
    identifiers: care.identifiers.filter((identifier) => showsIdentifierFrom(sender, identifier.organization)),
    sender: {
      organizationId: referral.senderOrganization.id,
      organizationName: referral.senderOrganization.name,
      clinicianName: referral.senderUser.displayName,
      phone: null,
      email: referral.senderUser.email,
    },
    recipient: { organizationId: referral.recipientOrganization.id, organizationName: referral.recipientOrganization.name },
    records,
    withheld: referral.packetWithheld,
    consentIds: referral.packetConsentIds,
    includesSud: includesSud(records),
  };
}

const includesSud = (records: PatientRecordRow[]) => records.some((record) => record.categories.includes(DataCategory.SUD));

/** The patient and the record versions a sent referral carries, read by id (never the live record); CONFLICT for one never sent. */
export async function sentContents(em: EntityManager, referral: Referral): Promise<{ care: PatientCare; records: PatientRecordRow[] }> {
  if (!referral.sentAt) throw new ConflictError('A referral never sent has no packet', { referralId: referral.id });
  const [[care], { records }] = await Promise.all([readPatientCare(em, [referral.patient.id]), readRecordRows(em, [referral.patient.id])]);
  if (!care) throw new NotFoundError('Patient', referral.patient.id);
  const sent = new Set(referral.packetRecordIds);
  return { care, records: records.filter((record) => sent.has(record.id)) };
}
