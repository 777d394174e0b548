import { IsISO8601, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import {
  Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { liveUpdates } from '../../live/live-updates';
import { AllergyCriticality } from '../clinical/allergy.entity';
import type { RecordRow } from '../clinical/record-rows';
import { DeaSchedule, PrescriptionStatus } from '../medications/prescription.entity';
import { Delivery } from './delivery.entity';
import { MedicationAlert } from './medication-alert.entity';
import { MedicationGroup } from '../medications/medication-list.resolver';
import { Organization } from '../organizations/organization.entity';
import type { Adherence } from './adherence';
import { Dispense } from './dispense.entity';
import { DispensingStatus, FillStatus, NotDispensedReason } from './dispensing-status';
import type { FillReport } from './fill-rules';
import { PatientContact } from '../patients/patient-contact';
import { PharmacyService, type WorklistItemData } from './pharmacy.service';
import { prescriptionRefPattern } from './prescription-ref';

@ObjectType({ description: 'An allergy or intolerance, as dispensing needs it.' })
class DispensingAllergy {
  @Field() substance!: string;
  @Field(() => String, { nullable: true }) substanceCode!: string | null;
  @Field(() => String, { nullable: true }) reaction!: string | null;
  @Field(() => AllergyCriticality, { nullable: true }) criticality!: AllergyCriticality | null;
}

@ObjectType({ description: 'A prescription routed to your pharmacy, with what dispensing it needs and nothing else of the chart.' })
class WorklistItem {
  @Field(() => ID, { description: "The prescription's id." }) id!: string;
  @Field(() => String, { nullable: true, description: "The hub's prescription number (RX- and 6 digits)." }) rxNumber!: string | null;
  @Field(() => String, { nullable: true, description: "The identifier its source gave it, for one imported from another system." }) sourcePrescriptionId!: string | null;
  @Field() drugName!: string;
  @Field(() => String, { nullable: true }) rxnormCode!: string | null;
  @Field() dose!: string;
  @Field() route!: string;
  @Field({ description: 'Frequency and directions.' }) sig!: string;
  @Field(() => Int, { nullable: true }) quantity!: number | null;
  @Field(() => Int) refills!: number;
  @Field(() => DeaSchedule, { nullable: true }) deaSchedule!: DeaSchedule | null;
  @Field() homeDelivery!: boolean;
  @Field(() => GraphQLLocalDate, { nullable: true }) startDate!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was routed to your pharmacy.' }) routedAt!: Date | null;
  @Field(() => String, { nullable: true }) prescriberName!: string | null;
  @Field(() => DispensingStatus) dispensingStatus!: DispensingStatus;
  @Field(() => PatientContact, { description: 'What a pharmacy needs of the patient to dispense and deliver.' }) patient!: PatientContact;
  @Field(() => [DispensingAllergy]) allergies!: DispensingAllergy[];
  @Field(() => PrescriptionStatus, { description: 'STOPPED once the prescriber cancelled or discontinued it: nothing more is handed over.' }) prescriptionStatus!: PrescriptionStatus;
  @Field(() => GraphQLDateTime, { nullable: true }) stoppedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was cancelled or discontinued, as the prescriber gave it.' }) stopReason!: string | null;
  @Field(() => [Dispense], { description: 'The fills your pharmacy reported, oldest first.' }) fills!: Dispense[];
  @Field(() => [Delivery], { description: "Its fills' deliveries as your pharmacy reported them, by fill number, each with its history." }) deliveries!: Delivery[];
  @Field(() => [MedicationAlert], { description: 'The medication alerts about it (a fill not dispensed, a delivery late, held up, returned or unsigned, a refill late), newest first.' })
  alerts!: MedicationAlert[];
}

const WorklistItemConnection = ConnectionType(WorklistItem);

@ArgsType()
class WorklistArgs extends ConnectionArgs {
  @Field(() => DispensingStatus, { nullable: true }) status?: DispensingStatus | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Routed on or after.' }) from?: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Routed before.' }) to?: Date | null;
}

@InputType({ description: 'What every fill report names: the prescription and the fill.' })
class FillInput {
  @Field({ description: "The hub's number (RX-…) or the source's identifier of a prescription routed to your pharmacy." })
  @Matches(prescriptionRefPattern, { message: 'prescriptionRef must be 1 to 200 of A-Z a-z 0-9 _ . : / -' })
  prescriptionRef!: string;

  @Field(() => Int, { description: '0 for the first fill, 1 for the first refill…' }) @Min(0) @Max(99) fillNumber!: number;
}

@InputType()
class DispensedInput extends FillInput {
  @Field(() => Float) @Min(0.001) quantity!: number;
  @Field(() => Int) @Min(1) @Max(365) daysSupply!: number;
  @Field({ description: 'NDC: 10 digits hyphenated 4-4-2, 5-3-2 or 5-4-1, or 11 digits (5-4-2).' }) @Length(1, 20) ndc!: string;
  @Field() @Length(1, 50) lotNumber!: string;
  @Field(() => GraphQLLocalDate) @IsISO8601({ strict: true }) dispensedOn!: string;
}

