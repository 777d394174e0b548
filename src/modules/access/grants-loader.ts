import DataLoader from 'dataloader';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import { isUuid } from '../../db/find';
import { ForbiddenError } from '../../errors';
import { BreakGlassAccess } from '../consent/break-glass.entity';
import { Consent, ConsentStatus } from '../consent/consent.entity';
import { DataCategory, Purpose } from '../consent/data-category';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { Enrollment, EnrollmentStatus } from '../patients/enrollment.entity';
import type { Patient } from '../patients/patient.entity';
import { type AccessBasis, type ConsentFact, type GrantFacts, isPartner, noGrant, type Reader } from './rules';

export const asFact = (consent: Consent): ConsentFact => ({ id: consent.id, programId: consent.program.id, purpose: consent.purpose, categories: consent.categories });

/**
 * The facts the access rules need about a reader's hold on patients, fetched from the database:
 * consents in force, enrolments with their care teams, emergency access. One instance per request;
 * a DataLoader batches the patients a request asks about into one query and caches the answers.
 */
export class GrantsLoader {
  private readonly grantByPatient = new DataLoader<string, GrantFacts>((patientIds) => this.grantsFor([...patientIds]));

  constructor(
    private readonly em: EntityManager,
    private readonly reader: Reader,
  ) {}

  /** What the reader holds for a patient; nothing for an id that names no patient. */
  async load(patientId: string): Promise<GrantFacts> {
    return isUuid(patientId) ? this.grantByPatient.load(patientId) : noGrant;
  }

  /**
   * Narrows a patient query to the patients this reader may be shown, revealing nothing about
   * others: a partner lists only the patients whose consent in force names it (or them), lists
   * DEMOGRAPHICS and is for the purpose of the read.
   */
  async patientScope(purpose: Purpose): Promise<FilterQuery<Patient>> {
    const reader = this.reader;
    if (isPartner(reader)) {
      const consents = await this.em.find(
        Consent,
        { $and: [this.consentsInForce(), { purpose, categories: { $contains: [DataCategory.DEMOGRAPHICS] } }] },
        { fields: ['patient'] },
      );
      return { id: { $in: [...new Set(consents.map((consent) => consent.patient.id))] } };
    }
    switch (reader.role) {
      case Role.ADMIN:
        return { enrollments: { program: reader.organizationId } };
      case Role.PATIENT:
        if (!reader.patientId) throw new ForbiddenError('Your account is not linked to a patient record');
        return { id: reader.patientId };
      case Role.IOP_CLINICIAN:
        return {
          enrollments: {
            status: EnrollmentStatus.ACTIVE,
            program: reader.organizationId,
            careTeam: { user: reader.userId, removedAt: null },
          },
        };
      default:
        throw new ForbiddenError('Your role may not list patients');
    }
  }

  /** The other programs, and the consents of a patient other programs gave, than the reader's organization's. */
  async othersBusiness(patientId: string, organizationId: string): Promise<{ programIds: string[]; consentIds: string[] }> {
    const otherPrograms = await this.em.find(Organization, { kind: OrganizationKind.IOP, id: { $ne: organizationId } }, { fields: ['id'] });
    const otherConsents = await this.em.find(Consent, { patient: patientId, program: { $ne: organizationId } }, { fields: ['id'] });
    return { programIds: otherPrograms.map((program) => program.id), consentIds: otherConsents.map((consent) => consent.id) };
  }

  /** Consents in force that name the reader's organization or the reader personally. */
  private consentsInForce(now = new Date()): FilterQuery<Consent> {
    return consentsInForceNaming({ userId: this.reader.userId, organizationId: this.reader.organizationId }, now);
  }

