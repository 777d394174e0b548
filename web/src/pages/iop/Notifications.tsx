import { Link } from 'wouter';
import { request } from '../../api/client';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { formatDateTime } from '../../components/format';
import { useApiQuery } from '../../components/useApiQuery';
import { MarkNotificationsReadDocument, MyNotificationsDocument } from '../../generated/graphql';
import { notificationWords, subjectPath } from './notification-subjects';

/** My notifications, newest first; each opens what it is about (and is then marked read). */
export function Notifications() {
  const notifications = useApiQuery(MyNotificationsDocument, {});
  const markRead = (id: string) => void request(MarkNotificationsReadDocument, { ids: [id] }).catch(() => undefined);
  const items = notifications.answer ? [...notifications.answer.data.myNotifications.edges].reverse().map((edge) => edge.node) : [];
  return (
    <section aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {notifications.status === 'loading' && <p>Loading…</p>}
      {notifications.error && <ApiErrorMessage error={notifications.error} />}
      {notifications.answer && items.length === 0 && <p>No notifications.</p>}
      {items.length > 0 && (
        <ul className="notifications">
          {items.map((item) => {
            const path = subjectPath(item.subjectType, item.subjectId);
            const words = notificationWords(item.kind);
            return (
              <li key={item.id} className={item.readAt ? 'read' : 'unread'}>
                <span className="notification-kind">{words}</span> <span className="muted">{formatDateTime(item.createdAt)}</span>
                {!item.readAt && <span className="badge-new">new</span>}{' '}
                {path ? (
                  <Link href={path} onClick={() => markRead(item.id)} aria-label={`Open ${words}`}>
                    Open
                  </Link>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
