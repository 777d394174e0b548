import { randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Prescription, PrescriptionRouting, type PrescriptionData } from '../../src/modules/medications/prescription.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Patient } from '../../src/modules/patients/patient.entity';

export interface RoutedPrescriptionInit extends Partial<Omit<PrescriptionData, 'pharmacy'>> {
  patientId: string;
  /** The program that wrote it (its source organization). */
  programId: string;
  pharmacyId: string;
  routedAt?: Date;
}

/**
 * A prescription written in a program and routed to a pharmacy, written directly (number,
 * ROUTED, routedAt) as routing would leave it. Returns it with its RX number.
 */
export async function addRoutedPrescription(em: EntityManager, init: RoutedPrescriptionInit): Promise<Prescription> {
  const fork = em.fork();
  const { patientId, programId, pharmacyId, routedAt, ...data } = init;
  const prescription = new Prescription(
    fork.getReference(Patient, patientId),
    { sourceOrganization: fork.getReference(Organization, programId), sourceSystem: 'carebridge', recordedById: data.prescriberId ?? null },
    { drugName: 'Sertraline 50 mg tablet', dose: '50 mg', route: 'oral', sig: 'one tablet daily', quantity: 30, refills: 2, ...data, pharmacy: fork.getReference(Organization, pharmacyId) },
  );
  prescription.rxNumber = `RX-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  prescription.routing = PrescriptionRouting.ROUTED;
  prescription.routedAt = routedAt ?? new Date();
  await fork.persist(prescription).flush();
  return prescription;
}
