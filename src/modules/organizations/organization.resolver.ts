import { Length } from 'class-validator';
import { Arg, Args, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
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
class CreateOrganizationPayload {
  @Field(() => Organization)
  organization!: Organization;
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
  @Mutation(() => CreateOrganizationPayload)
  async createOrganization(
    @Ctx() { em }: GraphQLContext,
    @Arg('input') input: CreateOrganizationInput,
  ): Promise<CreateOrganizationPayload> {
    return { organization: await this.service.create(em, input.name, input.kind) };
  }
}
