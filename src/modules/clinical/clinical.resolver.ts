import { IsISO8601, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import {
  Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, type ClassType,
} from 'type-graphql';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { DeaSchedule, Prescription } from '../medications/prescription.entity';
import { Organization, readInFull } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import { User } from '../users/user.entity';
import { LabOrder } from '../labs/lab-order.entity';
import { LabResult } from '../labs/lab-result.entity';
import { labTrends, TrendDirection } from '../labs/lab-trends';
import { Allergy } from './allergy.entity';
import { Assessment, AssessmentInstrument } from './assessment.entity';
import { Encounter } from './encounter.entity';
import { Attendance, AttendanceStatus, SessionType } from './attendance.entity';
import { CarePlan, CarePlanType } from './care-plan.entity';
import { ClinicalRecord, Provenance, provenanceOf } from './clinical-record.entity';
import { ClinicalService } from './clinical.service';
import { currentPlan, disclosedRecords } from './patient-records';
import type { ClinicalRecordRow, RecordRow } from './record-rows';
import { Diagnosis, DiagnosisStatus } from './diagnosis.entity';
import { SideEffect, SideEffectSeverity } from './side-effect.entity';

@InputType()
class DiagnosisInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field() @Matches(/^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/i, { message: 'icd10Code must be an ICD-10-CM code such as F33.1' }) icd10Code!: string;
  @Field() @Length(1, 300) text!: string;
  @Field(() => GraphQLLocalDate, { nullable: true }) onsetDate?: string | null;
  @Field(() => DiagnosisStatus, { nullable: true }) status?: DiagnosisStatus | null;
}

@InputType()
class PrescriptionInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field() @Length(1, 200) drugName!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^[0-9]{1,10}$/) rxnormCode?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^[0-9]{1,10}$/) ingredientRxcui?: string | null;
  @Field() @Length(1, 100) dose!: string;
  @Field() @Length(1, 50) route!: string;
  @Field({ description: 'Frequency and directions.' }) @Length(1, 300) sig!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(10000) quantity?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(0) @Max(11) refills?: number | null;
  @Field(() => DeaSchedule, { nullable: true }) deaSchedule?: DeaSchedule | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() pharmacyId?: string | null;
  @Field({ nullable: true }) homeDelivery?: boolean;
  @Field(() => GraphQLLocalDate, { nullable: true }) startDate?: string | null;
}

@InputType()
class AssessmentInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => AssessmentInstrument) instrument!: AssessmentInstrument;
  @Field(() => Int) score!: number;
  @Field(() => GraphQLDateTime) administeredAt!: Date;
}

@InputType()
class AttendanceInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => SessionType) sessionType!: SessionType;
  @Field(() => GraphQLDateTime) sessionAt!: Date;
  @Field(() => AttendanceStatus) status!: AttendanceStatus;
  @Field({ nullable: true, description: 'The session is substance-use-disorder programming.' }) sudProgram?: boolean;
}

@InputType()
class CarePlanInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => CarePlanType) planType!: CarePlanType;
  @Field() @Length(1, 20000) text!: string;
  @Field({ nullable: true }) addressesSud?: boolean;
}

@InputType()
class SideEffectInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() prescriptionId?: string | null;
  @Field() @Length(1, 500) effect!: string;
  @Field(() => SideEffectSeverity) severity!: SideEffectSeverity;
  @Field(() => GraphQLLocalDate, { nullable: true }) @IsOptional() @IsISO8601({ strict: true }) onsetDate?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 5000) followUp?: string | null;
}

@ObjectType()
class DiagnosisPayload {
  @Field(() => Diagnosis) diagnosis!: Diagnosis;
}
@ObjectType()
class PrescriptionPayload {
  @Field(() => Prescription) prescription!: Prescription;
}
@ObjectType()
class AssessmentPayload {
  @Field(() => Assessment) assessment!: Assessment;
}
@ObjectType()
class AttendancePayload {
  @Field(() => Attendance) attendance!: Attendance;
}
@ObjectType()
class CarePlanPayload {
  @Field(() => CarePlan) carePlan!: CarePlan;
}
@ObjectType()
class SideEffectPayload {
  @Field(() => SideEffect) sideEffect!: SideEffect;
}

@ObjectType({ description: 'One test\'s numeric results over time.' })
class LabTrend {
  @Field() test!: string;
  @Field(() => String, { nullable: true }) loincCode!: string | null;
  @Field(() => String, { nullable: true }) unit!: string | null;
  @Field(() => LabResult) latest!: RecordRow<LabResult>;
  @Field(() => LabResult, { nullable: true }) previous!: RecordRow<LabResult> | null;
  @Field(() => TrendDirection) direction!: TrendDirection;
  @Field(() => [LabResult], { description: 'Oldest first.' }) points!: RecordRow<LabResult>[];
}

