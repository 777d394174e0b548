import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail } from '../../db/find';
import { BadInputError } from '../../errors';
import type { AccessPolicy } from '../access/access-policy';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { Prescription, type PrescriptionData } from '../medications/prescription.entity';
import type { ClinicalRecord, ProvenanceInit } from './clinical-record.entity';
import { SideEffect } from './side-effect.entity';
import { nextPrescriptionNumber } from '../pharmacy/prescription-number';
import { PrescriptionRoutingService } from '../pharmacy/prescription-routing.service';

/** Records the IOP's own clinical data; records from other sources arrive through the ingest routes. */
export class ClinicalService {
  private readonly routing = new PrescriptionRoutingService();

  /**
   * Adds a record built by `build` for a patient in the caller's care, with provenance "entered
   * here by this user for this IOP", in one transaction; once committed, the record returned to
   * the caller is disclosed (and so audited) under its labels.
   */
  async record<T extends ClinicalRecord>(
    em: EntityManager,
    access: AccessPolicy,
    actor: RequestUser,
    patientId: string,
    build: (patient: Patient, provenance: ProvenanceInit, tx: EntityManager) => T | Promise<T>,
  ): Promise<T> {
    // Checked before the transaction: the policy reads on the request's own connection, and a
    // transaction waiting for a second connection deadlocks a burst as large as the pool.
    await access.requireCareOf(patientId);
    const record = await em.transactional(async (tx) => {
      const patient = await findByIdOrFail(tx, Patient, patientId, 'Patient');
      const provenance: ProvenanceInit = {
        sourceOrganization: tx.getReference(Organization, actor.organizationId!),
        sourceSystem: 'carebridge',
        recordedById: actor.id,
      };
      const record = await build(patient, provenance, tx);
      tx.persist(record);
      return record;
    });
    await access.disclose(record.patient.id, record.categories);
    return record;
  }

  /**
   * Writes a prescription with the hub's number; one for a pharmacy is routed to it in the same
   * transaction when a consent covers it, or awaits one (see `PrescriptionRoutingService`).
   */
  prescribe(
    em: EntityManager,
    access: AccessPolicy,
    actor: RequestUser,
    patientId: string,
    data: Omit<PrescriptionData, 'pharmacy' | 'prescriberId'> & { pharmacyId?: string | null },
  ): Promise<Prescription> {
    return this.record(em, access, actor, patientId, async (patient, provenance, tx) => {
      const pharmacy = data.pharmacyId ? await findByIdOrFail(tx, Organization, data.pharmacyId, 'Organization') : null;
      if (pharmacy && pharmacy.kind !== OrganizationKind.PHARMACY) {
        throw new BadInputError('A prescription is routed to a pharmacy', { field: 'pharmacyId' });
      }
      if (data.homeDelivery && !pharmacy) throw new BadInputError('Home delivery needs a pharmacy', { field: 'homeDelivery' });
      const prescription = new Prescription(patient, provenance, { ...data, pharmacy, prescriberId: actor.id });
      prescription.numbered(await nextPrescriptionNumber(tx));
      await this.routing.routeOrHold(tx, prescription);
      return prescription;
    });
  }

  /** A side effect, linked to the patient's prescription suspected of causing it when one is named. */
  reportSideEffect(
    em: EntityManager,
    access: AccessPolicy,
    actor: RequestUser,
    patientId: string,
    prescriptionId: string | null,
    data: Omit<ConstructorParameters<typeof SideEffect>[2], 'prescription'>,
  ): Promise<SideEffect> {
    return this.record(em, access, actor, patientId, async (patient, provenance, tx) => {
      const prescription = prescriptionId ? await this.prescriptionOf(tx, patient, prescriptionId) : null;
      return new SideEffect(patient, provenance, { ...data, prescription });
    });
  }

  /** The patient's own prescription, for linking a side effect to it. */
  private async prescriptionOf(em: EntityManager, patient: Patient, prescriptionId: string): Promise<Prescription> {
    const prescription = await findByIdOrFail(em, Prescription, prescriptionId, 'Prescription');
    if (prescription.patient.id !== patient.id) throw new BadInputError('That prescription is not this patient\'s', { field: 'prescriptionId' });
    return prescription;
  }
}
