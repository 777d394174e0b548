import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { Organization } from '../organizations/organization.entity';
import { SecretBox } from './secret-box';
import { WebhookSecret, WebhookSource } from './webhook-source.entity';
import { WebhookSourceService, type IssuedSecret } from './webhook-source.service';

@ObjectType({ description: 'A new webhook secret, shown this once: give it to the partner and keep it nowhere else.' })
class IssuedWebhookSecretPayload {
  @Field(() => WebhookSource)
  source!: WebhookSource;

  @Field(() => ID)
  secretId!: string;

  @Field({ description: 'The secret itself; never shown again.' })
  secret!: string;
}

@ObjectType()
class RetireWebhookSecretPayload {
  @Field(() => WebhookSecret)
  secret!: WebhookSecret;
}

const WebhookSourceConnection = ConnectionType(WebhookSource);

const service = (context: GraphQLContext) => new WebhookSourceService(SecretBox.fromConfig(context.config));
const issued = (result: IssuedSecret): IssuedWebhookSecretPayload => result;

@Resolver(() => WebhookSource)
export class WebhookSourceResolver {
  @Authorized([Role.ADMIN])
  @Query(() => WebhookSourceConnection, {
    complexity: connectionComplexity,
    description: "An organization's webhook sources, for its admins and a program's admins; their secrets' dates, never their values.",
  })
  webhookSources(@Ctx() context: GraphQLContext, @Arg('organizationId', () => ID) organizationId: string, @Args() page: ConnectionArgs) {
    return service(context).list(context.em, context.user!, organizationId, page);
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => IssuedWebhookSecretPayload, { description: "Registers a pharmacy's webhook source under a key, with its first secret." })
  async createWebhookSource(
    @Ctx() context: GraphQLContext,
    @Arg('organizationId', () => ID) organizationId: string,
    @Arg('key') key: string,
  ): Promise<IssuedWebhookSecretPayload> {
    return issued(await service(context).create(context.em, context.user!, organizationId, key));
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => IssuedWebhookSecretPayload, { description: 'Adds a new secret; the old ones stay current until retired.' })
  async rotateWebhookSecret(@Ctx() context: GraphQLContext, @Arg('sourceId', () => ID) sourceId: string): Promise<IssuedWebhookSecretPayload> {
    return issued(await service(context).rotate(context.em, context.user!, sourceId));
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => RetireWebhookSecretPayload, { description: 'Retires a secret: webhooks signed with it are refused from now on.' })
  async retireWebhookSecret(@Ctx() context: GraphQLContext, @Arg('secretId', () => ID) secretId: string): Promise<RetireWebhookSecretPayload> {
    return { secret: await service(context).retire(context.em, context.user!, secretId) };
  }

  @FieldResolver(() => ID)
  organizationId(@Root() source: WebhookSource): string {
    return source.organization.id;
  }

  @FieldResolver(() => Organization)
  organization(@Root() source: WebhookSource, @Ctx() { loaders }: GraphQLContext) {
    return loaders.organization.load(source.organization.id);
  }

  @FieldResolver(() => [WebhookSecret], { description: 'Its secrets, oldest first: current ones have no retiredAt.' })
  secrets(@Root() source: WebhookSource, @Ctx() { loaders }: GraphQLContext) {
    return loaders.webhookSecretsBySource.load(source.id);
  }
}
