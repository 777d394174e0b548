import { IsOptional, IsUUID, Length, Min } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { liveUpdates } from '../../live/live-updates';
import { ClinicalRecord } from '../clinical/clinical-record.entity';
import type { PatientRecordRow } from '../clinical/record-rows';
import { DataCategory } from '../consent/data-category';
import { Organization } from '../organizations/organization.entity';
import type { PatientRow } from '../patients/patient-care';
import { PatientContact } from '../patients/patient-contact';
import { ReferralUrgency } from './referral-packet';
import { Referral, ReferralEvent, ReferralStatus, referralTextLimits } from './referral.entity';
import { ReferralService, type PacketPreview, type PacketRead } from './referral.service';

@InputType()
class CreateReferralInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => ID, { description: 'A local provider or a primary-care practice.' }) @IsUUID() recipientOrganizationId!: string;
  @Field(() => ReferralUrgency) urgency!: ReferralUrgency;
  @Field({ description: 'What is asked for, e.g. "Outpatient psychiatry evaluation".' }) @Length(1, referralTextLimits.requestedService) requestedService!: string;
  @Field() @Length(1, referralTextLimits.reason) reason!: string;
  @Field() @Length(1, referralTextLimits.clinicalQuestion) clinicalQuestion!: string;
  @Field(() => [DataCategory], { description: 'The parts of the record to include; what goes is decided when sending, under the consents in force.' })
  requestedCategories!: DataCategory[];
}

@InputType({ description: 'What to change in a draft; fields left out stay.' })
class UpdateReferralInput {
  @Field(() => ReferralUrgency, { nullable: true }) urgency?: ReferralUrgency | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, referralTextLimits.requestedService) requestedService?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, referralTextLimits.reason) reason?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, referralTextLimits.clinicalQuestion) clinicalQuestion?: string | null;
  @Field(() => [DataCategory], { nullable: true }) requestedCategories?: DataCategory[] | null;
}

@ArgsType()
class ReferralMoveArgs {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "The referral's version as you read it: a move on another version is CONFLICT and changes nothing." })
  @Min(1)
  expectedVersion!: number;
}

@ArgsType()
class ReferralListArgs extends ConnectionArgs {
  @Field(() => ReferralStatus, { nullable: true }) status?: ReferralStatus | null;
  @Field(() => ID, { nullable: true, description: "One patient's referrals only (e.g. for the patient's view)." })
  @IsOptional()
  @IsUUID()
  patientId?: string | null;
}

@ObjectType()
class ReferralPayload {
  @Field(() => Referral) referral!: Referral;
}

@ObjectType({ description: 'A requested part of the record the policy left out, and why.' })
class WithheldReferralPart {
  @Field(() => DataCategory) category!: DataCategory;
  @Field({ description: 'CONSENT_REQUIRED: no consent in force naming the recipient lists it.' }) reason!: string;
}

@ObjectType({ description: 'What to ask the patient for so that the parts left out can go: the input of requestConsent.' })
class ReferralConsentNeeded {
  @Field(() => ID) patientId!: string;
  @Field(() => ID) recipientOrganizationId!: string;
  @Field(() => [DataCategory]) categories!: DataCategory[];
}

@ObjectType({ description: 'What sending the referral now would carry, and what it would leave out.' })
class ReferralPacketPreview {
  @Field(() => [ClinicalRecord], { description: 'The records (current versions) the consents in force let go to the recipient.' }) records!: PatientRecordRow[];
  @Field(() => [WithheldReferralPart]) withheld!: WithheldReferralPart[];
  @Field(() => ReferralConsentNeeded, { nullable: true, description: 'When something is left out for lack of consent: call requestConsent with these (purpose TREATMENT), then preview again.' })
  consentNeeded!: ReferralConsentNeeded | null;
  @Field({ description: 'Nothing clinical would go: sending still sends the referral itself (patient, reason, question) and lists the parts left out.' })
  nothingIncluded!: boolean;
}

@ObjectType({ description: 'The packet as sent: the record versions decided at sending, never the live record.' })
class ReferralPacketView {
  @Field(() => PatientContact, { description: 'The patient the referral is about.' }) patient!: PatientRow;
  @Field(() => [ClinicalRecord], { description: 'What you may read now: for the recipient, what a consent it was sent under, still in force, covers.' }) records!: PatientRecordRow[];
  @Field(() => [WithheldReferralPart]) withheld!: WithheldReferralPart[];
  @Field({ description: 'Carries SUD (42 CFR Part 2) data: redisclosure is prohibited (§2.32).' }) includesSud!: boolean;
  @Field(() => Int) letterVersion!: number;
  @Field(() => GraphQLDateTime) sentAt!: Date;
}

