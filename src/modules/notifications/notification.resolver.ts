import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { UnauthenticatedError } from '../../errors';
import { ConnectionArgs, ConnectionType, connectionComplexity, paginate } from '../../graphql/connection';
import type { GraphQLContext } from '../../graphql/context';
import { Notification } from './notification.entity';

const NotificationConnection = ConnectionType(Notification);

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, { complexity: connectionComplexity, description: 'Your in-app notifications, oldest first.' })
  myNotifications(@Ctx() { em, user }: GraphQLContext, @Args() page: ConnectionArgs) {
    if (!user) throw new UnauthenticatedError();
    return paginate(em, Notification, { recipient: user.id }, page);
  }
}
