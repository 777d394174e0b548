import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, ConnectionType, connectionComplexity } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { Notification } from './notification.entity';
import { NotificationService } from './notification.service';

const NotificationConnection = ConnectionType(Notification);

@Resolver(() => Notification)
export class NotificationResolver {
  private readonly service = new NotificationService();

  @Authorized()
  @Query(() => NotificationConnection, { complexity: connectionComplexity, description: 'Your in-app notifications, oldest first.' })
  myNotifications(@Ctx() { em, user }: GraphQLContext, @Args() page: ConnectionArgs) {
    return this.service.list(em, user!, page);
  }
}
