import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { isUuid } from '../../db/find';
import { BadInputError } from '../../errors';
import { paginate, type PageRequest } from '../../db/paging';
import { Notification } from './notification.entity';

/** Which notifications to mark read: the ones named, or all of the reader's. */
export interface ReadMarking {
  ids: string[];
  all: boolean;
}

export const markedAtMost = 100;

/** A user's own in-app notifications; nobody reads or marks another's. */
export class NotificationService {
  list(em: EntityManager, actor: RequestUser, page: PageRequest) {
    return paginate(em, Notification, { recipient: actor.id }, page);
  }

  /**
   * Marks the actor's unread notifications among `ids` (or all of them) read, in one statement;
   * returns how many were unread. Ids of others' notifications are passed over as unknown ones
   * are, so the count never tells whether they exist. Marking twice marks nothing the second time.
   */
  async markRead(em: EntityManager, actor: RequestUser, { ids, all }: ReadMarking): Promise<number> {
    if (all === ids.length > 0) throw new BadInputError('Name the notifications to mark read, or ask for all of them', { field: 'ids' });
    if (ids.length > markedAtMost) throw new BadInputError(`Mark at most ${markedAtMost} notifications by id at a time, or all of them`, { field: 'ids' });
    const malformed = ids.filter((id) => !isUuid(id));
    if (malformed.length > 0) throw new BadInputError('Notification ids are UUIDs', { field: 'ids', ids: malformed });
    return em.nativeUpdate(Notification, { recipient: actor.id, readAt: null, ...(all ? {} : { id: { $in: ids } }) }, { readAt: new Date() });
  }
}
