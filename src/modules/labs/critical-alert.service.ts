import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import { findByIdOrFail, refusedAsNotFound } from '../../db/find';
import { ForbiddenError, NotFoundError } from '../../errors';
import { DataCategory } from '../consent/data-category';
import type { AccessPolicy } from '../access/access-policy';
import { CareTeamMember, CareTeamRole } from '../patients/care-team-member.entity';
import { Enrollment } from '../patients/enrollment.entity';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { activeMembersOf } from '../users/members';
import type { Notifier } from '../notifications/notify';
import { CriticalAlert, CriticalAlertStatus } from './critical-alert.entity';
import { LabResult } from './lab-result.entity';
import { NotificationSubject } from '../notifications/notification-subject';

/**
 * The enrolments whose staff answer for a patient's results: the active ones; after discharge or
 * withdrawal from every program, the most recent one, so a late result still reaches the people
 * who last treated the patient.
 */
async function answerableEnrollments(em: EntityManager, patientId: string): Promise<Enrollment[]> {
  const enrollments = await em.find(Enrollment, { patient: patientId }, { orderBy: { startedAt: 'desc' } });
  const active = enrollments.filter((enrollment) => enrollment.isActive);
  if (active.length > 0) return active;
  const ended = enrollments.sort((a, b) => (b.endedAt?.getTime() ?? 0) - (a.endedAt?.getTime() ?? 0));
  return ended.slice(0, 1);
}

/** Who hears about a critical result: the prescribers first, the IOP's on-call staff if nobody acknowledges. A critical result always reaches a person. */
export class CriticalAlertService {
  /**
   * The prescribers on the patient's active care teams (the whole current team when none is a
   * prescriber); after discharge, the last program's; and when nobody is found, the on-call staff.
   */
  async prescribersOf(em: EntityManager, patientId: string): Promise<string[]> {
    const team = await this.teamOf(em, patientId);
    const prescribers = team.filter((member) => member.teamRole === CareTeamRole.PRESCRIBER);
    const chosen = (prescribers.length > 0 ? prescribers : team).map((member) => member.user.id);
    return chosen.length > 0 ? chosen : this.onCallFor(em, patientId);
  }

  /** Everyone on the patient's active care teams (after discharge, the last program's); the on-call staff when nobody is. */
  async careTeamOf(em: EntityManager, patientId: string): Promise<string[]> {
    const team = (await this.teamOf(em, patientId)).map((member) => member.user.id);
    return team.length > 0 ? team : this.onCallFor(em, patientId);
  }

  private async teamOf(em: EntityManager, patientId: string): Promise<CareTeamMember[]> {
    const enrollments = await answerableEnrollments(em, patientId);
    return em.find(CareTeamMember, { removedAt: null, enrollment: { $in: enrollments }, user: { active: true } });
  }

  /**
   * The IOP's on-call staff: for now the active admins of each program that answers for the patient
   * (an on-call rota is not modelled yet); for a patient no program has enrolled, every IOP's.
   */
  async onCallFor(em: EntityManager, patientId: string): Promise<string[]> {
    const programs = (await answerableEnrollments(em, patientId)).map((each) => each.program.id);
    const onCall = await activeMembersOf(em, programs, Role.ADMIN);
    return onCall.length > 0 ? onCall : everyProgramsOnCall(em);
  }

  /**
   * Escalates an alert nobody acknowledged to the on-call staff. The update is conditional, so an
   * acknowledgement that lands at the same moment wins; the notice is keyed by the alert, so the
   * delayed job and the database sweep tell the on-call once between them.
   */
  async escalate(em: EntityManager, notifier: Notifier, alertId: string): Promise<CriticalAlertStatus> {
    await em.nativeUpdate(CriticalAlert, { id: alertId, status: CriticalAlertStatus.OPEN }, { status: CriticalAlertStatus.ESCALATED, escalatedAt: new Date() });
    const alert = await em.findOneOrFail(CriticalAlert, { id: alertId }, { refresh: true });
    if (alert.status !== CriticalAlertStatus.ESCALATED) return alert.status;
    const onCall = await this.onCallFor(em, alert.patient.id);
    await notifier.notifyUsers(em, onCall, { kind: 'critical.escalated', subjectType: NotificationSubject.CRITICAL_ALERT, subjectId: alert.id, sourceKey: `lab-results/escalate-${alert.id}` });
    return alert.status;
  }