@InputType()
class PartialFillInput extends FillInput {
  @Field(() => Float) @Min(0.001) quantity!: number;
  @Field(() => Float, { description: 'What remains to dispense.' }) @Min(0.001) remainingQuantity!: number;
  @Field(() => Int) @Min(1) @Max(365) daysSupply!: number;
  @Field(() => GraphQLLocalDate) @IsISO8601({ strict: true }) dispensedOn!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 20) ndc?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 50) lotNumber?: string | null;
}

@InputType()
class NotDispensedInput extends FillInput {
  @Field(() => NotDispensedReason) reason!: NotDispensedReason;
  @Field(() => String, { nullable: true, description: 'Required for CLINICAL_CONCERN.' }) @IsOptional() @Length(1, 1000) note?: string | null;
}

@InputType()
class TransferredInput extends FillInput {
  @Field(() => ID, { description: 'The pharmacy organization it goes to.' }) @IsUUID() transferredToId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 1000) note?: string | null;
}

@ObjectType()
class FillPayload {
  @Field(() => Dispense) dispense!: Dispense;
}

@ObjectType({ description: "Adherence from the fills you may see: proportion of days covered (PQA method) and when the next fill is due." })
export class MedicationAdherence implements Adherence {
  @Field(() => Float, { nullable: true, description: 'Days covered over days in the window, 0 to 1; null with no fill.' }) proportionOfDaysCovered!: number | null;
  @Field(() => GraphQLLocalDate, { nullable: true, description: "The window opens on the first fill's date (within the last 180 days)." }) windowStart!: string | null;
  @Field(() => GraphQLLocalDate) windowEnd!: string;
  @Field(() => Int) daysInWindow!: number;
  @Field(() => Int) daysCovered!: number;
  @Field(() => GraphQLLocalDate, { nullable: true, description: "The last fill's date plus its days' supply." }) nextFillDue!: string | null;
  @Field(() => Int, { nullable: true, description: 'Days past the due date today (negative: days still to go).' }) daysLate!: number | null;
  @Field({ description: 'More than REFILL_LATE_DAYS past the due date, with a refill left on a prescription of the drug.' }) refillLate!: boolean;
}

const pharmacists = [Role.PHARMACIST];
const fills = new PharmacyService();

@Resolver()
export class PharmacyResolver {
  private readonly service = new PharmacyService();

  @Authorized(pharmacists)
  @Query(() => WorklistItemConnection, { complexity: connectionComplexity, description: 'The prescriptions routed to your pharmacy, oldest first.' })
  async pharmacyWorklist(@Ctx() { em, access }: GraphQLContext, @Args() args: WorklistArgs) {
    const page = await this.service.worklist(em, access, args);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: worklistItem(edge.node) })) };
  }

  @Authorized(pharmacists)
  @Query(() => WorklistItem, { description: 'One prescription routed to your pharmacy, as the worklist shows it; NOT_FOUND for any other.' })
  async pharmacyPrescription(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<WorklistItem> {
    return worklistItem(await this.service.worklistItem(em, access, id));
  }

  @Authorized(pharmacists)
  @Subscription(() => WorklistItem, {
    description:
      'Prescriptions of your worklist as they change (routed to your pharmacy, stopped, a fill, a delivery event, a medication alert), each shown as `pharmacyPrescription` shows it. An event may come twice.',
    subscribe: ({ context }: SubscribeResolverData<unknown, Record<string, never>, GraphQLContext>) =>
      liveUpdates(context, 'pharmacyWorklistChanged', {}, async ({ em, access }, event) => worklistItem(await fills.worklistItem(em, access, event.recordId))),
  })
  pharmacyWorklistChanged(@Root() item: WorklistItem): WorklistItem {
    return item;
  }

  @Authorized(pharmacists)
  @Mutation(() => FillPayload, { description: 'Reports a fill dispensed in full (NCPDP RxFill Dispensed).' })
  confirmDispensed(@Ctx() ctx: GraphQLContext, @Arg('input') { prescriptionRef, ...fill }: DispensedInput) {
    return this.record(ctx, prescriptionRef, { ...fill, status: FillStatus.DISPENSED });
  }

  @Authorized(pharmacists)
  @Mutation(() => FillPayload, { description: 'Reports part of a fill dispensed, and what remains (NCPDP RxFill PartiallyDispensed).' })
  confirmPartialFill(@Ctx() ctx: GraphQLContext, @Arg('input') { prescriptionRef, ...fill }: PartialFillInput) {
    return this.record(ctx, prescriptionRef, { ...fill, status: FillStatus.PARTIALLY_DISPENSED });
  }

  @Authorized(pharmacists)
  @Mutation(() => FillPayload, { description: 'Reports a fill not dispensed, with the reason; the prescriber is told (NCPDP RxFill NotDispensed).' })
  reportNotDispensed(@Ctx() ctx: GraphQLContext, @Arg('input') { prescriptionRef, ...fill }: NotDispensedInput) {
    return this.record(ctx, prescriptionRef, { ...fill, status: FillStatus.NOT_DISPENSED });
  }

  @Authorized(pharmacists)
  @Mutation(() => FillPayload, { description: 'Reports the prescription transferred to another pharmacy; the prescriber is told (NCPDP RxFill Transferred).' })
  reportTransferred(@Ctx() ctx: GraphQLContext, @Arg('input') { prescriptionRef, ...fill }: TransferredInput) {
    return this.record(ctx, prescriptionRef, { ...fill, status: FillStatus.TRANSFERRED });
  }

  @Authorized()
  @Query(() => Dispense, { description: "A fill a pharmacy reported (e.g. the subject of a notification), as the patient's medication list shows it to you." })
  dispense(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return this.service.openDispense(ctx.em, ctx, id);
  }

  @Authorized([Role.IOP_CLINICIAN, Role.PCP, Role.PATIENT])
  @Subscription(() => Dispense, {
    description: 'Fills as pharmacies record them, of every patient you may see (or of `patientId` only), each shown as `dispense` would show it.',
    subscribe: ({ context, args }: SubscribeResolverData<unknown, { patientId?: string | null }, GraphQLContext>) =>
      liveUpdates(context, 'fillRecorded', { patientId: args.patientId }, (reading, event) => fills.openDispense(reading.em, reading, event.recordId)),
  })
  fillRecorded(@Root() dispense: RecordRow<Dispense>, @Arg('patientId', () => ID, { nullable: true }) _patientId?: string): RecordRow<Dispense> {
    return dispense;
  }

  private async record({ em, access, user }: GraphQLContext, prescriptionRef: string, fill: FillReport): Promise<FillPayload> {
    return { dispense: await this.service.recordFill(em, access, user!, prescriptionRef, fill) };
  }
}

