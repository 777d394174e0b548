import { Arg, Args, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { Notification } from './notification.entity';
import { NotificationService } from './notification.service';

const NotificationConnection = ConnectionType(Notification);

@ObjectType()
class MarkNotificationsReadPayload {
  @Field(() => Int, { description: 'How many of your notifications were unread and are now read.' })
  marked!: number;
}

@Resolver(() => Notification)
export class NotificationResolver {
  private readonly service = new NotificationService();

  @Authorized()
  @Query(() => NotificationConnection, { complexity: connectionComplexity, description: 'Your in-app notifications, oldest first.' })
  myNotifications(@Ctx() { em, user }: GraphQLContext, @Args() page: ConnectionArgs) {
    return this.service.list(em, user!, page);
  }

  @Authorized()
  @Mutation(() => MarkNotificationsReadPayload, {
    description: "Marks your notifications read: those named (at most 100; others' ids are ignored), or all of them. Already read ones stay as they were.",
  })
  async markNotificationsRead(
    @Ctx() { em, user }: GraphQLContext,
    @Arg('ids', () => [ID], { nullable: true }) ids: string[] | null,
    @Arg('all', () => Boolean, { nullable: true }) all: boolean | null,
  ): Promise<MarkNotificationsReadPayload> {
    return { marked: await this.service.markRead(em, user!, { ids: ids ?? [], all: all ?? false }) };
  }
}
