import { InboxMessage, InboxState } from '../../src/modules/ingest/inbox-message.entity';
import type { Harness } from './harness';
import { until } from './workers';

/**
 * Posts a FHIR Bundle as a primary-care source and, when it was accepted, waits for the worker to
 * deal with it (the test must run the workers). `message` is the stored Bundle after its import.
 */
export async function sendFhirBundle(h: Harness, token: string | null, body: string | Buffer, contentType = 'application/fhir+json') {
  const response = await h.app.inject({
    method: 'POST',
    url: '/ingest/fhir',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
  const location = response.headers['content-location'];
  const id = typeof location === 'string' ? location.split('/').pop()! : null;
  const message = id
    ? await until(
        () => h.orm.em.fork().findOneOrFail(InboxMessage, { id }),
        (stored) => stored.state !== InboxState.RECEIVED,
      )
    : null;
  return { response, message };
}

/** The outcome the sender reads for a stored Bundle. */
export async function readFhirOutcome(h: Harness, token: string, messageId: string) {
  return h.app.inject({ method: 'GET', url: `/ingest/fhir/messages/${messageId}`, headers: { authorization: `Bearer ${token}` } });
}
