import type { EntityManager } from '@mikro-orm/postgresql';
import { Prescription, PrescriptionRouting, type PrescriptionData } from '../../src/modules/medications/prescription.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { nextPrescriptionNumber } from '../../src/modules/pharmacy/prescription-number';
import { PrescriptionRoutingService } from '../../src/modules/pharmacy/prescription-routing.service';

export interface RoutedPrescriptionInit extends Partial<Omit<PrescriptionData, 'pharmacy'>> {
  patientId: string;
  /** The program that wrote it (its source organization). */
  programId: string;
  pharmacyId: string;
  routedAt?: Date;
  /**
   * Routed by the routing module itself (consent check, audit, the message to the pharmacy), which
   * needs a consent in force naming the pharmacy; otherwise marked routed as routing would leave it,
   * for tests that need only the result (a patient or program with no consent at hand).
   */
  underConsent?: boolean;
}

/**
 * A prescription written in a program for a pharmacy, numbered from the hub's sequence as
 * `prescribe` numbers it, and ROUTED. Returns it with its RX number.
 */
export async function addRoutedPrescription(em: EntityManager, init: RoutedPrescriptionInit): Promise<Prescription> {
  const { patientId, programId, pharmacyId, routedAt, underConsent, ...given } = init;
  const data = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as typeof given;
  return em.fork().transactional(async (tx) => {
    const prescription = new Prescription(
      tx.getReference(Patient, patientId),
      { sourceOrganization: tx.getReference(Organization, programId), sourceSystem: 'carebridge', recordedById: data.prescriberId ?? null },
      {
        drugName: 'Sertraline 50 mg tablet',
        dose: '50 mg',
        route: 'oral',
        sig: 'one tablet daily',
        quantity: 30,
        refills: 2,
        homeDelivery: true,
        ...data,
        pharmacy: tx.getReference(Organization, pharmacyId),
      },
    );
    prescription.numbered(await nextPrescriptionNumber(tx));
    tx.persist(prescription);
    if (underConsent) {
      await new PrescriptionRoutingService().routeOrHold(tx, prescription);
      if (prescription.routing !== PrescriptionRouting.ROUTED) throw new Error('No consent in force names the pharmacy: sign one before routing under consent');
    } else {
      prescription.markRouted(routedAt);
    }
    return prescription;
  });
}
