import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { findByIdOrFail, refusedAsNotFound } from '../../db/find';
import { BadInputError, NotFoundError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import { type AccessPolicy, consentForSending, recordSending } from '../access/access-policy';
import { consentsInForce } from '../access/grants-loader';
import { Consent } from '../consent/consent.entity';
import { DataCategory, Purpose } from '../consent/data-category';
import { Prescription, PrescriptionRouting, PrescriptionStatus } from '../medications/prescription.entity';
import { DispatchKind, PharmacyDispatch } from './pharmacy-dispatch.entity';
import { worklistChanged } from './worklist-changed';

/**
 * Serializes, per patient, the routing decisions of `prescribe` and of the queue's routing when a
 * consent is signed: whichever commits second sees what the first committed, so a prescription
 * written while a consent is being signed is never left waiting for a consent already in force.
 */
export async function lockPatientRouting(em: EntityManager, patientId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`prescription-routing:${patientId}`]);
}

export const stopReasonMaxLength = 500;

/**
 * Routing prescriptions to their pharmacy (a disclosure: decided at the policy point, audited),
 * holding them until a consent covers them, and telling the pharmacy when a routed one is
 * cancelled or stopped. Every message to the pharmacy is a `PharmacyDispatch` delivered by the
 * `pharmacy-events` queue (see prescription-routing.worker.ts), written in the transaction of the change.
 */
export class PrescriptionRoutingService {
  /**
   * In the prescribing transaction: routes a prescription written for a pharmacy when a consent
   * in force names that pharmacy for treatment and lists its labels (MEDICATIONS; SUD for
   * MOUD/MAUD); otherwise it awaits a consent and the prescriber is told.
   */
  async routeOrHold(tx: EntityManager, prescription: Prescription): Promise<void> {
    if (!prescription.pharmacy) return;
    await lockPatientRouting(tx, prescription.patient.id);
    const consentId = await consentForSending(tx, this.sendingOf(prescription));
    if (consentId) {
      this.route(tx, prescription, consentId);
      return;
    }
    prescription.awaitConsent();
    addToOutbox(tx, 'pharmacy-events', 'prescription.awaiting-consent', { prescriptionId: prescription.id });
  }

  /** Routes what a newly signed consent covers among its patient's waiting prescriptions (the queue, at signing). */
  async routeCoveredBy(em: EntityManager, consentId: string): Promise<number> {
    const consent = await em.findOne(Consent, { id: consentId }, { fields: ['patient'] });
    return consent ? this.routeAwaitingOf(em, consent.patient.id) : 0;
  }

  /**
   * Routes every waiting prescription whose patient now has a consent in force naming its pharmacy
   * (the schedule): a consent signed to start later, or a signing whose job was lost, is caught up
   * here. Returns how many it routed.
   */
  async routeDue(em: EntityManager): Promise<number> {
    const waiting = await em.find(Prescription, { routing: PrescriptionRouting.AWAITING_CONSENT, prescriptionStatus: PrescriptionStatus.ACTIVE, supersededAt: null }, { fields: ['patient', 'pharmacy'] });
    if (waiting.length === 0) return 0;
    const consents = await em.find(Consent, { $and: [{ patient: { $in: [...new Set(waiting.map((each) => each.patient.id))] } }, consentsInForce()] }, { fields: ['patient', 'recipientOrganizationIds'] });
    const due = new Set(
      waiting
        .filter((each) => consents.some((consent) => consent.patient.id === each.patient.id && consent.recipientOrganizationIds.includes(each.pharmacy!.id)))
        .map((each) => each.patient.id),
    );
    let routed = 0;
    for (const patientId of due) routed += await this.routeAwaitingOf(em, patientId);
    return routed;
  }

  /**
   * Routes the patient's prescriptions awaiting a consent that one in force now covers. Under the
   * patient's routing lock and from the committed state, so jobs for a burst of signings route
   * each prescription once. Returns how many it routed.
   */
  private async routeAwaitingOf(em: EntityManager, patientId: string): Promise<number> {
    return em.fork().transactional(async (tx) => {
      await lockPatientRouting(tx, patientId);
      const waiting = await tx.find(Prescription, {
        patient: patientId,
        routing: PrescriptionRouting.AWAITING_CONSENT,
        prescriptionStatus: PrescriptionStatus.ACTIVE,
        supersededAt: null,
      });
      let routed = 0;
      for (const prescription of waiting) {
        const covering = await consentForSending(tx, this.sendingOf(prescription));
        if (!covering) continue;
        this.route(tx, prescription, covering);
        routed += 1;
      }
      return routed;
    });
  }