const ReferralConnection = ConnectionType(Referral);

const referrals = new ReferralService();
const sender = [Role.IOP_CLINICIAN];
const recipient = [Role.LOCAL_PROVIDER, Role.PCP];

/** Referrals to in-person care: the sender's and the recipient's operations, each a call to `ReferralService`. */
@Resolver(() => Referral)
export class ReferralResolver {
  @Authorized()
  @Query(() => Referral, { description: "A referral your program sent or your organization received; anyone else's is NOT_FOUND." })
  async referral(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Referral> {
    return (await referrals.open(em, access, id)).referral;
  }

  @Authorized([Role.IOP_CLINICIAN, Role.ADMIN])
  @Query(() => ReferralConnection, { complexity: connectionComplexity, description: 'The referrals your program sent, of patients you may see, oldest first.' })
  referralsSent(@Ctx() { em, access }: GraphQLContext, @Args() { status, patientId, ...page }: ReferralListArgs) {
    return referrals.listSent(em, access, { status: status ?? null, patientId: patientId ?? null }, page);
  }

  @Authorized(recipient)
  @Query(() => ReferralConnection, { complexity: connectionComplexity, description: 'The referrals sent to your organization, oldest first.' })
  referralsReceived(@Ctx() { em, access }: GraphQLContext, @Args() { status, patientId, ...page }: ReferralListArgs) {
    return referrals.listReceived(em, access, { status: status ?? null, patientId: patientId ?? null }, page);
  }

  @Authorized(sender)
  @Query(() => ReferralPacketPreview, { description: 'What sending the referral now would include and leave out, and the consent to ask for.' })
  async referralPacketPreview(@Ctx() { em, access }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<ReferralPacketPreview> {
    return asPreview(await referrals.preview(em, access, id));
  }

  @Authorized(sender)
  @Mutation(() => ReferralPayload, { description: 'Writes a referral as a DRAFT (you must be on the patient’s care team).' })
  async createReferral(@Ctx() { em, access, user }: GraphQLContext, @Arg('input') input: CreateReferralInput): Promise<ReferralPayload> {
    return { referral: await referrals.create(em, access, user!, input) };
  }

  @Authorized(sender)
  @Mutation(() => ReferralPayload, { description: 'Changes a DRAFT.' })
  async updateReferral(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs, @Arg('input') input: UpdateReferralInput): Promise<ReferralPayload> {
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
    return { referral: await referrals.update(em, access, user!, id, expectedVersion, changes) };
  }

  @Authorized(sender)
  @Mutation(() => ReferralPayload, {
    description:
      'Sends a DRAFT (or a FAILED referral again): decides the packet under the consents in force, stores it, REQUESTED, and queues the letter. With nothing allowed, the referral itself is still sent.',
  })
  async sendReferral(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs): Promise<ReferralPayload> {
    return { referral: await referrals.send(em, access, user!, id, expectedVersion) };
  }

  @Authorized(sender)
  @Mutation(() => ReferralPayload, { description: 'Withdraws a referral not yet at an end, with the reason.' })
  async cancelReferral(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs, @Arg('reason') reason: string): Promise<ReferralPayload> {
    return { referral: await referrals.cancel(em, access, user!, id, expectedVersion, reason) };
  }

  @Authorized(recipient)
  @Mutation(() => ReferralPayload, { description: 'Acknowledges a REQUESTED referral: RECEIVED.' })
  async receiveReferral(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs): Promise<ReferralPayload> {
    return { referral: await referrals.receive(em, access, user!, id, expectedVersion) };
  }

  @Authorized(recipient)
  @Mutation(() => ReferralPayload, { description: 'Accepts a RECEIVED referral.' })
  async acceptReferral(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs): Promise<ReferralPayload> {
    return { referral: await referrals.accept(em, access, user!, id, expectedVersion) };
  }

  @Authorized(recipient)
  @Mutation(() => ReferralPayload, { description: 'Declines a RECEIVED referral, with the reason.' })
  async rejectReferral(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs, @Arg('reason') reason: string): Promise<ReferralPayload> {
    return { referral: await referrals.reject(em, access, user!, id, expectedVersion, reason) };
  }

  @Authorized(recipient)
  @Mutation(() => ReferralPayload, { description: 'Books the appointment of an ACCEPTED referral (IN_PROGRESS); again, reschedules it. Each booking stays in the timeline.' })
  async scheduleReferral(
    @Ctx() { em, access, user }: GraphQLContext,
    @Args() { id, expectedVersion }: ReferralMoveArgs,
    @Arg('at', () => GraphQLDateTime) at: Date,
    @Arg('place') place: string,
  ): Promise<ReferralPayload> {
    return { referral: await referrals.schedule(em, access, user!, id, expectedVersion, at, place) };
  }

  @Authorized(recipient)
  @Mutation(() => ReferralPayload, { description: "Completes an IN_PROGRESS referral with the consult note (text, a PDF as base64, or both); it joins the patient's shared view." })
  async completeReferral(
    @Ctx() { em, access, user }: GraphQLContext,
    @Args() { id, expectedVersion }: ReferralMoveArgs,
    @Arg('consultNote', () => String, { nullable: true }) consultNote?: string | null,
    @Arg('consultNotePdfBase64', () => String, { nullable: true }) consultNotePdfBase64?: string | null,
  ): Promise<ReferralPayload> {
    const pdf = consultNotePdfBase64 ? Buffer.from(consultNotePdfBase64, 'base64') : null;
    return { referral: await referrals.complete(em, access, user!, id, expectedVersion, { text: consultNote ?? null, pdf }) };
  }

  @Authorized(recipient)
  @Mutation(() => ReferralPayload, { description: 'The patient did not come to the appointment of an IN_PROGRESS referral.' })
  async markReferralNoShow(@Ctx() { em, access, user }: GraphQLContext, @Args() { id, expectedVersion }: ReferralMoveArgs): Promise<ReferralPayload> {
    return { referral: await referrals.markNoShow(em, access, user!, id, expectedVersion) };
  }

  @Authorized([Role.IOP_CLINICIAN, Role.ADMIN, ...recipient])
  @Subscription(() => Referral, {
    description:
      "Each move of a referral your program sent (its patient's care team and the program's admins) or your organization received, as `referral(id)` shows it; `referralId`: that one only (NOT_FOUND if it is not yours).",
    subscribe: async ({ context, args }: SubscribeResolverData<unknown, { referralId?: string | null }, GraphQLContext>) => {
      const updates = await liveUpdates(context, 'referralUpdated', { recordId: args.referralId }, async ({ em, access }, event) => (await referrals.open(em, access, event.recordId)).referral);
      if (args.referralId) await referrals.open(context.em, context.access, args.referralId);
      return updates;
    },
  })
  referralUpdated(@Root() referral: Referral, @Arg('referralId', () => ID, { nullable: true }) _referralId?: string): Referral {
    return referral;
  }

  @FieldResolver(() => ID)
  patientId(@Root() referral: Referral): string {
    return referral.patient.id;
  }

  @FieldResolver(() => ID, { description: 'The referring clinician.' })
  senderUserId(@Root() referral: Referral): string {
    return referral.senderUser.id;
  }

  @FieldResolver(() => Organization)
  senderOrganization(@Root() referral: Referral, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(referral.senderOrganization.id);
  }

  @FieldResolver(() => Organization)
  recipientOrganization(@Root() referral: Referral, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(referral.recipientOrganization.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The consult note as a PDF (base64), when the recipient returned one.' })
  consultNotePdfBase64(@Root() referral: Referral, @Ctx() { em, access }: GraphQLContext): Promise<string | null> {
    return referrals.consultNotePdf(em, access, referral.id);
  }

  @FieldResolver(() => [ReferralEvent], { description: 'Every move, oldest first: who, for which organization, when, from, to, and the note.' })
  timeline(@Root() referral: Referral, @Ctx() { em }: GraphQLContext): Promise<ReferralEvent[]> {
    return referrals.timeline(em, referral.id);
  }

  @FieldResolver(() => ReferralPacketView, { nullable: true, description: 'The packet as sent (null while a draft); reading it is audited.' })
  packet(@Root() referral: Referral, @Ctx() { em, access }: GraphQLContext): Promise<PacketRead | null> {
    return referrals.packetFor(em, access, referral.id);
  }

  @FieldResolver(() => ReferralPacketPreview, { nullable: true, description: 'While a draft, for the sender: what sending now would include and leave out.' })
  async packetPreview(@Root() referral: Referral, @Ctx() { em, access }: GraphQLContext): Promise<ReferralPacketPreview | null> {
    return referral.status === ReferralStatus.DRAFT ? asPreview(await referrals.preview(em, access, referral.id)) : null;
  }
}

function asPreview(preview: PacketPreview): ReferralPacketPreview {
  return { ...preview, nothingIncluded: preview.records.length === 0 };
}