  /**
   * Escalates every alert still open after `afterSeconds`: the escalation is due-dated in the
   * database, so a delayed job Redis lost delays it by one sweep at most, never drops it.
   */
  async escalateOverdue(em: EntityManager, notifier: Notifier, afterSeconds: number): Promise<number> {
    const overdue = await em.find(
      CriticalAlert,
      { status: CriticalAlertStatus.OPEN, createdAt: { $lt: new Date(Date.now() - afterSeconds * 1000) } },
      { fields: ['id'], limit: 200 },
    );
    for (const { id } of overdue) await this.escalate(em.fork(), notifier, id);
    return overdue.length;
  }

  /** One alert, shown as the patient's `criticalAlerts` shows it (LABS, its result visible to the reader); otherwise NOT_FOUND. */
  async findFor(em: EntityManager, access: AccessPolicy, alertId: string): Promise<CriticalAlert> {
    const alert = await findByIdOrFail(em, CriticalAlert, alertId, 'Critical alert', { populate: ['labResult.sourceOrganization'] });
    const shown = await refusedAsNotFound(access.discloseRecords(alert.patient.id, DataCategory.LABS, [alert.labResult]), 'Critical alert', alertId);
    if (shown.length === 0) throw new NotFoundError('Critical alert', alertId);
    return alert;
  }

  /** Acknowledges an alert for the care team; the alert returned is disclosed with its result's labels once committed. */
  async acknowledge(em: EntityManager, access: AccessPolicy, actorId: string, alertId: string): Promise<CriticalAlert> {
    // Decided before the transaction, on the request's connection (see `ClinicalService.record`);
    // an alert's patient and result never change, so the decision holds for the row locked below.
    const alert = await findByIdOrFail(em.fork(), CriticalAlert, alertId, 'Critical alert', { populate: ['labResult.sourceOrganization'] });
    await access.requireCareOf(alert.patient.id);
    // Any program treating the patient answers for a lab's result (not a Part 2 record); a result
    // that is another program's Part 2 record is not this user's to see, nor to acknowledge.
    if ((await access.visibleRecords(alert.patient.id, DataCategory.LABS, [alert.labResult])).length === 0) {
      throw new ForbiddenError("This alert is about another program's record");
    }
    const acknowledged = await em.transactional(async (tx) => {
      // Locked: of concurrent acknowledgements one goes through, the others find it acknowledged.
      const locked = await tx.findOneOrFail(CriticalAlert, { id: alert.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      locked.acknowledge(actorId);
      return locked;
    });
    const result = await em.findOneOrFail(LabResult, { id: acknowledged.labResult.id });
    await access.disclose(acknowledged.patient.id, result.categories);
    return acknowledged;
  }

  /**
   * The alerts not yet acknowledged (open or escalated) of the patients on the actor's care teams,
   * newest first, whose results the actor may be shown (LABS).
   */
  async listForMyPatients(em: EntityManager, access: AccessPolicy, actorId: string): Promise<CriticalAlert[]> {
    const alerts = await em.find(
      CriticalAlert,
      { status: { $ne: CriticalAlertStatus.ACKNOWLEDGED }, patient: { enrollments: { careTeam: { user: actorId, removedAt: null } } } },
      { orderBy: { createdAt: 'desc' }, populate: ['labResult.sourceOrganization'], limit: 500 },
    );
    return access.discloseAcrossPatients(DataCategory.LABS, alerts, (alert) => alert.patient.id, (alert) => alert.labResult);
  }

  /** A patient's critical alerts, newest first, whose results the reader may be shown (LABS). */
  async listFor(em: EntityManager, access: AccessPolicy, patientId: string): Promise<CriticalAlert[]> {
    const alerts = await em.find(CriticalAlert, { patient: patientId }, { orderBy: { createdAt: 'desc' }, populate: ['labResult.sourceOrganization'] });
    const shown = await access.discloseRecords(patientId, DataCategory.LABS, alerts.map((alert) => alert.labResult));
    return alerts.filter((alert) => shown.includes(alert.labResult));
  }
}

/** The on-call staff of every IOP: who hears of a critical result nobody else answers for (e.g. one awaiting a patient match). */
export async function everyProgramsOnCall(em: EntityManager): Promise<string[]> {
  const programs = await em.find(Organization, { kind: OrganizationKind.IOP }, { fields: ['id'] });
  return activeMembersOf(em, programs.map((program) => program.id), Role.ADMIN);
}