/** IOP clinicians record the program's clinical data for patients in their care. */
@Resolver()
export class ClinicalMutationResolver {
  private readonly service = new ClinicalService();

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => DiagnosisPayload)
  async recordDiagnosis(@Ctx() ctx: GraphQLContext, @Arg('input') { patientId, ...data }: DiagnosisInput): Promise<DiagnosisPayload> {
    const diagnosis = await this.service.record(ctx.em, ctx.access, ctx.user!, patientId, (patient, provenance) => new Diagnosis(patient, provenance, data));
    return { diagnosis };
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => PrescriptionPayload)
  async prescribe(@Ctx() ctx: GraphQLContext, @Arg('input') { patientId, ...data }: PrescriptionInput): Promise<PrescriptionPayload> {
    return { prescription: await this.service.prescribe(ctx.em, ctx.access, ctx.user!, patientId, data) };
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => AssessmentPayload)
  async recordAssessment(@Ctx() ctx: GraphQLContext, @Arg('input') { patientId, ...data }: AssessmentInput): Promise<AssessmentPayload> {
    const assessment = await this.service.record(ctx.em, ctx.access, ctx.user!, patientId, (patient, provenance) => new Assessment(patient, provenance, data));
    return { assessment };
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => AttendancePayload)
  async recordAttendance(@Ctx() ctx: GraphQLContext, @Arg('input') { patientId, ...data }: AttendanceInput): Promise<AttendancePayload> {
    const attendance = await this.service.record(ctx.em, ctx.access, ctx.user!, patientId, (patient, provenance) => new Attendance(patient, provenance, data));
    return { attendance };
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => CarePlanPayload, { description: 'Saves a new version of the treatment or crisis plan.' })
  async updateCarePlan(@Ctx() ctx: GraphQLContext, @Arg('input') { patientId, ...data }: CarePlanInput): Promise<CarePlanPayload> {
    const carePlan = await this.service.record(ctx.em, ctx.access, ctx.user!, patientId, (patient, provenance) => new CarePlan(patient, provenance, data));
    return { carePlan };
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => SideEffectPayload)
  async reportSideEffect(@Ctx() ctx: GraphQLContext, @Arg('input') { patientId, prescriptionId, ...data }: SideEffectInput): Promise<SideEffectPayload> {
    return { sideEffect: await this.service.reportSideEffect(ctx.em, ctx.access, ctx.user!, patientId, prescriptionId ?? null, data) };
  }
}

/**
 * The merged view's clinical fields on Patient. All of a patient's records load in one statement
 * (batched across patients); each field asks the policy for its category, and for SUD when an
 * item it returns carries that label.
 */
@Resolver(() => Patient)
export class PatientClinicalResolver {
  private records<T extends ClinicalRecord>(ctx: GraphQLContext, patient: PatientRow, type: ClassType<T>, includeSuperseded = false): Promise<RecordRow<T>[]> {
    return disclosedRecords(ctx, patient.id, type, undefined, includeSuperseded);
  }

  @FieldResolver(() => [Diagnosis], { nullable: true, description: 'Problems from every source (DIAGNOSES; SUD items need SUD).' })
  diagnoses(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    return this.records(ctx, patient, Diagnosis);
  }

  @FieldResolver(() => [Prescription], { nullable: true, description: 'Medications from every source (MEDICATIONS; MOUD/MAUD need SUD).' })
  medications(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    return this.records(ctx, patient, Prescription);
  }

  @FieldResolver(() => [Assessment], { nullable: true, description: 'Scores over time, oldest first (TREATMENT_SUMMARY).' })
  async assessments(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    const items = await this.records(ctx, patient, Assessment);
    return items.sort((a, b) => a.administeredAt.getTime() - b.administeredAt.getTime());
  }

  @FieldResolver(() => [Attendance], { nullable: true, description: 'Group and individual sessions, newest first (TREATMENT_SUMMARY).' })
  async attendance(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    const items = await this.records(ctx, patient, Attendance);
    return items.sort((a, b) => b.sessionAt.getTime() - a.sessionAt.getTime());
  }

  @FieldResolver(() => CarePlan, { nullable: true, description: 'The current treatment plan (TREATMENT_SUMMARY).' })
  treatmentPlan(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    return this.currentPlan(ctx, patient, CarePlanType.TREATMENT);
  }

  @FieldResolver(() => CarePlan, { nullable: true, description: 'The current crisis/safety plan (TREATMENT_SUMMARY).' })
  crisisPlan(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    return this.currentPlan(ctx, patient, CarePlanType.CRISIS);
  }

