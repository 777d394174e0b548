import type { TokenClaims } from '../../src/auth/jwt';
import { signatureHeader } from '../../src/modules/webhooks/signature';
import { SecretBox } from '../../src/modules/webhooks/secret-box';
import { WebhookSourceService } from '../../src/modules/webhooks/webhook-source.service';
import { Role } from '../../src/auth/roles';
import type { Harness } from './harness';

/** Registers a webhook source for a pharmacy (as an IOP admin would) and returns its first secret. */
export async function webhookSource(h: Harness, admin: TokenClaims, pharmacyId: string, key: string): Promise<{ sourceId: string; secret: string }> {
  const service = new WebhookSourceService(SecretBox.fromConfig(h.config));
  const actor = { id: admin.userId, role: Role.ADMIN, organizationId: admin.organizationId!, patientId: null };
  const issued = await service.create(h.orm.em.fork(), actor, pharmacyId, key);
  return { sourceId: issued.source.id, secret: issued.secret };
}

export interface PostOptions {
  secrets?: string[];
  signature?: string | null;
  signedAt?: Date;
  contentType?: string;
}

/** Posts a raw webhook body to the source's URL, signed with its secret(s) unless told otherwise. */
export async function postEvent(h: Harness, source: string, secret: string, body: string | object, options: PostOptions = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = options.signature === undefined ? signatureHeader(options.secrets ?? [secret], raw, options.signedAt) : options.signature;
  const response = await h.app.inject({
    method: 'POST',
    url: `/ingest/pharmacy/${source}`,
    headers: { 'content-type': options.contentType ?? 'application/json', ...(signature === null ? {} : { 'x-signature': signature }) },
    payload: raw,
  });
  return { status: response.statusCode, body: response.json<{ status: string; messageId?: string; reason?: string; violations?: { path: string; message: string }[] }>() };
}

/**
 * A delivery event as the contract describes it (schemaVersion 1.0), for `source` about
 * `rxNumber` of the patient with `mrn` and `birthDate`; `overrides` replace top-level fields.
 */
export function deliveryEvent(
  base: { source: string; rxNumber: string; mrn: string; birthDate: string; deaSchedule?: string | null },
  eventId: string,
  status: string,
  occurredAt: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const shipped = ['SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'RETURNED'].includes(status);
  return {
    schemaVersion: '1.0',
    eventId,
    source: base.source,
    prescriptionRef: base.rxNumber,
    fillNumber: 0,
    pharmacyOrderId: 'ORD-77',
    status,
    occurredAt,
    patient: { mrn: base.mrn, birthDate: base.birthDate },
    medication: { rxnorm: '312940', display: 'Sertraline 50 MG Oral Tablet', quantity: 30, unit: 'tablet', daysSupply: 30, deaSchedule: base.deaSchedule ?? null },
    ...(shipped || status === 'EXCEPTION'
      ? { shipment: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', service: 'Next Day Air', estimatedDelivery: '2026-12-03' } }
      : {}),
    ...(status === 'DELIVERED'
      ? { signature: { required: true, obtained: true, method: 'ELECTRONIC', signerName: 'A. Demo', capturedAt: occurredAt, relationship: 'SELF' } }
      : {}),
    ...(status === 'EXCEPTION' || status === 'RETURNED' ? { reason: { code: 'CARRIER_DELAY', text: 'Held at the depot' } } : {}),
    ...overrides,
  };
}
