import type { FilterQuery } from '@mikro-orm/postgresql';
import { Max, Min } from 'class-validator';
import { Arg, ArgsType, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../auth/roles';
import { BadInputError, UnauthenticatedError } from '../../errors';
import type { GraphQLContext } from '../../graphql/context';
import { DataCategory, Purpose } from '../consent/data-category';
import { Organization } from '../organizations/organization.entity';
import { AuditEvent } from './audit-event.entity';

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
class DisclosureArgs {
  @Field(() => Int, { defaultValue: 50 }) @Min(1) @Max(200) first: number = 50;
  @Field(() => String, { nullable: true }) before?: string | null;
}

const threeYears = 3 * 365 * 86_400_000;

/** The accounting of disclosures, from the append-only audit trail: the last three years, newest first. */
@Resolver(() => Disclosure)
export class DisclosureResolver {
  @Authorized([Role.PATIENT])
  @Query(() => DisclosurePage, { description: 'Who saw your record.' })
  myDisclosures(@Ctx() { em, user }: GraphQLContext, @Args() page: DisclosureArgs) {
    if (!user?.patientId) throw new UnauthenticatedError();
    return this.page(em, user.patientId, null, page);
  }

  @Authorized([Role.IOP_CLINICIAN, Role.ADMIN])
  @Query(() => DisclosurePage, { description: "Who saw a patient's record (for the patient, on request)." })
  async disclosures(@Ctx() { em, access }: GraphQLContext, @Arg('patientId', () => ID) patientId: string, @Args() page: DisclosureArgs) {
    await access.requireSelfOrCare(patientId);
    return this.page(em, patientId, await access.othersDisclosures(patientId), page);
  }

  @FieldResolver(() => Organization, { nullable: true })
  organization(@Root() disclosure: Disclosure, @Ctx() { loaders }: GraphQLContext) {
    return disclosure.organizationId ? loaders.organization.load(disclosure.organizationId) : null;
  }

  /** A page of the patient's rows, without `othersRows` (another program's business), which are only counted. */
  private async page(em: GraphQLContext['em'], patientId: string, othersRows: FilterQuery<AuditEvent> | null, { first, before }: DisclosureArgs): Promise<DisclosurePage> {
    if (before && !/^\d+$/.test(before)) throw new BadInputError('The cursor is not valid', { argument: 'before' });
    const ofPatient: FilterQuery<AuditEvent> = { patientId, occurredAt: { $gte: new Date(Date.now() - threeYears) } };
    const shown: FilterQuery<AuditEvent>[] = [ofPatient];
    if (before) shown.push({ id: { $lt: before } });
    if (othersRows) shown.push({ $not: othersRows });
    const rows = await em.find(AuditEvent, { $and: shown }, { orderBy: { id: 'desc' }, limit: first + 1 });
    const otherProgramsCount = othersRows ? await em.count(AuditEvent, { $and: [ofPatient, othersRows] }) : 0;
    const items = rows.slice(0, first);
    return { items, nextCursor: rows.length > first ? items[items.length - 1].id : null, otherProgramsCount };
  }
}
