import { registerEnumType } from 'type-graphql';
import { OrganizationKind } from '../organizations/organization.entity';
import { ingredientOf } from './ingredients';
import type { RecordRow } from '../clinical/record-rows';
import { PrescriptionStatus, type Prescription } from './prescription.entity';

export enum MedicationDiscrepancy {
  /** Active in several sources at different doses. */
  DOSE_DIFFERS = 'DOSE_DIFFERS',
  /** Another source lists it as taken; the IOP does not. */
  NOT_ON_IOP_LIST = 'NOT_ON_IOP_LIST',
  /** Stopped in one source, still active in another. */
  STOPPED_IN_ONE_SOURCE = 'STOPPED_IN_ONE_SOURCE',
}
registerEnumType(MedicationDiscrepancy, { name: 'MedicationDiscrepancy' });

export interface MedicationGroupData {
  ingredient: string;
  medications: RecordRow<Prescription>[];
  discrepancies: MedicationDiscrepancy[];
}

/** The key that says two records are the same drug: the ingredient, else the normalised name. */
export function medicationKey(prescription: RecordRow<Prescription>): string {
  return ingredientOf(prescription.drugName) ?? prescription.ingredientRxcui ?? prescription.drugName.trim().toLowerCase();
}

const normalisedDose = (dose: string) => dose.toLowerCase().replace(/\s+/g, '');

/** One entry per drug across every source, with what the sources disagree on. */
export function reconcile(medications: RecordRow<Prescription>[]): MedicationGroupData[] {
  const groups = new Map<string, RecordRow<Prescription>[]>();
  for (const medication of medications) {
    const key = medicationKey(medication);
    groups.set(key, [...(groups.get(key) ?? []), medication]);
  }
  return [...groups.entries()].map(([ingredient, items]) => {
    const active = items.filter((item) => item.prescriptionStatus === PrescriptionStatus.ACTIVE);
    const fromIop = (item: RecordRow<Prescription>) => item.sourceOrganization.kind === OrganizationKind.IOP;
    const discrepancies: MedicationDiscrepancy[] = [];
    const stated = new Set(active.map((item) => normalisedDose(item.dose)).filter((dose) => dose !== 'notstated'));
    if (stated.size > 1) discrepancies.push(MedicationDiscrepancy.DOSE_DIFFERS);
    if (active.some((item) => !fromIop(item)) && !active.some(fromIop)) discrepancies.push(MedicationDiscrepancy.NOT_ON_IOP_LIST);
    const activeSources = new Set(active.map((item) => item.sourceOrganization.id));
    const stoppedOnly = items.filter((item) => !activeSources.has(item.sourceOrganization.id));
    if (activeSources.size > 0 && stoppedOnly.length > 0) discrepancies.push(MedicationDiscrepancy.STOPPED_IN_ONE_SOURCE);
    return { ingredient, medications: items, discrepancies };
  });
}
