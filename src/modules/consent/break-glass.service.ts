import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { findByIdOrFail } from '../../db/find';
import { NotFoundError } from '../../errors';
import { ClinicalRecord } from '../clinical/clinical-record.entity';
import { OrganizationKind } from '../organizations/organization.entity';
import { Enrollment } from '../patients/enrollment.entity';
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
   * One emergency access, for the clinician who opened it and those told of it; anyone else gets
   * NOT_FOUND, as for an unknown id. The read is audited on the patient's record with the access.
   */
  async findFor(em: EntityManager, policy: AccessPolicy, actor: RequestUser, accessId: string): Promise<BreakGlassAccess> {
    const access = await findByIdOrFail(em, BreakGlassAccess, accessId, 'Emergency access');
    if (access.userId !== actor.id && !(await this.toldOf(em, access)).includes(actor.id)) throw new NotFoundError('Emergency access', accessId);
    policy.record({ ...(await policy.decide(access.patient.id, [])), breakGlassId: access.id });
    return access;
  }
}