  /**
   * Cancels a prescription the actor's program wrote, for a patient in their care; a routed one's
   * pharmacy is told (`cancelled`), one still awaiting a consent is withdrawn and never sent.
   * Anyone else's attempt is NOT_FOUND, as for an unknown id: another program's prescription is
   * its record (perhaps a Part 2 one), whose existence is not theirs to learn.
   */
  async cancel(em: EntityManager, access: AccessPolicy, actor: RequestUser, prescriptionId: string, reason: string): Promise<Prescription> {
    const trimmed = reason.trim();
    if (!trimmed) throw new BadInputError('Give the reason for cancelling', { field: 'reason' });
    if (trimmed.length > stopReasonMaxLength) throw new BadInputError(`The reason is longer than ${stopReasonMaxLength} characters`, { field: 'reason' });
    const found = await findByIdOrFail(em, Prescription, prescriptionId, 'Prescription');
    // Checked before the transaction, on the request's connection (see `ClinicalService.record`).
    await refusedAsNotFound(access.requireCareOf(found.patient.id), 'Prescription', prescriptionId);
    if (found.sourceOrganization.id !== actor.organizationId || found.supersededAt) throw new NotFoundError('Prescription', prescriptionId);
    const cancelled = await em.transactional(async (tx) => {
      await lockPatientRouting(tx, found.patient.id);
      // Read under the lock: the queue may have routed it meanwhile.
      const prescription = await tx.findOneOrFail(Prescription, { id: prescriptionId }, { refresh: true });
      this.stop(tx, prescription, DispatchKind.CANCEL, trimmed);
      return prescription;
    });
    await access.disclose(cancelled.patient.id, cancelled.categories);
    return cancelled;
  }

  /**
   * One prescription, if the reader may see it as the patient's medication list would show it
   * (disclosed, and so audited); NOT_FOUND otherwise, as for an unknown id.
   */
  async findFor(em: EntityManager, access: AccessPolicy, prescriptionId: string): Promise<Prescription> {
    const prescription = await findByIdOrFail(em, Prescription, prescriptionId, 'Prescription');
    const [shown] = await refusedAsNotFound(access.discloseRecords(prescription.patient.id, DataCategory.MEDICATIONS, [prescription]), 'Prescription', prescriptionId);
    if (!shown) throw new NotFoundError('Prescription', prescriptionId);
    return shown;
  }

  /** The messages about a prescription to its pharmacy, oldest first (ids and delivery facts, nothing of the patient). */
  dispatchesOf(em: EntityManager, prescriptionId: string): Promise<PharmacyDispatch[]> {
    return em.find(PharmacyDispatch, { prescription: prescriptionId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /**
   * Stops a prescription in the caller's transaction (cancelled by its prescriber, or discontinued
   * at reconciliation): a routed one's pharmacy is told with a message of `kind`.
   */
  stop(tx: EntityManager, prescription: Prescription, kind: DispatchKind.CANCEL | DispatchKind.STOP, reason: string | null): void {
    const { pharmacyToBeTold } = prescription.stop(reason);
    if (!pharmacyToBeTold || !prescription.pharmacy) return;
    this.dispatch(tx, prescription, kind);
    worklistChanged(tx, prescription);
  }

  private route(tx: EntityManager, prescription: Prescription, consentId: string): void {
    // The disclosure is the prescriber's act: the audit row names them (only prescriptions written here are routed).
    const byUserId = prescription.prescriberId ?? prescription.recordedById;
    if (!byUserId) throw new Error('A routed prescription names the person who wrote it');
    prescription.markRouted();
    recordSending(tx, {
      ...this.sendingOf(prescription),
      consentId,
      recipientRole: Role.PHARMACIST,
      byUserId,
      operation: 'prescription.routed',
      reference: `prescription-routed/${prescription.id}`,
    });
    this.dispatch(tx, prescription, DispatchKind.ORDER);
    worklistChanged(tx, prescription);
  }

  private dispatch(tx: EntityManager, prescription: Prescription, kind: DispatchKind): void {
    const dispatch = new PharmacyDispatch(prescription, prescription.pharmacy!, kind);
    tx.persist(dispatch);
    addToOutbox(tx, 'pharmacy-events', 'prescription.deliver', { dispatchId: dispatch.id });
  }

  private sendingOf(prescription: Prescription) {
    return { patientId: prescription.patient.id, record: prescription, recipientOrganizationId: prescription.pharmacy!.id, purpose: Purpose.TREATMENT };
  }
}
