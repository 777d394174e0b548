import { IsUUID, Length, Max, Min } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { GraphQLContext } from '../../graphql/context';
import { Organization } from '../organizations/organization.entity';
import { OrganizationEndpoint } from './organization-endpoint.entity';
import { endpointUrlMaxLength, maxSecretOverlapHours, OrganizationEndpointService } from './organization-endpoint.service';
import { SecretBox } from './secret-box';

@InputType()
class SetOrganizationEndpointInput {
  @Field(() => ID) @IsUUID() organizationId!: string;
  @Field({ description: 'Where the hub POSTs signed webhooks (https:// in production).' }) @Length(1, endpointUrlMaxLength) url!: string;
  @Field(() => Int, { defaultValue: 0, description: `A rotation: the previous secret keeps signing beside the new one (two v1= entries) for this many hours, 0 to ${maxSecretOverlapHours}; 0 (a leaked secret) stops it at once.` })
  @Min(0)
  @Max(maxSecretOverlapHours)
  keepPreviousSecretHours!: number;
}

@ObjectType()
class SetOrganizationEndpointPayload {
  @Field(() => OrganizationEndpoint) endpoint!: OrganizationEndpoint;
  @Field({ description: 'The HMAC-SHA256 secret the hub signs with (X-Signature). Shown this once: store it now; setting the endpoint again issues a new one.' })
  secret!: string;
}

@ObjectType()
class RemoveOrganizationEndpointPayload {
  @Field({ description: 'Whether the organization had an endpoint.' }) removed!: boolean;
}

function serviceFor({ config }: GraphQLContext): OrganizationEndpointService {
  return new OrganizationEndpointService(SecretBox.fromConfig(config), !config.isProduction);
}

/** Organizations' webhook endpoints, managed by their admins (or a program's admins for a partner). */
@Resolver(() => OrganizationEndpoint)
export class OrganizationEndpointResolver {
  @Authorized([Role.ADMIN])
  @Query(() => OrganizationEndpoint, { nullable: true, description: "An organization's webhook endpoint (never its secret); null when it has none." })
  organizationEndpoint(@Ctx() ctx: GraphQLContext, @Arg('organizationId', () => ID) organizationId: string) {
    return serviceFor(ctx).find(ctx.em, ctx.user!, organizationId);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => SetOrganizationEndpointPayload, { description: "Sets an organization's webhook endpoint with a new signing secret, returned once." })
  setOrganizationEndpoint(@Ctx() ctx: GraphQLContext, @Arg('input') input: SetOrganizationEndpointInput): Promise<SetOrganizationEndpointPayload> {
    return serviceFor(ctx).set(ctx.em, ctx.user, input.organizationId, input.url, input.keepPreviousSecretHours);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => RemoveOrganizationEndpointPayload, { description: "Removes an organization's webhook endpoint: nothing is sent to it any more." })
  async removeOrganizationEndpoint(@Ctx() ctx: GraphQLContext, @Arg('organizationId', () => ID) organizationId: string): Promise<RemoveOrganizationEndpointPayload> {
    return { removed: await serviceFor(ctx).remove(ctx.em, ctx.user, organizationId) };
  }

  @FieldResolver(() => Organization)
  organization(@Root() endpoint: OrganizationEndpoint, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(endpoint.organization.id);
  }
}
