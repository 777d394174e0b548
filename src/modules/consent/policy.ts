import DataLoader from 'dataloader';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import type { RequestUser } from '../../auth/request-user';
import { ForbiddenError, UnauthenticatedError } from '../../errors';
import type { DisclosureLog } from '../audit/disclosure-log';
import { Enrollment, EnrollmentStatus } from '../patients/enrollment.entity';
import type { Patient } from '../patients/patient.entity';
import { DataCategory, Purpose } from './data-category';

/** Why a user may see a patient's data. */
export type AccessBasis = 'SELF' | 'CARE_TEAM' | 'ADMIN';

export interface AccessDecision {
  patientId: string;
  purpose: Purpose;
  basis: AccessBasis | null;
  allowed: DataCategory[];
  denied: DataCategory[];
  /** The consent the disclosure relies on; none of today's bases needs one. */
  consentId: string | null;
}

const allCategories = Object.values(DataCategory);

/**
 * The one place that decides who may see which categories of which patient's data. Every read of
 * patient data goes through `disclose` (single records) or `patientScope` + `disclose` (lists);
 * resolvers never decide access themselves. One instance per request: it caches its look-ups.
 *
 * Today: the patient's own active IOP care team, the patient themself and IOP admins see the
 * record; everyone else is refused with FORBIDDEN. Consent-based access extends this class.
 */
export class AccessPolicy {
  private readonly careTeamPatients: DataLoader<string, boolean>;

  constructor(
    private readonly em: EntityManager,
    private readonly user: RequestUser | null,
    private readonly disclosures: DisclosureLog,
  ) {
    this.careTeamPatients = new DataLoader(async (patientIds) => {
      const onTeam = await this.activeCareTeamPatientIds([...patientIds]);
      return patientIds.map((id) => onTeam.has(id));
    });
  }

  async decide(patientId: string, categories: DataCategory[], purpose: Purpose): Promise<AccessDecision> {
    const basis = await this.basisFor(patientId);
    const permitted = basis ? allCategories : [];
    return {
      patientId,
      purpose,
      basis,
      allowed: categories.filter((category) => permitted.includes(category)),
      denied: categories.filter((category) => !permitted.includes(category)),
      consentId: null,
    };
  }

  /**
   * Allows the read of `categories` of a patient or throws, and records the disclosure for the
   * request's audit rows. Call it for every patient whose data a response will contain.
   */
  async disclose(patientId: string, categories: DataCategory[], purpose: Purpose = Purpose.TREATMENT): Promise<AccessDecision> {
    const decision = await this.decide(patientId, categories, purpose);
    if (decision.denied.length > 0) {
      throw new ForbiddenError('You may not see this patient\'s record', { patientId, categories: decision.denied });
    }
    this.disclosures.record(decision);
    return decision;
  }

  /**
   * Allows acting on a patient's care (changing their enrolment or care team) or throws FORBIDDEN:
   * the same people who may read the treatment summary, except the patient themself.
   */
  async requireCareOf(patientId: string): Promise<AccessBasis> {
    const basis = await this.basisFor(patientId);
    if (basis !== 'CARE_TEAM' && basis !== 'ADMIN') {
      throw new ForbiddenError('You are not on this patient\'s care team', { patientId });
    }
    return basis;
  }

  /** Narrows a patient query to the patients this user may be shown; refuses roles that may see none. */
  patientScope(): FilterQuery<Patient> {
    const user = this.requireUser();
    switch (user.role) {
      case Role.ADMIN:
        return {};
      case Role.PATIENT:
        if (!user.patientId) throw new ForbiddenError('Your account is not linked to a patient record');
        return { id: user.patientId };
      case Role.IOP_CLINICIAN:
        return {
          enrollments: {
            status: EnrollmentStatus.ACTIVE,
            program: user.organizationId,
            careTeam: { user: user.id, removedAt: null },
          },
        };
      default:
        throw new ForbiddenError('Your role may not list patients');
    }
  }

  private async basisFor(patientId: string): Promise<AccessBasis | null> {
    const user = this.requireUser();
    switch (user.role) {
      case Role.ADMIN:
        return 'ADMIN';
      case Role.PATIENT:
        return user.patientId === patientId ? 'SELF' : null;
      case Role.IOP_CLINICIAN:
        return (await this.careTeamPatients.load(patientId)) ? 'CARE_TEAM' : null;
      default:
        return null;
    }
  }

  private async activeCareTeamPatientIds(patientIds: string[]): Promise<Set<string>> {
    const user = this.requireUser();
    const enrollments = await this.em.find(
      Enrollment,
      {
        patient: { $in: patientIds },
        status: EnrollmentStatus.ACTIVE,
        program: user.organizationId,
        careTeam: { user: user.id, removedAt: null },
      },
      { fields: ['patient'] },
    );
    return new Set(enrollments.map((enrollment) => enrollment.patient.id));
  }

  private requireUser(): RequestUser {
    if (!this.user) throw new UnauthenticatedError();
    return this.user;
  }
}
