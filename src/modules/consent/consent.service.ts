import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { findByIdOrFail, refusedAsNotFound } from '../../db/find';
import { BadInputError, ForbiddenError, NotFoundError } from '../../errors';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { addToOutbox } from '../../jobs/outbox';
import { Consent, ConsentStatus, type ConsentTerms } from './consent.entity';
import { Membership } from '../users/membership.entity';
import { DataCategory, Purpose } from './data-category';
import type { AccessPolicy } from '../access/access-policy';
import { consentRoles } from '../access/rules';

/** The release-of-information workflow: IOP staff request, the patient signs, declines or revokes. */
export class ConsentService {
  /** Asks the patient to consent; the consent returned is disclosed with the patient's demographics once committed. */
  async request(em: EntityManager, access: AccessPolicy, actor: RequestUser, patientId: string, terms: ConsentTerms): Promise<Consent> {
    // Checked before the transaction, on the request's connection (see `ClinicalService.record`).
    await access.requireCareOf(patientId);
    const requested = await em.transactional(async (tx) => {
      const patient = await findByIdOrFail(tx, Patient, patientId, 'Patient');
      if (terms.recipientOrganizationIds.length === 0 && terms.recipientUserIds.length === 0) {
        throw new BadInputError('Name the recipients: organizations, people, or both', { element: 'recipients' });
      }
      const recipients = await tx.find(Organization, { id: { $in: terms.recipientOrganizationIds } });
      if (recipients.length !== new Set(terms.recipientOrganizationIds).size) {
        throw new BadInputError('Every recipient must be a known organization', { element: 'recipients' });
      }
      // Another program may be a recipient (a patient moving to its care); the program itself may not.
      if (recipients.some((recipient) => recipient.id === actor.organizationId)) {
        throw new BadInputError('Recipients are the organizations outside the program', { element: 'recipients' });
      }
      await this.requirePartnerPeople(tx, terms.recipientUserIds);
      if (terms.purpose === Purpose.OTHER && !terms.purposeStatement?.trim()) {
        throw new BadInputError('State the purpose in words when it is OTHER', { element: 'purpose statement' });
      }
      const consent = new Consent(patient, tx.getReference(Organization, actor.organizationId!), terms, actor.id);
      tx.persist(consent);
      addToOutbox(tx, 'roi-consent', 'consent.requested', { consentId: consent.id });
      return consent;
    });
    await access.disclose(patientId, [DataCategory.DEMOGRAPHICS]);
    return requested;
  }

  /** Named recipients must be active people acting for a partner organization (not the IOP's own staff). */
  private async requirePartnerPeople(tx: EntityManager, userIds: string[]): Promise<void> {
    const wanted = new Set(userIds);
    if (wanted.size === 0) return;
    const memberships = await tx.find(Membership, {
      user: { id: { $in: [...wanted] }, active: true },
      active: true,
      role: { $in: consentRoles },
      organization: { kind: { $ne: OrganizationKind.IOP } },
    });
    if (new Set(memberships.map((membership) => membership.user.id)).size !== wanted.size) {
      throw new BadInputError('Every named recipient must be an active person at a partner organization', { element: 'recipients' });
    }
  }

  /** Sign, decline or revoke: only the patient the consent is about. */
  async decide(em: EntityManager, actor: RequestUser, consentId: string, act: (consent: Consent) => void): Promise<Consent> {
    return em.transactional(async (tx) => {
      // Locked, then read with its events: of concurrent decisions one goes through and the others
      // see its outcome (CONFLICT), so a consent is signed or revoked, and told, once.
      const consent = await findByIdOrFail(tx, Consent, consentId, 'Consent', { lockMode: LockMode.PESSIMISTIC_WRITE });
      await tx.populate(consent, ['events']);
      if (actor.role !== Role.PATIENT || actor.patientId !== consent.patient.id) {
        throw new ForbiddenError('Only the patient decides about their consent');
      }
      const before = consent.status;
      act(consent);
      if (before === ConsentStatus.ACTIVE && consent.status === ConsentStatus.REVOKED) {
        addToOutbox(tx, 'roi-consent', 'consent.revoked', { consentId: consent.id });
      }
      // Prescriptions awaiting a consent naming their pharmacy are routed once it is signed.
      if (before === ConsentStatus.REQUESTED && consent.status === ConsentStatus.ACTIVE) {
        addToOutbox(tx, 'pharmacy-events', 'consent.signed', { consentId: consent.id });
      }
      return consent;
    });
  }

  /**
   * One consent. The patient and their program's staff see it as `Patient.consents` shows it; a
   * recipient it names sees it too once signed, also revoked or expired (the notices of its end
   * name it), audited under that consent. Anyone else: NOT_FOUND, as for an unknown id.
   */
  async findFor(em: EntityManager, access: AccessPolicy, actor: RequestUser, consentId: string): Promise<Consent> {
    const consent = await findByIdOrFail(em, Consent, consentId, 'Consent', { populate: ['events'] });
    const patientId = consent.patient.id;
    if (consent.wasGrantedTo(actor)) {
      await access.recordReadUnder(patientId, { consentId: consent.id });
      return consent;
    }
    await refusedAsNotFound(access.requireSelfOrCare(patientId), 'Consent', consentId);
    if (!access.showsProgramRecord(consent.program.id)) throw new NotFoundError('Consent', consentId);
    await access.disclose(patientId, [DataCategory.DEMOGRAPHICS]);
    return consent;
  }

  /** A patient's consents, newest first, for the patient (all) or their program's staff (their program's). */
  async listFor(em: EntityManager, access: AccessPolicy, patientId: string): Promise<Consent[]> {
    await access.requireSelfOrCare(patientId);
    await access.disclose(patientId, [DataCategory.DEMOGRAPHICS]);
    const consents = await em.find(Consent, { patient: patientId }, { populate: ['events'], orderBy: { createdAt: 'desc', id: 'desc' } });
    // Another program's consent names that program, perhaps a Part 2 program: its record, not ours.
    return consents.filter((consent) => access.showsProgramRecord(consent.program.id));
  }
}
