import { currentToken, onTokenChange } from '../../auth/token';

const openedKey = 'carebridge.queueDashboard';

/**
 * Opens the queue dashboard (/admin/queues): a navigation cannot carry the bearer token, so the
 * API first sets it as an HttpOnly cookie for /admin (POST /admin/session). Resolves with the
 * API's refusal when it is refused.
 */
export async function openQueueDashboard(): Promise<string | null> {
  const token = currentToken();
  const response = await fetch('/admin/session', { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    return body?.error ?? `The server answered ${response.status}`;
  }
  sessionStorage.setItem(openedKey, 'yes');
  window.location.assign('/admin/queues');
  return null;
}

// Signing out of the portal also ends the dashboard's cookie, when this tab set it.
onTokenChange((token) => {
  if (token || !sessionStorage.getItem(openedKey)) return;
  sessionStorage.removeItem(openedKey);
  void fetch('/admin/session', { method: 'DELETE' });
});
