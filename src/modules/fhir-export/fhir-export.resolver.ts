import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Bundle } from '@medplum/fhirtypes';
import type { GraphQLContext } from '../../graphql/context';
import { Allergy } from '../clinical/allergy.entity';
import { Assessment } from '../clinical/assessment.entity';
import { Attendance } from '../clinical/attendance.entity';
import { CarePlan, CarePlanType, currentPlan } from '../clinical/care-plan.entity';
import type { ClinicalRecord } from '../clinical/clinical-record.entity';
import { Diagnosis } from '../clinical/diagnosis.entity';
import { Encounter } from '../clinical/encounter.entity';
import { disclosedRecordsIfAllowed } from '../clinical/patient-records';
import { SideEffect } from '../clinical/side-effect.entity';
import { DataCategory } from '../consent/data-category';
import { LabResult } from '../labs/lab-result.entity';
import { Prescription } from '../medications/prescription.entity';
import { Patient } from '../patients/patient.entity';
import { shownIdentifiers } from '../patients/shown-identifiers';
import { toFhirBundle } from './fhir-resources';

interface ExportedKind {
  type: ClassType<ClinicalRecord>;
  category: DataCategory;
  /** Which records of the kind the export holds: all, or only the current versions. */
  select?: (visible: ClinicalRecord[]) => ClinicalRecord[];
}

const currentPlans = (plans: ClinicalRecord[]) => [CarePlanType.TREATMENT, CarePlanType.CRISIS].map((type) => currentPlan(plans, type)).filter((plan) => plan !== null);
const currentResults = (results: ClinicalRecord[]) => results.filter((result) => !(result instanceof LabResult) || result.isCurrent);

/** Every kind of clinical record, with the category it is disclosed under (as on the Patient fields). */
export const exportedKinds: ExportedKind[] = [
  { type: Diagnosis, category: DataCategory.DIAGNOSES },
  { type: Prescription, category: DataCategory.MEDICATIONS },
  { type: Allergy, category: DataCategory.MEDICATIONS },
  { type: SideEffect, category: DataCategory.MEDICATIONS },
  { type: Assessment, category: DataCategory.TREATMENT_SUMMARY },
  { type: Attendance, category: DataCategory.TREATMENT_SUMMARY },
  { type: Encounter, category: DataCategory.TREATMENT_SUMMARY },
  { type: CarePlan, category: DataCategory.TREATMENT_SUMMARY, select: currentPlans },
  { type: LabResult, category: DataCategory.LABS, select: currentResults },
];

@Resolver(() => Patient)
export class PatientFhirExportResolver {
  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'What you may see of the patient as a FHIR R4 Bundle (collection). Categories you may not see are left out and reported as CONSENT_REQUIRED; ' +
      'Part 2 (SUD) resources carry security labels, and the bundle the §2.32 notice.',
  })
  async fhirBundle(@Root() patient: Patient, @Ctx() ctx: GraphQLContext): Promise<Bundle> {
    const records: ClinicalRecord[] = [];
    for (const kind of exportedKinds) records.push(...(await disclosedRecordsIfAllowed(ctx, patient.id, kind.type, kind.category, kind.select)));
    return toFhirBundle(patient, await shownIdentifiers(ctx, patient.id), records);
  }
}
