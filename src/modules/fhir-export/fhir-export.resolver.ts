import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { Bundle } from '@medplum/fhirtypes';
import type { GraphQLContext } from '../../graphql/context';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import { fhirBundleFor } from './fhir-export.service';

@Resolver(() => Patient)
export class PatientFhirExportResolver {
  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'What you may see of the patient as a FHIR R4 Bundle (collection). Categories you may not see are left out and reported as CONSENT_REQUIRED; ' +
      'Part 2 (SUD) resources carry security labels, and the bundle the §2.32 notice.',
  })
  fhirBundle(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext): Promise<Bundle> {
    return fhirBundleFor(ctx, patient);
  }
}
