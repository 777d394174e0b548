import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import { findByIdOrFail } from '../../db/find';
import { ForbiddenError } from '../../errors';
import type { AccessPolicy } from '../consent/policy';
import { CareTeamMember, CareTeamRole } from '../patients/care-team-member.entity';
import { Enrollment, EnrollmentStatus } from '../patients/enrollment.entity';
import { activeMembersOf } from '../users/members';
import { CriticalAlert } from './critical-alert.entity';

/** Who hears about a critical result: the prescribers first, the IOP's on-call staff if nobody acknowledges. */
export class CriticalAlertService {
  /** The prescribers on the patient's active care teams; the whole current team when none is a prescriber. */
  async prescribersOf(em: EntityManager, patientId: string): Promise<string[]> {
    const team = await em.find(CareTeamMember, {
      removedAt: null,
      enrollment: { patient: patientId, status: EnrollmentStatus.ACTIVE },
    });
    const prescribers = team.filter((member) => member.teamRole === CareTeamRole.PRESCRIBER);
    return (prescribers.length > 0 ? prescribers : team).map((member) => member.user.id);
  }

  /**
   * The IOP's on-call staff: for now the active admins of each program the patient is enrolled in
   * (an on-call rota is not modelled yet).
   */
  async onCallFor(em: EntityManager, patientId: string): Promise<string[]> {
    const programs = (await em.find(Enrollment, { patient: patientId, status: EnrollmentStatus.ACTIVE })).map((each) => each.program.id);
    return activeMembersOf(em, programs, Role.ADMIN);
  }

  async acknowledge(em: EntityManager, access: AccessPolicy, actorId: string, alertId: string): Promise<CriticalAlert> {
    return em.transactional(async (tx) => {
      const alert = await findByIdOrFail(tx, CriticalAlert, alertId, 'Critical alert', { populate: ['labResult.sourceOrganization'] });
      await access.requireCareOf(alert.patient.id);
      // Another program's Part 2 result is not this user's to see, nor to acknowledge.
      if (access.visibleRecords(alert.patient.id, [alert.labResult]).length === 0) {
        throw new ForbiddenError("This alert is about another program's record");
      }
      alert.acknowledge(actorId);
      return alert;
    });
  }
}
