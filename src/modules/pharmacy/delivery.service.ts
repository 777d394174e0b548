import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { findByIdOrFail } from '../../db/find';
import { BadInputError, ConsentRequiredError, ForbiddenError, NotFoundError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import type { AccessPolicy } from '../access/access-policy';
import { DataCategory } from '../consent/data-category';
import { lockPatientImports, lockPatientImportsWithin } from '../ingest/patient-imports-lock';
import { Prescription, PrescriptionRouting } from '../medications/prescription.entity';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { PatientIdentifier } from '../patients/patient-identifier.entity';
import { checkDeliveryUpdate, type DeliveryEventBody, type DeliveryUpdate } from './delivery-event.schema';
import { Delivery, DeliveryEvent, DeliveryStatus } from './delivery.entity';
import { AlertUrgency, MedicationAlertKind } from './medication-alert.entity';
import { MedicationAlertService } from './medication-alert.service';
import { worklistChanged } from './worklist-changed';

/** How many seconds ahead of the hub's clock an event may say it happened (clocks drift); further is refused. */
export interface EventClock {
  maxAheadSeconds: number;
  now?: Date;
}

/** Why an event's time is refused, or null when it may be taken. */
export function occurredAtProblem(occurredAt: string, { maxAheadSeconds, now = new Date() }: EventClock): string | null {
  return Date.parse(occurredAt) > now.getTime() + maxAheadSeconds * 1000 ? `occurredAt is more than ${maxAheadSeconds} s in the future` : null;
}

/** Whether the patient a pharmacy names (the IOP's MRN and the birth date) is the prescription's patient. */
export async function namesPrescriptionPatient(em: EntityManager, prescription: Prescription, named: DeliveryEventBody['patient']): Promise<boolean> {
  const mrns = await em.count(PatientIdentifier, {
    patient: { id: prescription.patient.id, birthDate: named.birthDate },
    organization: { kind: OrganizationKind.IOP },
    system: '',
    value: named.mrn,
  });
  return mrns > 0;
}

/** Where an event came from. */
export type EventOrigin = { inboxMessageId: string } | { recordedById: string };

/**
 * How the event waits for the patient's other imports: as long as it takes (a pharmacist), a while
 * (the queue's import, which then gives its slot up), or not at all (the caller holds the lock).
 */
export type PatientLock = 'WAIT' | 'WITHIN' | 'HELD';

export interface Recorded {
  delivery: Delivery;
  /** False when this event was taken before (a redelivered job): nothing changed. */
  applied: boolean;
}

const alerts = new MedicationAlertService();

/**
 * The one way a delivery event is taken, whether a pharmacy's webhook brought it or a pharmacist
 * set it through GraphQL: under the patient's import lock, so that one prescription's events are
 * applied one at a time whatever process runs them; exactly once per event (the pharmacy's event
 * id is unique); with the alerts it raises and its live update (`deliveryStatusChanged`, through
 * the outbox) in the same transaction.
 */
export class DeliveryService {
  /** Takes an event in the caller's transaction (`em`); the event must satisfy the contract. */
  async record(
    em: EntityManager,
    prescription: Prescription,
    pharmacyId: string,
    eventId: string,
    update: DeliveryUpdate,
    origin: EventOrigin,
    scheduled: boolean,
    lock: PatientLock,
  ): Promise<Recorded> {
    if (lock === 'WAIT') await lockPatientImports(em, prescription.patient.id);
    else if (lock === 'WITHIN') await lockPatientImportsWithin(em, prescription.patient.id);
    const pharmacy = em.getReference(Organization, pharmacyId);
    let delivery = await em.findOne(Delivery, { prescription, fillNumber: update.fillNumber });
    if (delivery && (await em.count(DeliveryEvent, { sourceOrganization: pharmacy, eventId })) > 0) return { delivery, applied: false };
    if (delivery) delivery.take(update, false);
    else {
      delivery = new Delivery(prescription, pharmacy, update);
      delivery.take(update, true);
      em.persist(delivery);
    }
    em.persist(new DeliveryEvent(delivery, eventId, update, origin));
    // Written with the event, so the live update follows its commit whatever crashes in between.
    addToOutbox(em, 'notifications', 'live.publish', { topic: 'deliveryStatusChanged', patientId: prescription.patient.id, recordId: delivery.id });
    worklistChanged(em, prescription);
    await em.flush();
    await this.raiseAlerts(em, prescription, delivery, update, scheduled);
    return { delivery, applied: true };
  }

  /** EXCEPTION and RETURNED alert the prescriber; a scheduled drug delivered unsigned alerts the care team. */
  private async raiseAlerts(em: EntityManager, prescription: Prescription, delivery: Delivery, update: DeliveryUpdate, scheduled: boolean): Promise<void> {
    const about = { prescription, deliveryId: delivery.id, subjectKey: delivery.id, sourceOrganizationId: delivery.sourceOrganization.id };
    const urgency = prescription.isMoud ? AlertUrgency.URGENT : AlertUrgency.ROUTINE;
    const status = update.status as DeliveryStatus;
    if (status === DeliveryStatus.EXCEPTION || status === DeliveryStatus.RETURNED) {
      const kind = status === DeliveryStatus.EXCEPTION ? MedicationAlertKind.DELIVERY_EXCEPTION : MedicationAlertKind.DELIVERY_RETURNED;
      await alerts.raise(em, { ...about, kind, urgency, reason: `Fill ${delivery.fillNumber}: ${status} (${update.reason?.code ?? 'no reason given'})` });
    }
    if (status === DeliveryStatus.DELIVERED && scheduled && update.signature?.obtained === false) {
      await alerts.raise(em, {
        ...about,
        kind: MedicationAlertKind.CONTROLLED_DELIVERY_UNSIGNED,
        reason: `Fill ${delivery.fillNumber}: a scheduled drug was delivered without a signature`,
      });
    }
  }

  /**
   * A pharmacist sets the status of a delivery of a prescription routed to their pharmacy, with
   * the webhook's rules; the event gets an id of the hub's.
   */
  async setStatus(em: EntityManager, access: AccessPolicy, actor: RequestUser, prescriptionId: string, input: unknown, clock: EventClock): Promise<Delivery> {
    if (actor.role !== Role.PHARMACIST || !actor.organizationId) throw new ForbiddenError('Only a pharmacist reports deliveries');
    const checked = checkDeliveryUpdate(input);
    if (!checked.valid) throw new BadInputError('The delivery update breaks the contract', { violations: checked.violations });
    const problem = occurredAtProblem(checked.value.occurredAt, clock);
    if (problem) throw new BadInputError(problem, { field: 'occurredAt' });
    const prescription = await findByIdOrFail(em, Prescription, prescriptionId, 'Prescription');
    // Another pharmacy's prescription, or one not routed (yet), is unknown to this pharmacist.
    if (prescription.pharmacy?.id !== actor.organizationId || prescription.routing !== PrescriptionRouting.ROUTED) throw new NotFoundError('Prescription', prescriptionId);
    // Decided before anything is written (and before the patient's lock is waited for): a consent
    // revoked since routing stops the pharmacist here, changing nothing.
    const decision = await access.authorize(prescription.patient.id, prescription.categories);
    const delivery = await em.fork().transactional(async (tx) => {
      const current = await tx.findOneOrFail(Prescription, { id: prescription.id });
      const recorded = await this.record(tx, current, actor.organizationId!, `hub-${randomUUID()}`, checked.value, { recordedById: actor.id }, current.deaSchedule !== null, 'WAIT');
      return recorded.delivery;
    });
    access.record(decision);
    return delivery;
  }

  /** A prescription's deliveries the reader may see, each with its history ordered by when it happened. */
  async listFor(em: EntityManager, access: AccessPolicy, prescriptionId: string): Promise<Delivery[]> {
    const deliveries = await em.find(Delivery, { prescription: prescriptionId }, { orderBy: { fillNumber: 'asc' }, populate: ['sourceOrganization'] });
    if (deliveries.length === 0) return [];
    return access.discloseRecords(deliveries[0].patient.id, DataCategory.MEDICATIONS, deliveries);
  }

  /** A delivery the reader may see (say, the subject of a live update), decided as `listFor` decides; NOT_FOUND, as for an unknown id, for one they may not. */
  async openDelivery(em: EntityManager, access: AccessPolicy, id: string): Promise<Delivery> {
    const delivery = await em.findOne(Delivery, { id }, { populate: ['sourceOrganization'] });
    if (!delivery) throw new NotFoundError('Delivery', id);
    let shown: Delivery[];
    try {
      shown = await access.discloseRecords(delivery.patient.id, DataCategory.MEDICATIONS, [delivery]);
    } catch (error) {
      // A refusal says nothing of the delivery, not even that it exists.
      if (error instanceof ConsentRequiredError || error instanceof ForbiddenError) throw new NotFoundError('Delivery', id);
      throw error;
    }
    if (shown.length === 0) throw new NotFoundError('Delivery', id);
    return shown[0];
  }

  historyOf(em: EntityManager, deliveryId: string): Promise<DeliveryEvent[]> {
    return em.find(DeliveryEvent, { delivery: deliveryId }, { orderBy: { occurredAt: 'asc', createdAt: 'asc' } });
  }

  /**
   * Alerts the care team of every delivery not delivered by its estimated date (urgent, and the
   * on-call too, for MOUD): due-dated in the database and found by the reconciler's sweep, so a
   * Redis loss delays it by one sweep at most; raised once per delivery.
   */
  async alertLate(em: EntityManager, now: Date = new Date()): Promise<number> {
    const due = await em.execute<{ id: string }[]>(
      `select d.id from delivery d
       where d.late_after < ? and d.status not in (?, ?)
         and not exists (select 1 from medication_alert a where a.kind = ? and a.subject_key = d.id::text)
       order by d.late_after limit 200`,
      [now, DeliveryStatus.DELIVERED, DeliveryStatus.RETURNED, MedicationAlertKind.DELIVERY_LATE],
    );
    if (due.length === 0) return 0;
    const late = await em.find(Delivery, { id: { $in: due.map((row) => row.id) } }, { populate: ['prescription'] });
    let raised = 0;
    for (const delivery of late) {
      const prescription = delivery.prescription;
      const id = await em.fork().transactional((tx) =>
        alerts.raise(tx, {
          kind: MedicationAlertKind.DELIVERY_LATE,
          subjectKey: delivery.id,
          urgency: prescription.isMoud ? AlertUrgency.URGENT : AlertUrgency.ROUTINE,
          reason: `Fill ${delivery.fillNumber}: not delivered by ${delivery.lateAfter!.toISOString()} (last status ${delivery.status})`,
          prescription,
          deliveryId: delivery.id,
          sourceOrganizationId: delivery.sourceOrganization.id,
        }),
      );
      if (id) raised += 1;
    }
    return raised;
  }
}