function worklistItem({ prescription, patient, allergies, ...rest }: WorklistItemData): WorklistItem {
  return {
    ...rest,
    id: prescription.id,
    rxNumber: prescription.rxNumber,
    sourcePrescriptionId: prescription.sourceRecordId,
    drugName: prescription.drugName,
    rxnormCode: prescription.rxnormCode,
    dose: prescription.dose,
    route: prescription.route,
    sig: prescription.sig,
    quantity: prescription.quantity,
    refills: prescription.refills,
    deaSchedule: prescription.deaSchedule,
    homeDelivery: prescription.homeDelivery,
    startDate: prescription.startDate,
    routedAt: prescription.routedAt,
    prescriptionStatus: prescription.prescriptionStatus,
    stoppedAt: prescription.stoppedAt,
    stopReason: prescription.stopReason,
    patient: {
      id: patient.id,
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      phone: patient.phone,
      addressLine: patient.addressLine,
      city: patient.city,
      region: patient.region,
      postalCode: patient.postalCode,
    },
    allergies: allergies.map(({ substance, substanceCode, reaction, criticality }) => ({ substance, substanceCode, reaction, criticality })),
  };
}

@Resolver(() => Dispense)
export class DispenseResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'The prescription filled.' })
  prescriptionId(@Root() dispense: RecordRow<Dispense>): string | null {
    return dispense.prescription?.id ?? null;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The pharmacy a TRANSFERRED prescription went to.' })
  transferredTo(@Root() dispense: RecordRow<Dispense>, @Ctx() { loaders }: GraphQLContext) {
    return dispense.transferredTo ? loaders.organization.load(dispense.transferredTo.id) : null;
  }
}

@Resolver(() => MedicationGroup)
export class MedicationGroupFillsResolver {
  private readonly service = new PharmacyService();

  @FieldResolver(() => [Dispense], { description: "Pharmacies' fills of this drug's prescriptions, oldest first (MEDICATIONS; of MOUD/MAUD, SUD)." })
  fills(@Root() group: MedicationGroup, @Ctx() ctx: GraphQLContext) {
    return this.fillsOf(group, ctx);
  }

  @FieldResolver(() => MedicationAdherence, { description: 'Adherence from the fills you may see (PDC over the last 180 days, days late for the next fill).' })
  async adherence(@Root() group: MedicationGroup, @Ctx() ctx: GraphQLContext): Promise<MedicationAdherence> {
    return this.service.adherence(group.medications, await this.fillsOf(group, ctx), ctx.config.REFILL_LATE_DAYS);
  }

  private fillsOf(group: MedicationGroup, ctx: GraphQLContext) {
    return this.service.fillsOf(ctx, group.patientId, group.medications.map((medication) => medication.id));
  }
}