  /** One query for the whole batch of patients a request asks about. */
  private async grantsFor(patientIds: string[]): Promise<GrantFacts[]> {
    const reader = this.reader;
    if (isPartner(reader)) {
      const consents = await this.em.find(Consent, { $and: [{ patient: { $in: patientIds } }, this.consentsInForce()] });
      return patientIds.map((id) => {
        const own = consents.filter((consent) => consent.patient.id === id).map(asFact);
        return { ...noGrant, basis: own.length > 0 ? 'CONSENT' : null, consents: own };
      });
    }
    switch (reader.role) {
      case Role.PATIENT:
        return patientIds.map((id) => ({ ...noGrant, basis: id === reader.patientId ? 'SELF' : null }));
      case Role.ADMIN:
      case Role.IOP_CLINICIAN:
        return this.staffGrantsFor(patientIds);
      default:
        return patientIds.map(() => noGrant);
    }
  }

  private async staffGrantsFor(patientIds: string[]): Promise<GrantFacts[]> {
    const reader = this.reader;
    // Every enrolment of these patients with its care team, in one statement.
    const enrollments = await this.em.find(Enrollment, { patient: { $in: patientIds } }, { populate: ['careTeam'], strategy: 'joined' });
    const ownProgram = enrollments.filter((enrollment) => enrollment.program.id === reader.organizationId);
    const inOtherProgramsCare = new Set(enrollments.filter((enrollment) => enrollment.program.id !== reader.organizationId).map((enrollment) => enrollment.patient.id));
    const inOwnCare =
      reader.role === Role.ADMIN
        ? new Set(ownProgram.map((enrollment) => enrollment.patient.id))
        : new Set(
            ownProgram
              .filter((enrollment) => enrollment.status === EnrollmentStatus.ACTIVE)
              .filter((enrollment) => enrollment.careTeam.getItems().some((member) => member.user.id === reader.userId && member.removedAt === null))
              .map((enrollment) => enrollment.patient.id),
          );
    // Emergency access and other programs' consents naming this program matter for patients outside
    // the reader's care, and for those another program treats (whose Part 2 records they open); only
    // for them are they looked up. Patients outside the reader's care all cost the same statements,
    // known elsewhere or unknown, so the look-up tells nothing of other programs' patients.
    const beyondOwnCare = patientIds.filter((id) => !inOwnCare.has(id) || inOtherProgramsCare.has(id));
    const programConsents = beyondOwnCare.length ? await this.em.find(Consent, { $and: [{ patient: { $in: beyondOwnCare } }, this.consentsInForce()] }) : [];
    const consentsOf = (id: string) => programConsents.filter((consent) => consent.patient.id === id).map(asFact);
    if (reader.role === Role.ADMIN) {
      return patientIds.map((id) => ({ basis: inOwnCare.has(id) ? 'ADMIN' : null, consents: consentsOf(id), breakGlassId: null }));
    }
    const emergencies = beyondOwnCare.length
      ? await this.em.find(BreakGlassAccess, { userId: reader.userId, patient: { $in: beyondOwnCare }, expiresAt: { $gt: new Date() } })
      : [];
    return patientIds.map((id) => {
      const emergency = emergencies.find((access) => access.patient.id === id)?.id ?? null;
      const basis: AccessBasis | null = inOwnCare.has(id) ? 'CARE_TEAM' : emergency ? 'EMERGENCY' : null;
      return { basis, consents: consentsOf(id), breakGlassId: emergency };
    });
  }

}

/** Consents in force: signed, started, not expired, not revoked. */
export function consentsInForce(now = new Date()): FilterQuery<Consent> {
  return { status: ConsentStatus.ACTIVE, startsAt: { $lte: now }, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] };
}

/** Consents in force that name the organization or the person. */
export function consentsInForceNaming(recipient: { userId?: string | null; organizationId?: string | null }, now = new Date()): FilterQuery<Consent> {
  const namesRecipient: FilterQuery<Consent>[] = [];
  if (recipient.userId) namesRecipient.push({ recipientUserIds: { $contains: [recipient.userId] } });
  if (recipient.organizationId) namesRecipient.push({ recipientOrganizationIds: { $contains: [recipient.organizationId] } });
  return { $and: [consentsInForce(now), { $or: namesRecipient }] };
}
