import { IsOptional, IsUUID, Length } from 'class-validator';
import { BreakGlassAccess } from './break-glass.entity';
import { BreakGlassService } from './break-glass.service';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { Organization, type OrganizationRow } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import { Consent, ConsentExpiryEvent } from './consent.entity';
import { ConsentService } from './consent.service';
import { DataCategory, Purpose } from './data-category';

@InputType()
class RequestConsentInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => [ID], { defaultValue: [] }) @IsUUID('all', { each: true }) recipientOrganizationIds!: string[];
  @Field(() => [ID], { defaultValue: [], description: 'Named people at partner organizations.' }) @IsUUID('all', { each: true }) recipientUserIds!: string[];
  @Field(() => Purpose) purpose!: Purpose;
  @Field(() => String, { nullable: true, description: 'What the disclosure is for, in words; required for OTHER.' }) @IsOptional() @Length(3, 500) purposeStatement?: string | null;
  @Field(() => [DataCategory]) categories!: DataCategory[];
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Default: now.' }) startsAt?: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) expiresAt?: Date | null;
  @Field(() => ConsentExpiryEvent, { nullable: true, description: 'Instead of (or as well as) a date.' }) expiryEvent?: ConsentExpiryEvent | null;
}

@ObjectType()
class ConsentPayload {
  @Field(() => Consent) consent!: Consent;
}

@Resolver(() => Consent)
export class ConsentResolver {
  private readonly service = new ConsentService();

  @Authorized()
  @Query(() => Consent, { description: "A release-of-information consent: the patient's, their program's staff's, or one naming you as recipient." })
  consent(@Ctx() { em, access, user }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Consent> {
    return this.service.findFor(em, access, user!, id);
  }

  @Authorized([Role.IOP_CLINICIAN, Role.ADMIN])
  @Mutation(() => ConsentPayload, { description: 'Asks the patient to consent to a release of information.' })
  async requestConsent(@Ctx() { em, access, user }: GraphQLContext, @Arg('input') input: RequestConsentInput): Promise<ConsentPayload> {
    const consent = await this.service.request(em, access, user!, input.patientId, {
      recipientOrganizationIds: input.recipientOrganizationIds,
      recipientUserIds: input.recipientUserIds,
      purpose: input.purpose,
      purposeStatement: input.purposeStatement,
      categories: input.categories,
      startsAt: input.startsAt ?? new Date(),
      expiresAt: input.expiresAt ?? null,
      expiryEvent: input.expiryEvent ?? null,
    });
    return { consent };
  }

  @Authorized([Role.PATIENT])
  @Mutation(() => ConsentPayload, { description: 'Signs a requested consent with your typed name; it takes effect at once.' })
  async signConsent(
    @Ctx() { em, user }: GraphQLContext,
    @Arg('consentId', () => ID) consentId: string,
    @Arg('signedName') signedName: string,
    @Arg('acknowledgeRightToRevoke') acknowledgeRightToRevoke: boolean,
  ): Promise<ConsentPayload> {
    return { consent: await this.service.decide(em, user!, consentId, (consent) => consent.sign(signedName, acknowledgeRightToRevoke, user!.id)) };
  }

  @Authorized([Role.PATIENT])
  @Mutation(() => ConsentPayload)
  async declineConsent(@Ctx() { em, user }: GraphQLContext, @Arg('consentId', () => ID) consentId: string): Promise<ConsentPayload> {
    return { consent: await this.service.decide(em, user!, consentId, (consent) => consent.decline(user!.id)) };
  }

  @Authorized([Role.PATIENT])
  @Mutation(() => ConsentPayload, { description: 'Revokes a consent; no new disclosure is made under it from now on.' })
  async revokeConsent(@Ctx() { em, user }: GraphQLContext, @Arg('consentId', () => ID) consentId: string): Promise<ConsentPayload> {
    return { consent: await this.service.decide(em, user!, consentId, (consent) => consent.revoke(user!.id)) };
  }

  @FieldResolver(() => String, { nullable: true, description: 'The consent form as a base64 PDF, once rendered.' })
  async documentPdf(@Root() consent: Consent, @Ctx() { em }: GraphQLContext): Promise<string | null> {
    const loaded = await em.findOneOrFail(Consent, { id: consent.id }, { populate: ['document'] });
    return loaded.document ? Buffer.from(loaded.document).toString('base64') : null;
  }

  @FieldResolver(() => Organization, { description: 'The disclosing program.' })
  program(@Root() consent: Consent, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(consent.program.id);
  }

  @FieldResolver(() => [Organization], { description: 'The organizations that may receive the records, by name (e.g. for the patient deciding).' })
  async recipientOrganizations(@Root() consent: Consent, @Ctx() { loaders }: GraphQLContext): Promise<OrganizationRow[]> {
    const organizations = await loaders.organization.loadMany(consent.recipientOrganizationIds);
    return organizations.filter((organization): organization is OrganizationRow => organization !== null && !(organization instanceof Error));
  }
}

@Resolver(() => Patient)
export class PatientConsentResolver {
  private readonly service = new ConsentService();

  @FieldResolver(() => [Consent], { nullable: true, description: "Release-of-information consents, newest first: the patient sees all; staff their own program's." })
  consents(@Root() patient: PatientRow, @Ctx() { em, access }: GraphQLContext) {
    return this.service.listFor(em, access, patient.id);
  }
}

@ObjectType()
class BreakGlassPayload {
  @Field(() => BreakGlassAccess) access!: BreakGlassAccess;
}

@Resolver(() => BreakGlassAccess)
export class BreakGlassResolver {
  private readonly service = new BreakGlassService();

  @Authorized()
  @Query(() => BreakGlassAccess, { description: 'An emergency access, for the clinician who opened it and those told of it (break-glass.opened).' })
  breakGlassAccess(@Ctx() { em, access, user }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<BreakGlassAccess> {
    return this.service.findFor(em, access, user!, id);
  }

  @Authorized([Role.IOP_CLINICIAN])
  @Mutation(() => BreakGlassPayload, {
    description: 'Medical emergency (42 CFR §2.51): opens one patient\'s record to you for a limited time; the reason is audited and the privacy officer told.',
  })
  async breakGlass(
    @Ctx() { em, user, config }: GraphQLContext,
    @Arg('patientId', () => ID) patientId: string,
    @Arg('reason') reason: string,
  ): Promise<BreakGlassPayload> {
    return { access: await this.service.open(em, user!, patientId, reason, config.BREAK_GLASS_MINUTES) };
  }
}
