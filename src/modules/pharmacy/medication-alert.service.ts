import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail, refusedAsNotFound } from '../../db/find';
import { ForbiddenError, NotFoundError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import { part2ProgramOf, type AccessPolicy } from '../access/access-policy';
import { DataCategory } from '../consent/data-category';
import { CriticalAlertService } from '../labs/critical-alert.service';
import type { Prescription } from '../medications/prescription.entity';
import type { Notifier } from '../notifications/notify';
import { NotificationSubject } from '../notifications/notification-subject';
import { CareTeamMember } from '../patients/care-team-member.entity';
import { activeMembersOf } from '../users/members';
import { Role } from '../../auth/roles';
import { AlertUrgency, MedicationAlert, MedicationAlertKind } from './medication-alert.entity';
import { worklistChanged } from './worklist-changed';

/** What raises an alert: its kind, what it is about (once per kind), and why, in codes and dates only. */
export interface AlertInit {
  kind: MedicationAlertKind;
  /** What it is about, once per kind (a delivery's id, a dispense record's, `<prescription>/<fill>`…). */
  subjectKey: string;
  urgency?: AlertUrgency;
  reason: string;
  prescription: Prescription;
  deliveryId?: string | null;
  /** The organization whose report raised it (the pharmacy); its source as the policy sees it. */
  sourceOrganizationId: string;
}

/** Who must hear of each kind at once: the prescriber, or the whole care team. */
const forPrescriber = new Set([MedicationAlertKind.DELIVERY_EXCEPTION, MedicationAlertKind.DELIVERY_RETURNED, MedicationAlertKind.NOT_DISPENSED]);

const people = new CriticalAlertService();

/**
 * Alerts about a patient's medication, raised by the pharmacy's reports (deliveries, fills) and by
 * the sweeps (late deliveries, late refills), for the care team to open, list and acknowledge. Who
 * hears of them is the critical lab alerts' (prescribers, care team, on-call); who may read them
 * is the policy's, as for the prescription they are about.
 */
export class MedicationAlertService {
  /**
   * Raises an alert in the caller's transaction, once per kind and subject (a unique key: a rerun
   * or a concurrent raise changes nothing), with the job that tells the people it is for in the
   * same transaction. Returns the new alert's id, or null when it was raised before.
   */
  async raise(em: EntityManager, init: AlertInit): Promise<string | null> {
    const id = randomUUID();
    const rows = await em.execute<{ id: string }[]>(
      `insert into medication_alert (id, patient_id, prescription_id, delivery_id, source_organization_id, derived_from_id, categories, kind, subject_key, urgency, reason)
       values (?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?) on conflict (kind, subject_key) do nothing returning id`,
      [
        id,
        init.prescription.patient.id,
        init.prescription.id,
        init.deliveryId ?? null,
        init.sourceOrganizationId,
        init.prescription.sourceOrganization.id,
        `{${init.prescription.categories.join(',')}}`,
        init.kind,
        init.subjectKey,
        init.urgency ?? AlertUrgency.ROUTINE,
        init.reason,
      ],
    );
    if (rows.length === 0) return null;
    addToOutbox(em, 'pharmacy-events', 'medication-alert.raised', { alertId: id });
    worklistChanged(em, init.prescription);
    await em.flush();
    return id;
  }

  /**
   * Tells the people an alert is for: the prescriber (EXCEPTION, RETURNED, NOT_DISPENSED) or the
   * care team; an urgent one reaches the on-call staff at once as well. An alert about a program's
   * Part 2 record is told to that program's staff only (its on-call when none of them is among
   * those), since another program may not learn it exists. Keyed by the alert, so a rerun tells
   * each of them once.
   */
  async notify(em: EntityManager, notifier: Notifier, alertId: string): Promise<number> {
    const alert = await em.findOneOrFail(MedicationAlert, { id: alertId }, { populate: ['prescription', 'sourceOrganization', 'derivedFrom'] });
    const patientId = alert.patient.id;
    const prescriber = alert.prescription.prescriberId;
    const recipients = forPrescriber.has(alert.kind)
      ? prescriber && (await em.count(CareTeamMember, { user: { id: prescriber, active: true }, removedAt: null, enrollment: { patient: patientId } })) > 0
        ? [prescriber]
        : await people.prescribersOf(em, patientId)
      : await people.careTeamOf(em, patientId);
    const onCall = alert.urgency === AlertUrgency.URGENT ? await people.onCallFor(em, patientId) : [];
    const holder = part2ProgramOf(alert);
    let told = [...recipients, ...onCall];
    if (holder) {
      const staff = new Set(await activeMembersOf(em, [holder]));
      told = told.filter((userId) => staff.has(userId));
      if (told.length === 0) told = await activeMembersOf(em, [holder], Role.ADMIN);
    }
    return notifier.notifyUsers(em, told, {
      kind: 'medication.alert',
      subjectType: NotificationSubject.MEDICATION_ALERT,
      subjectId: alert.id,
      sourceKey: `medication-alert/${alert.id}`,
    });
  }

  /** One alert the reader may see (its prescription's categories, the policy deciding); NOT_FOUND otherwise. */
  async findFor(em: EntityManager, access: AccessPolicy, alertId: string): Promise<MedicationAlert> {
    const alert = await findByIdOrFail(em, MedicationAlert, alertId, 'Medication alert', { populate: ['sourceOrganization', 'derivedFrom'] });
    const shown = await refusedAsNotFound(access.discloseRecords(alert.patient.id, DataCategory.MEDICATIONS, [alert]), 'Medication alert', alertId);
    if (shown.length === 0) throw new NotFoundError('Medication alert', alertId);
    return alert;
  }

  /** A patient's alerts, newest first, that the reader may see. */
  async listFor(em: EntityManager, access: AccessPolicy, patientId: string): Promise<MedicationAlert[]> {
    const alerts = await em.find(MedicationAlert, { patient: patientId }, { orderBy: { createdAt: 'desc' }, populate: ['sourceOrganization', 'derivedFrom'] });
    return access.discloseRecords(patientId, DataCategory.MEDICATIONS, alerts);
  }

  /** The alerts not yet acknowledged of the patients on the actor's care teams, newest first. */
  async listForMyPatients(em: EntityManager, access: AccessPolicy, actor: RequestUser): Promise<MedicationAlert[]> {
    const alerts = await em.find(
      MedicationAlert,
      { acknowledgedAt: null, patient: { enrollments: { careTeam: { user: actor.id, removedAt: null } } } },
      { orderBy: { createdAt: 'desc' }, populate: ['sourceOrganization', 'derivedFrom'], limit: 500 },
    );
    return access.discloseAcrossPatients(DataCategory.MEDICATIONS, alerts, (alert) => alert.patient.id, (alert) => alert);
  }

  /** Acknowledged by a clinician on the patient's care team; acknowledging again changes nothing. */
  async acknowledge(em: EntityManager, access: AccessPolicy, actor: RequestUser, alertId: string): Promise<MedicationAlert> {
    // Decided before the transaction, on the request's connection (see `ClinicalService.record`);
    // an alert's patient and labels never change, so the decision holds for the row locked below.
    const alert = await findByIdOrFail(em.fork(), MedicationAlert, alertId, 'Medication alert', { populate: ['sourceOrganization', 'derivedFrom'] });
    await refusedAsNotFound(access.requireCareOf(alert.patient.id), 'Medication alert', alertId);
    if ((await access.visibleRecords(alert.patient.id, DataCategory.MEDICATIONS, [alert])).length === 0) {
      throw new ForbiddenError("This alert is about another program's record");
    }
    const acknowledged = await this.acknowledgeLocked(em, alert.id, (locked) => locked.acknowledge(actor.id));
    await access.disclose(acknowledged.patient.id, acknowledged.categories);
    return acknowledged;
  }

  /**
   * Acknowledged by a pharmacist of the pharmacy its prescription is routed to, for the pharmacy
   * only (the care team's acknowledgement stays theirs); anyone else's is NOT_FOUND, as for an
   * unknown id. Disclosed (and audited) as the worklist discloses the prescription.
   */
  async acknowledgeForPharmacy(em: EntityManager, access: AccessPolicy, actor: RequestUser, alertId: string): Promise<MedicationAlert> {
    access.dispensingPharmacy();
    const alert = await findByIdOrFail(em.fork(), MedicationAlert, alertId, 'Medication alert', { populate: ['prescription'] });
    if ((await access.discloseForDispensing([alert.prescription])).length === 0) throw new NotFoundError('Medication alert', alertId);
    return this.acknowledgeLocked(em, alert.id, (locked) => locked.acknowledgeForPharmacy(actor.id));
  }

  private acknowledgeLocked(em: EntityManager, alertId: string, acknowledge: (alert: MedicationAlert) => void): Promise<MedicationAlert> {
    return em.transactional(async (tx) => {
      const locked = await tx.findOneOrFail(MedicationAlert, { id: alertId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      acknowledge(locked);
      return locked;
    });
  }
}
