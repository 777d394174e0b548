import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Bundle } from '@medplum/fhirtypes';
import type { GraphQLContext } from '../../graphql/context';
import { CarePlanType, currentPlan } from '../clinical/care-plan.entity';
import { ClinicalRecordKind, type ClinicalRecord } from '../clinical/clinical-record.entity';
import { recordKinds } from '../clinical/record-kinds';
import { disclosedRecordsIfAllowed } from '../clinical/patient-records';
import { LabResult } from '../labs/lab-result.entity';
import { Patient } from '../patients/patient.entity';
import { shownIdentifiers } from '../patients/shown-identifiers';
import { toFhirBundle } from './fhir-resources';

const currentPlans = (plans: ClinicalRecord[]) => [CarePlanType.TREATMENT, CarePlanType.CRISIS].map((type) => currentPlan(plans, type)).filter((plan) => plan !== null);
const currentResults = (results: ClinicalRecord[]) => results.filter((result) => !(result instanceof LabResult) || result.isCurrent);

/** Which records of a kind the export holds: all, or (plans, lab results) the current versions only. */
const exportedOf: Partial<Record<ClinicalRecordKind, (records: ClinicalRecord[]) => ClinicalRecord[]>> = {
  [ClinicalRecordKind.CARE_PLAN]: currentPlans,
  [ClinicalRecordKind.LAB_RESULT]: currentResults,
};

@Resolver(() => Patient)
export class PatientFhirExportResolver {
  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'What you may see of the patient as a FHIR R4 Bundle (collection). Categories you may not see are left out and reported as CONSENT_REQUIRED; ' +
      'Part 2 (SUD) resources carry security labels, and the bundle the §2.32 notice.',
  })
  async fhirBundle(@Root() patient: Patient, @Ctx() ctx: GraphQLContext): Promise<Bundle> {
    const records: ClinicalRecord[] = [];
    for (const [kind, { type }] of Object.entries(recordKinds) as [ClinicalRecordKind, (typeof recordKinds)[ClinicalRecordKind]][]) {
      records.push(...(await disclosedRecordsIfAllowed(ctx, patient.id, type, exportedOf[kind])));
    }
    return toFhirBundle(patient, await shownIdentifiers(ctx, patient.id), records);
  }
}
