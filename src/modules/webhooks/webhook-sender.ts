import { signatureHeader } from './signature';

/** What became of one POST: delivered, refused for good, or to be tried again. */
export type WebhookOutcome =
  | { outcome: 'DELIVERED'; status: number }
  | { outcome: 'REFUSED'; status: number }
  | { outcome: 'RETRY'; status: number | null };

/** Statuses worth trying again: server errors, timeouts and rate limits. Any other 4xx (or a redirect) will not mend itself. */
export function outcomeOf(status: number): WebhookOutcome {
  if (status >= 200 && status < 300) return { outcome: 'DELIVERED', status };
  if (status >= 500 || status === 408 || status === 429) return { outcome: 'RETRY', status };
  return { outcome: 'REFUSED', status };
}

export interface SignedWebhook {
  url: string;
  /** The signing secrets, current first (several while one is rotated). */
  secrets: string[];
  /** The exact bytes sent and signed. */
  body: string;
  contentType: string;
  /** The same for every retry of one message, so the receiver can drop a repeat. */
  idempotencyKey: string;
  timeoutMs: number;
}

/**
 * POSTs a signed webhook (`X-Signature: t=…,v1=…` over the raw body, `Idempotency-Key`) and says
 * what became of it. Redirects are not followed: a signed body goes only to the URL registered.
 * A network error or timeout is a RETRY with no status; nothing of the body or answer is kept.
 */
export async function postSignedWebhook(webhook: SignedWebhook): Promise<WebhookOutcome> {
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': webhook.contentType,
        'x-signature': signatureHeader(webhook.secrets, webhook.body),
        'idempotency-key': webhook.idempotencyKey,
      },
      body: webhook.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(webhook.timeoutMs),
    });
    // The answer's body is not read beyond releasing the connection: it is the receiver's, not ours to log.
    await response.body?.cancel();
    return outcomeOf(response.status);
  } catch {
    return { outcome: 'RETRY', status: null };
  }
}
