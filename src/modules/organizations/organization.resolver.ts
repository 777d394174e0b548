import { ArrayMaxSize, Length } from 'class-validator';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { Organization, OrganizationKind } from './organization.entity';
import { OrganizationService } from './organization.service';

const OrganizationConnection = ConnectionType(Organization);

@InputType()
class CreateOrganizationInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => OrganizationKind)
  kind!: OrganizationKind;
}

@ObjectType()
class OrganizationPayload {
  @Field(() => Organization)
  organization!: Organization;
}

@InputType()
class SetIdentifierSystemsInput {
  @Field(() => [String], { description: 'FHIR identifier.system URIs or HL7 assigning authorities (PID-3 CX.4) of your own identifiers.' })
  @ArrayMaxSize(20)
  @Length(1, 200, { each: true })
  systems!: string[];
}

@Resolver(() => Organization)
export class OrganizationResolver {
  private readonly service = new OrganizationService();

  @Authorized()
  @Query(() => OrganizationConnection, { complexity: connectionComplexity })
  organizations(
    @Ctx() { em }: GraphQLContext,
    @Args() page: ConnectionArgs,
    @Arg('kind', () => OrganizationKind, { nullable: true }) kind?: OrganizationKind | null,
  ) {
    return this.service.list(em, kind, page);
  }

  @Authorized()
  @Query(() => Organization)
  organization(@Ctx() { em }: GraphQLContext, @Arg('id', () => ID) id: string) {
    return this.service.get(em, id);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => OrganizationPayload, { description: 'Onboards a partner organization (not a program) with no seats; the hub operator provisions its first admin.' })
  async createOrganization(
    @Ctx() { em, user }: GraphQLContext,
    @Arg('input') input: CreateOrganizationInput,
  ): Promise<OrganizationPayload> {
    return { organization: await this.service.onboardPartner(em, user!, input.name, input.kind) };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => OrganizationPayload, {
    description: "Names the systems in which your organization's own identifiers (e.g. MRNs) appear in inbound messages, so they link messages to your patients.",
  })
  async setIdentifierSystems(@Ctx() { em, user }: GraphQLContext, @Arg('input') input: SetIdentifierSystemsInput): Promise<OrganizationPayload> {
    return { organization: await this.service.setIdentifierSystems(em, user!.organizationId!, input.systems) };
  }

  @FieldResolver(() => [String], { description: "The systems in which this organization's own identifiers are named in inbound messages." })
  identifierSystems(@Root() organization: Organization, @Ctx() { em }: GraphQLContext): Promise<string[]> {
    return this.service.identifierSystems(em, organization.id);
  }
}
