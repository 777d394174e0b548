import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { paginate, type ConnectionArgs } from '../../graphql/connection';
import { Notification } from './notification.entity';

/** A user's own in-app notifications; nobody reads another's. */
export class NotificationService {
  list(em: EntityManager, actor: RequestUser, page: ConnectionArgs) {
    return paginate(em, Notification, { recipient: actor.id }, page);
  }
}
