import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { findByIdOrFail } from '../../db/find';
import { BadInputError, NotFoundError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import { ClinicalRecord } from '../clinical/clinical-record.entity';
import { OrganizationKind } from '../organizations/organization.entity';
import { Enrollment } from '../patients/enrollment.entity';
import { Patient } from '../patients/patient.entity';
import { activeMembersOf } from '../users/members';
import { BreakGlassAccess } from './break-glass.entity';
import type { AccessPolicy } from '../access/access-policy';

/** Emergency access as the people who answer for it see it. */
export class BreakGlassService {
  /**
   * Who is told of an emergency access: the privacy officers (for now: the active admins) of the
   * clinician's program and of each program that has the patient in its care, and the local
   * providers whose records it opens (they have no admins here: their members), since a Part 2
   * program must document each emergency disclosure of its records (§2.51(c)).
   */
  async toldOf(em: EntityManager, access: BreakGlassAccess): Promise<string[]> {
    const programs = (await em.find(Enrollment, { patient: access.patient }, { fields: ['program'] })).map((enrollment) => enrollment.program.id);
    const localRecords = await em.find(ClinicalRecord, { patient: access.patient, sourceOrganization: { kind: OrganizationKind.LOCAL_PROVIDER } }, { fields: ['sourceOrganization'] });
    const localProviders = [...new Set(localRecords.map((record) => record.sourceOrganization.id))];
    return [...(await activeMembersOf(em, [access.organizationId, ...programs], Role.ADMIN)), ...(await activeMembersOf(em, localProviders))];
  }

  /**
   * Opens a patient's record to the clinician for `minutes` in a medical emergency (§2.51), stating
   * why; the privacy officers are told through the outbox, in the same transaction.
   */
  async open(em: EntityManager, actor: RequestUser, patientId: string, reason: string, minutes: number): Promise<BreakGlassAccess> {
    if (reason.trim().length < 10 || reason.length > 2000) throw new BadInputError('State the emergency in 10 to 2000 characters', { field: 'reason' });
    return em.transactional(async (tx) => {
      const patient = await findByIdOrFail(tx, Patient, patientId, 'Patient');
      const opened = new BreakGlassAccess(patient, { id: actor.id, organizationId: actor.organizationId! }, reason.trim(), new Date(Date.now() + minutes * 60_000));
      tx.persist(opened);
      addToOutbox(tx, 'notifications', 'break-glass.opened', { accessId: opened.id });
      return opened;
    });
  }

  /**
   * One emergency access, for the clinician who opened it and those told of it; anyone else gets
   * NOT_FOUND, as for an unknown id. The read is audited on the patient's record with the access.
   */
  async findFor(em: EntityManager, policy: AccessPolicy, actor: RequestUser, accessId: string): Promise<BreakGlassAccess> {
    const access = await findByIdOrFail(em, BreakGlassAccess, accessId, 'Emergency access');
    if (access.userId !== actor.id && !(await this.toldOf(em, access)).includes(actor.id)) throw new NotFoundError('Emergency access', accessId);
    await policy.recordReadUnder(access.patient.id, { breakGlassId: access.id });
    return access;
  }
}
