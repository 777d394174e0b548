import { IsEmail, IsOptional, IsUUID, Length, ValidateNested } from 'class-validator';
import {
  Arg, Args, Authorized, Ctx, Extensions, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root,
} from 'type-graphql';
import type { AccountMembership } from '../../auth/account';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { answeredFromCredentials } from '../../graphql/fast-path';
import { primeWithAccount } from '../../graphql/loaders';
import { UnauthenticatedError } from '../../errors';
import { Organization } from '../organizations/organization.entity';
import { Membership } from './membership.entity';
import { User } from './user.entity';
import { UserService } from './user.service';

const UserConnection = ConnectionType(User);

@InputType()
class MembershipInput {
  @Field(() => ID)
  @IsUUID()
  organizationId!: string;

  @Field(() => Role)
  role!: Role;
}

@InputType()
class CreateUserInput {
  @Field()
  @IsEmail()
  @Length(3, 320)
  email!: string;

  @Field()
  @Length(1, 200)
  displayName!: string;

  @Field(() => MembershipInput, { nullable: true, description: 'For staff: their first membership.' })
  @IsOptional()
  @ValidateNested()
  membership?: MembershipInput | null;

  @Field(() => ID, { nullable: true, description: 'For a patient user: their patient record.' })
  @IsOptional()
  @IsUUID()
  patientId?: string | null;
}

@ObjectType()
class UserPayload {
  @Field(() => User)
  user!: User;
}

@ObjectType()
class MembershipPayload {
  @Field(() => Membership)
  membership!: Membership;
}

@Resolver(() => User)
export class UserResolver {
  private readonly service = new UserService();

  @Authorized()
  @Extensions(answeredFromCredentials)
  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() { account, loaders }: GraphQLContext) {
    if (!account) throw new UnauthenticatedError();
    primeWithAccount(loaders, account);
    return account.user;
  }

  @Authorized([Role.ADMIN])
  @Query(() => UserConnection, { complexity: connectionComplexity, description: "Your organization's staff; patient users are reached through their record." })
  users(
    @Ctx() { em, user }: GraphQLContext,
    @Args() page: ConnectionArgs,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId?: string | null,
  ) {
    return this.service.list(em, user!, organizationId, page);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => UserPayload)
  async createUser(@Ctx() { em, user, access }: GraphQLContext, @Arg('input') input: CreateUserInput): Promise<UserPayload> {
    return { user: await this.service.create(em, access, user!, input) };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => MembershipPayload)
  async addMembership(
    @Ctx() { em, user }: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('input') input: MembershipInput,
  ): Promise<MembershipPayload> {
    return { membership: await this.service.addMembership(em, user!, userId, input.organizationId, input.role) };
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => MembershipPayload, { description: 'Suspends or restores a membership; tokens for it stop working at once.' })
  async setMembershipActive(
    @Ctx() { em, user }: GraphQLContext,
    @Arg('membershipId', () => ID) membershipId: string,
    @Arg('active') active: boolean,
  ): Promise<MembershipPayload> {
    return { membership: await this.service.setMembershipActive(em, user!, membershipId, active) };
  }

  @FieldResolver(() => [Membership])
  memberships(@Root() user: Pick<User, 'id'>, @Ctx() { loaders }: GraphQLContext) {
    return loaders.membershipsByUser.load(user.id);
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => Organization)
  organization(@Root() membership: Membership | AccountMembership, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(membership.organization.id);
  }
}
