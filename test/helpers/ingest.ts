import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHashOf, InboxMessage, InboxSource, InboxState } from '../../src/modules/ingest/inbox-message.entity';
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

/** MSA-1 of an ACK: AA, AE or AR. */
export const ackCodeOf = (ack: string) => /\rMSA\|([A-Z]{2})\|/.exec(ack)?.[1];

/**
 * Posts an HL7 v2 message as a lab and, when it was stored, waits for the worker to deal with it
 * (the test must run the workers). `message` is the stored message (found by its bytes) after that.
 */
export async function sendHl7Message(h: Harness, token: string, body: string | Buffer) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const response = await h.app.inject({
    method: 'POST',
    url: '/ingest/hl7',
    headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${token}` },
    payload: raw,
  });
  const message = await until(
    () => h.orm.em.fork().findOne(InboxMessage, { source: InboxSource.HL7V2, contentHash: contentHashOf(raw) }),
    (stored) => stored === null || stored.state !== InboxState.RECEIVED,
  );
  return { response, ack: ackCodeOf(response.body), message };
}

/** The preliminary lithium fixture, made final with the given value, flag and control id. */
export function lithium(controlId: string, value: string, flag: string, test = '14334-7^Lithium [Moles/volume] in Serum or Plasma^LN', unit = 'mmol/L') {
  return readFileSync(join(__dirname, '..', 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1')
    .replace('LAB-0001', controlId)
    .replace('ORD1|FIL1|', `ORD-${controlId}|FIL-${controlId}|`)
    .replace('ORD1|FIL1\r', `ORD-${controlId}|FIL-${controlId}\r`)
    .replace('14334-7^Lithium [Moles/volume] in Serum or Plasma^LN', test)
    .replace('||0.9|mmol/L|0.6-1.2|N|||P|', `||${value}|${unit}|0.6-1.2|${flag}|||F|`);
}
