import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { InboxMessage } from './inbox-message.entity';
import { InboundFailureService } from './inbound-failures.service';
import { MatchReview, MatchReviewStatus } from './match-review.entity';

const InboxMessageConnection = ConnectionType(InboxMessage);

@ObjectType()
class InboundMessagePayload {
  @Field(() => InboxMessage)
  message!: InboxMessage;
}

/** Failed inbound messages, worked by IOP admins. */
@Resolver(() => InboxMessage)
export class InboxResolver {
  private readonly service = new InboundFailureService();

  @Authorized([Role.ADMIN])
  @Query(() => InboxMessageConnection, { complexity: connectionComplexity, description: 'Inbound messages accepted but not imported after every retry.' })
  failedInboundMessages(@Ctx() { em, user }: GraphQLContext, @Args() page: ConnectionArgs) {
    return this.service.listFailed(em, user!, page);
  }

  @Authorized([Role.ADMIN])
  @Query(() => InboxMessage, { description: 'One inbound message, e.g. the subject of a notification (inbound.failed, critical.awaiting-match).' })
  inboundMessage(@Ctx() { em, user }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<InboxMessage> {
    return this.service.findFor(em, user!, id);
  }

  @FieldResolver(() => MatchReview, { nullable: true, description: 'The review the message waits for, while it is held for a patient match.' })
  pendingMatchReview(@Root() message: InboxMessage, @Ctx() { em }: GraphQLContext): Promise<MatchReview | null> {
    return em.findOne(MatchReview, { inboxMessage: message.id, status: MatchReviewStatus.PENDING });
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => InboundMessagePayload, { description: 'Imports a failed message again, once the cause of its failure is fixed.' })
  async reprocessInboundMessage(@Ctx() { em, user }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<InboundMessagePayload> {
    return { message: await this.service.reprocess(em, user!, id) };
  }
}
