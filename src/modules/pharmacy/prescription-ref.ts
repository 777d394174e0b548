import type { EntityManager } from '@mikro-orm/postgresql';
import { Prescription, PrescriptionRouting } from '../medications/prescription.entity';

/** What a pharmacy calls a prescription: the hub's number (`RX-` and 6 digits) or the identifier its source gave it. */
export const prescriptionRefPattern = /^[A-Za-z0-9_.:/-]{1,200}$/;

/**
 * The prescription routed to `pharmacyId` that `ref` names, or null: a pharmacy finds only what
 * was routed to it, so a ref of another pharmacy's prescription is unknown, as a made-up one is.
 */
export async function routedPrescriptionByRef(em: EntityManager, pharmacyId: string, ref: string): Promise<Prescription | null> {
  if (!prescriptionRefPattern.test(ref)) return null;
  const matches = await em.find(
    Prescription,
    { pharmacy: pharmacyId, routing: PrescriptionRouting.ROUTED, $or: [{ rxNumber: ref }, { sourceRecordId: ref }] },
    { orderBy: { createdAt: 'desc' } },
  );
  // The hub's own number wins over another source's identifier that happens to be equal.
  return matches.find((each) => each.rxNumber === ref) ?? matches[0] ?? null;
}
