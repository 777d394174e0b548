import { ArrayNotEmpty, IsOptional, IsUUID, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { Organization } from '../organizations/organization.entity';
import { Patient } from '../patients/patient.entity';
import { Consent } from './consent.entity';
import { ConsentService } from './consent.service';
import { DataCategory, Purpose } from './data-category';

@InputType()
class RequestConsentInput {
  @Field(() => ID) @IsUUID() patientId!: string;
  @Field(() => [ID]) @ArrayNotEmpty() @IsUUID('all', { each: true }) recipientOrganizationIds!: string[];
  @Field(() => Purpose) purpose!: Purpose;
  @Field(() => [DataCategory]) categories!: DataCategory[];
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Default: now.' }) startsAt?: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) expiresAt?: Date | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 300) expiryEvent?: string | null;
}

@ObjectType()
class ConsentPayload {
  @Field(() => Consent) consent!: Consent;
}

@Resolver(() => Consent)
export class ConsentResolver {
  private readonly service = new ConsentService();

  @Authorized([Role.IOP_CLINICIAN, Role.ADMIN])
  @Mutation(() => ConsentPayload, { description: 'Asks the patient to consent to a release of information.' })
  async requestConsent(@Ctx() { em, access, user }: GraphQLContext, @Arg('input') input: RequestConsentInput): Promise<ConsentPayload> {
    const consent = await this.service.request(em, access, user!, input.patientId, {
      recipientOrganizationIds: input.recipientOrganizationIds,
      purpose: input.purpose,
      categories: input.categories,
      startsAt: input.startsAt ?? new Date(),
      expiresAt: input.expiresAt ?? null,
      expiryEvent: input.expiryEvent ?? null,
    });
    await access.disclose(input.patientId, [DataCategory.DEMOGRAPHICS]);
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

  @FieldResolver(() => Organization, { description: 'The disclosing program.' })
  program(@Root() consent: Consent, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(consent.program.id);
  }
}

@Resolver(() => Patient)
export class PatientConsentResolver {
  private readonly service = new ConsentService();

  @FieldResolver(() => [Consent], { description: 'Release-of-information consents, newest first (the patient and their IOP).' })
  async consents(@Root() patient: Patient, @Ctx() { em, access }: GraphQLContext) {
    await access.requireSelfOrCare(patient.id);
    await access.disclose(patient.id, [DataCategory.DEMOGRAPHICS]);
    return this.service.list(em, patient.id);
  }
}
