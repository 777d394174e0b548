import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail } from '../../db/find';
import { BadInputError, ConflictError } from '../../errors';
import { paginate, type PageRequest } from '../../db/paging';
import type { AccessPolicy } from '../access/access-policy';
import { ClinicalRecord, ClinicalRecordKind } from '../clinical/clinical-record.entity';
import { formatOf } from './formats';
import { InboxMessage, InboxState } from './inbox-message.entity';
import { IngestService } from './ingest.service';
import { LabResult } from '../labs/lab-result.entity';
import { Organization } from '../organizations/organization.entity';
import { requireProgramAdmin } from '../organizations/program-admin';
import { lockPatientImports } from './patient-imports-lock';
import { settleAfterRemoval } from '../labs/result-versions';
import { MatchReview, MatchReviewStatus } from './match-review.entity';
import type { InboundPatient } from '../patients/patient-matching';
import { demographicsOf, knownIdentifiers } from '../patients/source-identifiers';
import { PatientIdentifier } from '../patients/patient-identifier.entity';
import { Patient } from '../patients/patient.entity';
import { PatientService } from '../patients/patient.service';

// The queue shows inbound demographics: a partner organization's admin has no business there.
const onlyProgramAdmins = 'Only an IOP admin works the patient-matching queue';

/**
 * IOP staff work the queue of inbound messages whose patient was not matched with certainty:
 * link to a patient in their care (the message is then imported for that patient), register a
 * new patient from the message's demographics, or reject the message.
 */
export class MatchReviewService {
  private readonly ingest = new IngestService();
  private readonly patients = new PatientService();

  async list(em: EntityManager, actor: RequestUser, status: MatchReviewStatus | null | undefined, args: PageRequest) {
    await requireProgramAdmin(em, actor, onlyProgramAdmins);
    return paginate(em, MatchReview, status ? { status } : {}, args);
  }

  async link(em: EntityManager, access: AccessPolicy, actor: RequestUser, reviewId: string, patientId: string): Promise<MatchReview> {
    // Checked before the transaction, on the request's connection (see `ClinicalService.record`).
    await access.requireCareOf(patientId);
    return em.transactional(async (tx) => {
      const review = await this.pending(tx, reviewId);
      await this.importFor(tx, review, patientId);
      review.resolve(MatchReviewStatus.LINKED, actor.id, tx.getReference(Patient, patientId));
      return review;
    });
  }

  async createPatient(em: EntityManager, actor: RequestUser, reviewId: string): Promise<MatchReview> {
    return em.transactional(async (tx) => {
      const review = await this.pending(tx, reviewId);
      const { givenName, familyName, birthDate, phone, postalCode } = review.demographics;
      if (!givenName || !familyName || !birthDate) {
        throw new BadInputError('The message does not name the patient fully (given name, family name, birth date); link it instead');
      }
      const { patient } = await this.patients.registerPatient(tx, actor, { givenName, familyName, birthDate, phone, postalCode });
      await this.importFor(tx, review, patient.id);
      review.resolve(MatchReviewStatus.CREATED, actor.id, patient);
      return review;
    });
  }

  async reject(em: EntityManager, actor: RequestUser, reviewId: string): Promise<MatchReview> {
    await requireProgramAdmin(em, actor, onlyProgramAdmins);
    return em.transactional(async (tx) => {
      const review = await this.pending(tx, reviewId);
      const message = await tx.findOneOrFail(InboxMessage, { id: review.inboxMessage.id });
      review.resolve(MatchReviewStatus.REJECTED, actor.id, null);
      message.markRejected('rejected in patient review');
      return review;
    });
  }

