import type { ClassType } from 'type-graphql';
import { DataCategory } from '../consent/data-category';
import { LabOrder } from '../labs/lab-order.entity';
import { LabResult } from '../labs/lab-result.entity';
import { Prescription } from '../medications/prescription.entity';
import { Dispense } from '../pharmacy/dispense.entity';
import { Allergy } from './allergy.entity';
import { Assessment } from './assessment.entity';
import { Attendance } from './attendance.entity';
import { CarePlan } from './care-plan.entity';
import { ClinicalRecordKind, type ClinicalRecord } from './clinical-record.entity';
import { Diagnosis } from './diagnosis.entity';
import { Encounter } from './encounter.entity';
import type { ClinicalRecordRow, RecordRow } from './record-rows';
import { SideEffect } from './side-effect.entity';

/**
 * Every kind of clinical record, its class, and the category it is disclosed under (an item may
 * carry more labels, such as SUD). Keyed by kind, so a new kind does not compile until it is here.
 */
export const recordKinds: Record<ClinicalRecordKind, { type: ClassType<ClinicalRecord>; category: DataCategory }> = {
  [ClinicalRecordKind.DIAGNOSIS]: { type: Diagnosis, category: DataCategory.DIAGNOSES },
  [ClinicalRecordKind.PRESCRIPTION]: { type: Prescription, category: DataCategory.MEDICATIONS },
  [ClinicalRecordKind.ALLERGY]: { type: Allergy, category: DataCategory.MEDICATIONS },
  [ClinicalRecordKind.SIDE_EFFECT]: { type: SideEffect, category: DataCategory.MEDICATIONS },
  [ClinicalRecordKind.ASSESSMENT]: { type: Assessment, category: DataCategory.TREATMENT_SUMMARY },
  [ClinicalRecordKind.ATTENDANCE]: { type: Attendance, category: DataCategory.TREATMENT_SUMMARY },
  [ClinicalRecordKind.ENCOUNTER]: { type: Encounter, category: DataCategory.TREATMENT_SUMMARY },
  [ClinicalRecordKind.CARE_PLAN]: { type: CarePlan, category: DataCategory.TREATMENT_SUMMARY },
  [ClinicalRecordKind.LAB_RESULT]: { type: LabResult, category: DataCategory.LABS },
  [ClinicalRecordKind.LAB_ORDER]: { type: LabOrder, category: DataCategory.LABS },
  [ClinicalRecordKind.DISPENSE]: { type: Dispense, category: DataCategory.MEDICATIONS },
};

const kindsByType = new Map(
  (Object.entries(recordKinds) as [ClinicalRecordKind, (typeof recordKinds)[ClinicalRecordKind]][]).map(([kind, { type, category }]) => [type, { kind, category }]),
);

/** The kind of records of this class and the category they are disclosed under. */
export function recordKindOf(type: ClassType<ClinicalRecord>): { kind: ClinicalRecordKind; category: DataCategory } {
  const found = kindsByType.get(type);
  if (!found) throw new Error(`${type.name} is not a kind of clinical record`);
  return found;
}

/** Whether a record (an entity or a plain row) is of this class's kind: `instanceof` for rows too. */
export function isRecordOf<T extends ClinicalRecord>(record: ClinicalRecordRow, type: ClassType<T>): record is RecordRow<T> {
  return record.kind === recordKindOf(type).kind;
}
