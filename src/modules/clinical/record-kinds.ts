import type { ClassType } from 'type-graphql';
import { DataCategory } from '../consent/data-category';
import { LabOrder } from '../labs/lab-order.entity';
import { LabResult } from '../labs/lab-result.entity';
import { Prescription } from '../medications/prescription.entity';
import { Allergy } from './allergy.entity';
import { Assessment } from './assessment.entity';
import { Attendance } from './attendance.entity';
import { CarePlan } from './care-plan.entity';
import { ClinicalRecordKind, type ClinicalRecord } from './clinical-record.entity';
import { Diagnosis } from './diagnosis.entity';
import { Encounter } from './encounter.entity';
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
};

/** The category records of this class are disclosed under. */
export function categoryOf(type: ClassType<ClinicalRecord>): DataCategory {
  const kind = Object.values(recordKinds).find((each) => each.type === type);
  if (!kind) throw new Error(`${type.name} is not a kind of clinical record`);
  return kind.category;
}
