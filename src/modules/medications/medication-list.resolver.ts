import { IsOptional, IsUUID, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import type { RecordRow } from '../clinical/record-rows';
import { MedicationService } from './medication.service';
import { MedicationReconciliation, ReconciliationAction } from './medication-reconciliation.entity';
import { Prescription } from './prescription.entity';
import { MedicationDiscrepancy } from './reconciliation';

@ObjectType({ description: 'One drug across every source that lists it.' })
export class MedicationGroup {
  /** The patient whose list it is, for the fields computed from it. */
  patientId!: string;

  @Field({ description: 'The active ingredient (or the name, when the ingredient is not recognised).' })
  ingredient!: string;

  @Field(() => [Prescription], { description: 'Each source\'s record of it, with provenance.' })
  medications!: RecordRow<Prescription>[];

  @Field(() => [MedicationDiscrepancy])
  discrepancies!: MedicationDiscrepancy[];

  @Field(() => [MedicationReconciliation], { description: 'Clinicians\' decisions about it, newest first.' })
  decisions!: MedicationReconciliation[];
}

@ObjectType()
class InteractionFlag {
  @Field() ruleId!: string;
  @Field({ description: 'Version of the rule table that raised it.' }) version!: string;
  @Field() severity!: string;
  @Field() message!: string;
  @Field({ description: 'Where the rule comes from.' }) source!: string;
  @Field(() => [ID]) medicationIds!: string[];
}

@InputType()
class ReconcileMedicationInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field({ description: 'The MedicationGroup.ingredient decided about.' }) @Length(1, 200) ingredient!: string;
  @Field(() => ReconciliationAction) action!: ReconciliationAction;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 2000) note?: string | null;
}

@ObjectType()
class ReconcileMedicationPayload {
  @Field(() => MedicationReconciliation) decision!: MedicationReconciliation;
}

@Resolver(() => Patient)
export class MedicationListResolver {
  private readonly service = new MedicationService();

  @FieldResolver(() => [MedicationGroup], { nullable: true, description: 'Medication reconciliation: each drug once, with its sources and discrepancies (MEDICATIONS).' })
  medicationList(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext): Promise<MedicationGroup[]> {
    return this.service.medicationList(ctx.em, ctx, patient.id);
  }

  @FieldResolver(() => [InteractionFlag], { nullable: true, description: 'Interaction flags for the current medications; they inform, never block (MEDICATIONS).' })
  interactionFlags(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext): Promise<InteractionFlag[]> {
    return this.service.interactionFlags(ctx, patient);
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => ReconcileMedicationPayload, {
    description: 'Records a reconciliation decision; DISCONTINUE also stops the IOP\'s own active prescriptions of that drug.',
  })
  async reconcileMedication(@Ctx() { em, access, user }: GraphQLContext, @Arg('input') input: ReconcileMedicationInput): Promise<ReconcileMedicationPayload> {
    return { decision: await this.service.recordDecision(em, access, user!, input) };
  }
}