  @FieldResolver(() => [SideEffect], { nullable: true, description: 'Reported side effects, newest first (MEDICATIONS).' })
  async sideEffects(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    const items = await this.records(ctx, patient, SideEffect);
    return items.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
  }

  @FieldResolver(() => [Allergy], { nullable: true, description: 'Allergies and intolerances from every source (MEDICATIONS).' })
  allergies(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    return this.records(ctx, patient, Allergy);
  }

  @FieldResolver(() => [Encounter], { nullable: true, description: 'Visits at other organizations, newest first (TREATMENT_SUMMARY).' })
  async encounters(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    const items = await this.records(ctx, patient, Encounter);
    return items.sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0));
  }

  @FieldResolver(() => [LabResult], { nullable: true, description: 'Lab results with reference ranges, newest first (LABS; drug screens need SUD).' })
  async labResults(
    @Root() patient: PatientRow,
    @Ctx() ctx: GraphQLContext,
    @Arg('includeSuperseded', { defaultValue: false, description: 'Also the versions a correction or final result replaced.' })
    includeSuperseded: boolean,
  ) {
    const items = await this.records(ctx, patient, LabResult, includeSuperseded);
    return items.sort((a, b) => (b.effectiveAt ?? b.receivedAt).getTime() - (a.effectiveAt ?? a.receivedAt).getTime());
  }

  @FieldResolver(() => [LabOrder], { nullable: true, description: 'Lab orders and where each stands (specimen received, results to come, final…), newest first (LABS; drug tests need SUD).' })
  async labOrders(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext) {
    const items = await this.records(ctx, patient, LabOrder);
    return items.sort((a, b) => (b.statusChangedAt ?? b.receivedAt).getTime() - (a.statusChangedAt ?? a.receivedAt).getTime());
  }

  @FieldResolver(() => [LabTrend], { nullable: true, description: 'Numeric lab results per test over time, with the latest direction (LABS).' })
  async labTrends(@Root() patient: PatientRow, @Ctx() ctx: GraphQLContext): Promise<LabTrend[]> {
    return labTrends(await this.records(ctx, patient, LabResult));
  }

  /** The newest version the user may see; if its labels are closed to them, none (reported), never an older one. */
  private async currentPlan(ctx: GraphQLContext, patient: PatientRow, planType: CarePlanType): Promise<RecordRow<CarePlan> | null> {
    const [current] = await disclosedRecords(ctx, patient.id, CarePlan, (plans) => [currentPlan(plans, planType)].filter((plan) => plan !== null));
    return current ?? null;
  }
}

/**
 * Fields of every record computed from others. Field resolvers, not getters: type-graphql calls a
 * getter on an instance of the class, and records are read as plain rows.
 */
@Resolver(() => ClinicalRecord)
export class ClinicalRecordResolver {
  // The interface repeats BaseEntity's fields: type-graphql does not carry an object type's
  // fields into an interface that extends it.
  @FieldResolver(() => ID)
  id(@Root() record: ClinicalRecordRow): string {
    return record.id;
  }

  @FieldResolver(() => GraphQLDateTime)
  createdAt(@Root() record: ClinicalRecordRow): Date {
    return record.createdAt;
  }

  @FieldResolver(() => Provenance)
  provenance(@Root() record: ClinicalRecordRow): Provenance {
    return provenanceOf(record);
  }
}

@Resolver(() => Provenance)
export class ProvenanceResolver {
  @FieldResolver(() => Organization, { description: 'The organization that holds the original record.' })
  organization(@Root() provenance: Provenance, @Ctx() { loaders }: GraphQLContext) {
    // Read with the record, it is answered at once: no promise per record for GraphQL to wait on.
    return readInFull(provenance.source) ?? loaders.organization.load(provenance.organizationId);
  }
}

@Resolver(() => Prescription)
export class PrescriptionResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The pharmacy the prescription is routed to.' })
  pharmacy(@Root() prescription: RecordRow<Prescription>, @Ctx() { loaders }: GraphQLContext) {
    return prescription.pharmacy ? (readInFull(prescription.pharmacy) ?? loaders.organization.load(prescription.pharmacy.id)) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The IOP prescriber, for prescriptions written here.' })
  prescriber(@Root() prescription: RecordRow<Prescription>, @Ctx() { loaders }: GraphQLContext) {
    return prescription.prescriberId ? loaders.user.load(prescription.prescriberId) : null;
  }
}

@Resolver(() => SideEffect)
export class SideEffectResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'The prescription suspected of causing it.' })
  prescriptionId(@Root() sideEffect: RecordRow<SideEffect>) {
    return sideEffect.prescription?.id ?? null;
  }
}