  /**
   * Undoes a link (automatic or reviewed) that put a message on the wrong patient: removes the
   * records it brought and the identifiers it taught for that patient, and holds the message for
   * a new review. The raw message and the history of reviews stay.
   */
  async unlink(em: EntityManager, access: AccessPolicy, actor: RequestUser, messageId: string): Promise<MatchReview> {
    // Decided before the transaction, on the request's connection (see `ClinicalService.record`),
    // for the patient the message is linked to now; the transaction, holding the message, refuses
    // to go on if a concurrent link or unlink moved it meanwhile.
    const decided = await this.linkOf(em.fork(), messageId);
    await access.requireCareOf(decided.patientId);
    return em.transactional(async (tx) => {
      const { message, records, reviews, patientId } = await this.linkOf(tx, messageId);
      if (patientId !== decided.patientId) throw new ConflictError('The message was linked to another patient meanwhile; try again');

      await lockPatientImports(tx, patientId);
      const removed = new Set(records.map((record) => record.id));
      const resultKeys = records.flatMap((record) => (record instanceof LabResult && record.resultKey ? [record.resultKey] : []));
      const remainingVersions = await tx.find(LabResult, {
        patient: patientId,
        sourceOrganization: message.sourceOrganizationId,
        resultKey: { $in: resultKeys },
        id: { $nin: [...removed] },
      });
      const replaced = await tx.find(ClinicalRecord, { supersededById: { $in: [...removed] }, id: { $nin: [...removed] }, kind: { $ne: ClinicalRecordKind.LAB_RESULT } });
      // Removed first: a version made current again takes back its key, which one current record holds at a time.
      tx.remove(records);
      await tx.flush();
      settleAfterRemoval(remainingVersions, removed);
      // Other records a removed one replaced (a practice's updated resource) are current again.
      replaced.forEach((record) => record.reinstate());
      const inbound = inboundPatientOf(message);
      if (inbound.identifiers.length > 0) {
        await tx.nativeDelete(PatientIdentifier, { $and: [{ patient: patientId }, knownIdentifiers(message.sourceOrganizationId!, inbound.identifiers)] });
      }
      reviews.forEach((review) => review.unlink(actor.id));
      message.markHeld('unlinked from the wrong patient; waiting for review');
      const review = new MatchReview(message, tx.getReference(Organization, message.sourceOrganizationId!), demographicsOf(inbound), []);
      tx.persist(review);
      return review;
    });
  }

  /**
   * A processed message with the records it brought and the reviews that linked it, and the one
   * patient they are all about; otherwise CONFLICT. In a transaction the message's row is locked,
   * so of concurrent unlinks one goes through and the others find it held.
   */
  private async linkOf(em: EntityManager, messageId: string) {
    const lockMode = em.isInTransaction() ? LockMode.PESSIMISTIC_WRITE : undefined;
    const message = await findByIdOrFail(em, InboxMessage, messageId, 'Inbound message', { lockMode });
    if (message.state !== InboxState.PROCESSED) throw new ConflictError(`Only a processed message can be unlinked; this one is ${message.state}`);
    const records = await em.find(ClinicalRecord, { inboxMessageId: message.id });
    const reviews = await em.find(MatchReview, { inboxMessage: message, status: { $in: [MatchReviewStatus.LINKED, MatchReviewStatus.CREATED] } });
    const patientIds = new Set([...records.map((record) => record.patient.id), ...reviews.flatMap((review) => (review.patient ? [review.patient.id] : []))]);
    if (patientIds.size !== 1) throw new ConflictError('The message is not linked to one patient');
    const [patientId] = [...patientIds];
    return { message, records, reviews, patientId };
  }

  /** Imports the held message for the chosen patient, inside the caller's transaction. */
  private async importFor(tx: EntityManager, review: MatchReview, patientId: string): Promise<void> {
    const outcome = await this.ingest.importMessage(tx, review.inboxMessage.id, patientId);
    if (outcome.status !== 'PROCESSED') throw new ConflictError('The message was dealt with already; it cannot be linked now');
  }

  private async pending(em: EntityManager, reviewId: string): Promise<MatchReview> {
    // Locked: two reviewers resolving the same review one after the other, never both.
    const review = await findByIdOrFail(em, MatchReview, reviewId, 'Match review', { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (review.status !== MatchReviewStatus.PENDING) throw new ConflictError(`This review is already ${review.status}`, { status: review.status });
    return review;
  }
}

/** Who a stored message says its patient is. */
const inboundPatientOf = (message: InboxMessage): InboundPatient => formatOf(message.source).patientOf(message);
