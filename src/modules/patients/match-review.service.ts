import type { EntityManager } from '@mikro-orm/postgresql';
import type { Bundle } from '@medplum/fhirtypes';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail } from '../../db/find';
import { BadInputError, ConflictError } from '../../errors';
import { paginate, type ConnectionArgs } from '../../graphql/connection';
import type { AccessPolicy } from '../consent/policy';
import { InboxMessage, InboxSource } from '../inbox/inbox-message.entity';
import { LabImportService } from '../labs/lab-import.service';
import { FhirImportService } from '../sources/fhir-import.service';
import { MatchReview, MatchReviewStatus } from './match-review.entity';
import { Patient } from './patient.entity';
import { PatientService } from './patient.service';

/**
 * IOP staff work the queue of inbound messages whose patient was not matched with certainty:
 * link to a patient in their care (the message is then imported for that patient), register a
 * new patient from the message's demographics, or reject the message.
 */
export class MatchReviewService {
  private readonly fhir = new FhirImportService();
  private readonly labs = new LabImportService();
  private readonly patients = new PatientService();

  list(em: EntityManager, status: MatchReviewStatus | null | undefined, args: ConnectionArgs) {
    return paginate(em, MatchReview, status ? { status } : {}, args);
  }

  async link(em: EntityManager, access: AccessPolicy, actor: RequestUser, reviewId: string, patientId: string): Promise<MatchReview> {
    return em.transactional(async (tx) => {
      const review = await this.pending(tx, reviewId);
      await access.requireCareOf(patientId);
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
      const { patient } = await this.patients.register(tx, actor, { givenName, familyName, birthDate, phone, postalCode });
      await this.importFor(tx, review, patient.id);
      review.resolve(MatchReviewStatus.CREATED, actor.id, patient);
      return review;
    });
  }

  async reject(em: EntityManager, actor: RequestUser, reviewId: string): Promise<MatchReview> {
    return em.transactional(async (tx) => {
      const review = await this.pending(tx, reviewId);
      const message = await tx.findOneOrFail(InboxMessage, { id: review.inboxMessage.id });
      review.resolve(MatchReviewStatus.REJECTED, actor.id, null);
      message.markRejected('rejected in patient review');
      return review;
    });
  }

  /** Imports the held message for the chosen patient, inside the caller's transaction. */
  private async importFor(tx: EntityManager, review: MatchReview, patientId: string): Promise<void> {
    const message = await tx.findOneOrFail(InboxMessage, { id: review.inboxMessage.id });
    switch (message.source) {
      case InboxSource.FHIR:
        await this.fhir.import(tx, review.sourceOrganization.id, message.id, JSON.parse(message.body) as Bundle, patientId);
        return;
      case InboxSource.HL7V2:
        await this.labs.import(tx, message.id, patientId);
        return;
      default:
        throw new ConflictError(`Reviewing ${message.source} messages is not supported yet`);
    }
  }

  private async pending(em: EntityManager, reviewId: string): Promise<MatchReview> {
    const review = await findByIdOrFail(em, MatchReview, reviewId, 'Match review');
    if (review.status !== MatchReviewStatus.PENDING) throw new ConflictError(`This review is already ${review.status}`, { status: review.status });
    return review;
  }
}
