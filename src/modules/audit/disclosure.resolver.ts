import { Max, Min } from 'class-validator';
import { Arg, ArgsType, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import { UnauthenticatedError } from '../../errors';
import type { GraphQLContext } from '../../graphql/context';
import { DataCategory, Purpose } from '../consent/data-category';
import { Organization } from '../organizations/organization.entity';
import { type DisclosurePageRequest, DisclosureService } from './disclosure.service';

@ObjectType({ description: 'One disclosure of a patient\'s record: who saw which categories, when, why and under which consent.' })
class Disclosure {
  @Field(() => ID) id!: string;
  @Field(() => GraphQLDateTime) occurredAt!: Date;
  @Field(() => ID) userId!: string;
  @Field(() => Role) role!: Role;
  @Field(() => ID, { nullable: true }) organizationId!: string | null;
  @Field(() => [DataCategory]) categories!: DataCategory[];
  @Field(() => Purpose) purpose!: Purpose;
  @Field(() => ID, { nullable: true }) consentId!: string | null;
  @Field() operation!: string;
}

@ObjectType()
class DisclosurePage {
  @Field(() => [Disclosure]) items!: Disclosure[];
  @Field(() => String, { nullable: true, description: 'Pass as `before` for the next (older) page.' }) nextCursor!: string | null;
  @Field(() => Int, { description: "Other programs' disclosures of the patient's record in the same period, counted only: their details are those programs' business (0 for the patient)." })
  otherProgramsCount!: number;
}

@ArgsType()
class DisclosureArgs implements DisclosurePageRequest {
  @Field(() => Int, { defaultValue: 50 }) @Min(1) @Max(200) first: number = 50;
  @Field(() => String, { nullable: true }) before?: string | null;
}

/** The accounting of disclosures, from the append-only audit trail: the last three years, newest first. */
@Resolver(() => Disclosure)
export class DisclosureResolver {
  private readonly service = new DisclosureService();

  @Authorized([Role.PATIENT])
  @Query(() => DisclosurePage, { description: 'Who saw your record.' })
  myDisclosures(@Ctx() { em, user }: GraphQLContext, @Args() page: DisclosureArgs) {
    if (!user) throw new UnauthenticatedError();
    return this.service.ofOwnRecord(em, user, page);
  }

  @Authorized([Role.IOP_CLINICIAN, Role.ADMIN])
  @Query(() => DisclosurePage, { description: "Who saw a patient's record (for the patient, on request)." })
  disclosures(@Ctx() { em, access }: GraphQLContext, @Arg('patientId', () => ID) patientId: string, @Args() page: DisclosureArgs) {
    return this.service.ofPatient(em, access, patientId, page);
  }

  @FieldResolver(() => Organization, { nullable: true })
  organization(@Root() disclosure: Disclosure, @Ctx() { loaders }: GraphQLContext) {
    return disclosure.organizationId ? loaders.organization.load(disclosure.organizationId) : null;
  }
}
