import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature every webhook carries, inbound (pharmacies) and outbound (the hub to a pharmacy or
 * a referral recipient): `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>`.
 * Several `v1=` entries may be sent while a key is rotated; one matching any current secret is enough.
 */
export const signatureHeaderName = 'x-signature';

/** How far `t` may be from the receiver's clock, either way. */
export const signatureToleranceSeconds = 300;

function digest(secret: string, timestamp: number, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value for `body` signed with each of `secrets` (the first is the current one) at `now`. */
export function signatureHeader(secrets: string[], body: Buffer | string, now: Date = new Date()): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${digest(secret, timestamp, body).toString('hex')}`)].join(',');
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

const hexDigest = /^[0-9a-f]{64}$/i;

/**
 * Checks a signature header over the raw bytes, before anything parses them. Refused: a missing or
 * malformed header, a `t` further than the tolerance from `now`, or no `v1` matching a secret.
 */
export function verifySignature(header: string | undefined, body: Buffer, secrets: string[], now: Date = new Date()): SignatureCheck {
  if (!header) return { valid: false, reason: 'Missing X-Signature header' };
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 0) return { valid: false, reason: 'Malformed X-Signature header' };
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return { valid: false, reason: 'Malformed X-Signature header' };
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!hexDigest.test(value)) return { valid: false, reason: 'Malformed X-Signature header' };
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === null || signatures.length === 0) return { valid: false, reason: 'Malformed X-Signature header' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > signatureToleranceSeconds) return { valid: false, reason: 'X-Signature timestamp outside the allowed window' };
  const expected = secrets.map((secret) => digest(secret, timestamp, body));
  const matches = signatures.some((signature) => expected.some((each) => timingSafeEqual(each, signature)));
  return matches ? { valid: true } : { valid: false, reason: 'Invalid signature' };
}
