import { IsOptional, IsUUID, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import { findByIdOrFail } from '../../db/find';
import type { GraphQLContext } from '../../graphql/context';
import { disclosedRecords } from '../clinical/patient-records';
import { DataCategory } from '../consent/data-category';
import { LabResult } from '../labs/lab-result.entity';
import { Patient } from '../patients/patient.entity';
import { interactionFlags } from './interactions';
import { MedicationReconciliation, ReconciliationAction } from './medication-reconciliation.entity';
import { Prescription, PrescriptionStatus } from './prescription.entity';
import { MedicationDiscrepancy, medicationKey, reconcile } from './reconciliation';

@ObjectType({ description: 'One drug across every source that lists it.' })
class MedicationGroup {
  @Field({ description: 'The active ingredient (or the name, when the ingredient is not recognised).' })
  ingredient!: string;

  @Field(() => [Prescription], { description: 'Each source\'s record of it, with provenance.' })
  medications!: Prescription[];

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

function ageOn(birthDate: string, today: Date): number {
  const birth = new Date(`${birthDate}T00:00:00Z`);
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  if (today.getUTCMonth() < birth.getUTCMonth() || (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate())) age--;
  return age;
}

@Resolver(() => Patient)
export class MedicationListResolver {
  @FieldResolver(() => [MedicationGroup], { nullable: true, description: 'Medication reconciliation: each drug once, with its sources and discrepancies (MEDICATIONS).' })
  async medicationList(@Root() patient: Patient, @Ctx() ctx: GraphQLContext): Promise<MedicationGroup[]> {
    const medications = await disclosedRecords(ctx, patient.id, Prescription);
    const decisions = (await ctx.em.find(MedicationReconciliation, { patient: patient.id }, { orderBy: { createdAt: 'desc', id: 'desc' } })).filter(
      (decision) => ctx.access.showsProgramRecord(decision.programId),
    );
    return reconcile(medications).map((group) => ({ ...group, decisions: decisions.filter((decision) => decision.ingredient === group.ingredient) }));
  }

  @FieldResolver(() => [InteractionFlag], { nullable: true, description: 'Interaction flags for the current medications; they inform, never block (MEDICATIONS).' })
  async interactionFlags(@Root() patient: Patient, @Ctx() ctx: GraphQLContext): Promise<InteractionFlag[]> {
    const medications = await disclosedRecords(ctx, patient.id, Prescription);
    // Lab-based rules only for users who may see labs: a flag must not reveal a result (or its absence).
    const labsVisible = (await ctx.access.decide(patient.id, [DataCategory.LABS])).allowed.length > 0;
    const labs = labsVisible ? await disclosedRecords(ctx, patient.id, LabResult) : [];
    const lastAnc = labs
      .filter((result) => result.loincCode === '751-8' || result.loincCode === '26499-4' || /neutrophil|\banc\b/i.test(result.testName))
      .map((result) => (result.effectiveAt ?? result.receivedAt).getTime())
      .sort((a, b) => b - a)[0];
    const now = new Date();
    return interactionFlags({
      medications: medications.filter((medication) => medication.prescriptionStatus === PrescriptionStatus.ACTIVE),
      age: ageOn(patient.birthDate, now),
      daysSinceAnc: !labsVisible ? undefined : lastAnc === undefined ? null : Math.floor((now.getTime() - lastAnc) / 86_400_000),
    });
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => ReconcileMedicationPayload, {
    description: 'Records a reconciliation decision; DISCONTINUE also stops the IOP\'s own active prescriptions of that drug.',
  })
  async reconcileMedication(@Ctx() ctx: GraphQLContext, @Arg('input') input: ReconcileMedicationInput): Promise<ReconcileMedicationPayload> {
    const decision = await ctx.em.transactional(async (tx) => {
      await ctx.access.requireCareOf(input.patientId);
      const patient = await findByIdOrFail(tx, Patient, input.patientId, 'Patient');
      if (input.action === ReconciliationAction.DISCONTINUE) {
        const own = await tx.find(Prescription, { patient, sourceOrganization: ctx.user!.organizationId!, prescriptionStatus: PrescriptionStatus.ACTIVE });
        for (const prescription of own.filter((each) => medicationKey(each) === input.ingredient)) prescription.prescriptionStatus = PrescriptionStatus.STOPPED;
      }
      const made = new MedicationReconciliation(patient, input.ingredient, input.action, input.note ?? null, {
        byId: ctx.user!.id,
        programId: ctx.user!.organizationId!,
      });
      tx.persist(made);
      return made;
    });
    await ctx.access.disclose(input.patientId, [DataCategory.MEDICATIONS]);
    return { decision };
  }
}
