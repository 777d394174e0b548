import type { EntityManager } from '@mikro-orm/postgresql';
import { addToOutbox } from '../../jobs/outbox';
import { type Prescription, PrescriptionRouting } from '../medications/prescription.entity';

/**
 * Queues, in the caller's transaction, the live update that tells a pharmacy's pharmacists that a
 * prescription on their worklist changed (`pharmacyWorklistChanged`); nothing for one that was
 * never disclosed to a pharmacy.
 */
export function worklistChanged(em: EntityManager, prescription: Prescription): void {
  if (prescription.routing !== PrescriptionRouting.ROUTED || !prescription.pharmacy) return;
  addToOutbox(em, 'notifications', 'live.publish', { topic: 'pharmacyWorklistChanged', patientId: prescription.patient.id, recordId: prescription.id });
}
