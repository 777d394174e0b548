import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { hasForbiddenControl } from '../ingest/inbound-text';

export const deliveryStatuses = ['RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION', 'RETURNED'] as const;
export const signatureMethods = ['ELECTRONIC', 'PAPER', 'NONE'] as const;
export const reasonCodes = [
  'ADDRESS_UNDELIVERABLE',
  'RECIPIENT_UNAVAILABLE',
  'WEATHER_DELAY',
  'CARRIER_DELAY',
  'DAMAGED',
  'REFUSED',
  'RETURN_TO_SENDER',
  'TEMPERATURE_EXCURSION',
  'OTHER',
] as const;
export const deaSchedules = ['CII', 'CIII', 'CIV', 'CV'] as const;

/** The statuses from which a parcel is with a carrier: a tracking number is required. */
export const shippedStatuses = ['SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'RETURNED'] as const;

export interface DeliveryShipment {
  carrier: string;
  trackingNumber?: string;
  service?: string;
  /** A date (`2026-12-03`) or a date and time with offset. */
  estimatedDelivery?: string;
}

export interface DeliverySignature {
  required: boolean;
  obtained: boolean;
  method: (typeof signatureMethods)[number];
  signerName?: string;
  capturedAt?: string;
  relationship?: string;
  leftAt?: string;
  driverRelease?: boolean;
}

export interface DeliveryReason {
  code: (typeof reasonCodes)[number];
  text: string;
}

/** What happened to one fill's delivery: the part of an event both the webhook and `setDeliveryStatus` carry. */
export interface DeliveryUpdate {
  fillNumber: number;
  status: (typeof deliveryStatuses)[number];
  occurredAt: string;
  shipment?: DeliveryShipment;
  signature?: DeliverySignature;
  reason?: DeliveryReason;
  note?: string;
}

/** A pharmacy's delivery event as its webhook posts it (schemaVersion 1.0). */
export interface DeliveryEventBody extends DeliveryUpdate {
  schemaVersion: '1.0';
  eventId: string;
  source: string;
  prescriptionRef: string;
  pharmacyOrderId?: string;
  patient: { mrn: string; birthDate: string };
  medication: {
    rxnorm: string;
    display: string;
    quantity: number;
    unit: string;
    daysSupply: number;
    deaSchedule: (typeof deaSchedules)[number] | null;
  };
}

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const dateTime = { type: 'string', format: 'date-time', maxLength: 40 };
/** An optional field a pharmacy may also send as null, meaning absent (read as absent: see `withoutNulls`). */
const orNull = <S extends object>(schema: S) => ({ anyOf: [schema, { type: 'null' }] }) as const;

export const schemaId = 'https://carebridge.example/schemas/pharmacy-delivery-event/1.0';

/**
 * The contract a pharmacy integrates against, published at GET /ingest/pharmacy/schema.json. The
 * rules that tie fields to the status live in `$defs/statusRules`, shared by the webhook body (the
 * root) and `$defs/update`, what a pharmacist sets through GraphQL: one set of rules for both.
 */
export const deliveryEventSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: schemaId,
  title: 'Pharmacy delivery event',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'eventId', 'source', 'prescriptionRef', 'fillNumber', 'status', 'occurredAt', 'patient', 'medication'],
  properties: {
    schemaVersion: { const: '1.0' },
    eventId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,64}$', description: 'The idempotency key: the same id with the same body is a resend.' },
    source: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$', description: 'Must equal the :source of the URL.' },
    prescriptionRef: { type: 'string', pattern: '^[A-Za-z0-9_.:/-]{1,200}$', description: "The hub's prescription number (RX-123456) or the source's identifier." },
    pharmacyOrderId: orNull(text(100)),
    fillNumber: { $ref: '#/$defs/fillNumber' },
    status: { $ref: '#/$defs/status' },
    occurredAt: { ...dateTime, description: 'When it happened: RFC 3339 with an offset.' },
    patient: {
      type: 'object',
      additionalProperties: false,
      required: ['mrn', 'birthDate'],
      properties: { mrn: text(100), birthDate: { type: 'string', format: 'date' } },
    },
    medication: {
      type: 'object',
      additionalProperties: false,
      required: ['rxnorm', 'display', 'quantity', 'unit', 'daysSupply', 'deaSchedule'],
      properties: {
        rxnorm: { type: 'string', pattern: '^[0-9]{1,20}$' },
        display: text(200),
        quantity: { type: 'number', exclusiveMinimum: 0, maximum: 100000 },
        unit: text(50),
        daysSupply: { type: 'integer', minimum: 1, maximum: 365 },
        deaSchedule: { enum: [...deaSchedules, null] },
      },
    },
    shipment: orNull({ $ref: '#/$defs/shipment' }),
    signature: orNull({ $ref: '#/$defs/signature' }),
    reason: orNull({ $ref: '#/$defs/reason' }),
    note: orNull(text(1000)),
  },
  allOf: [{ $ref: '#/$defs/statusRules' }],
  $defs: {
    fillNumber: { type: 'integer', minimum: 0, maximum: 99 },
    status: { enum: deliveryStatuses },
    shipment: {
      type: 'object',
      additionalProperties: false,
      required: ['carrier'],
      properties: {
        carrier: text(100),
        trackingNumber: { type: 'string', pattern: '^[A-Za-z0-9 _.-]{1,64}$' },
        service: orNull(text(100)),
        estimatedDelivery: orNull({ anyOf: [{ type: 'string', format: 'date' }, dateTime] }),
      },
    },
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['required', 'obtained', 'method'],
      properties: {
        required: { type: 'boolean' },
        obtained: { type: 'boolean' },
        method: { enum: signatureMethods },
        signerName: orNull(text(200)),
        capturedAt: orNull(dateTime),
        relationship: orNull(text(100)),
        leftAt: orNull(text(200)),
        driverRelease: orNull({ type: 'boolean' }),
      },
      // NONE exactly when no signature was obtained.
      if: { properties: { obtained: { const: false } } },
      then: { properties: { method: { const: 'NONE' } } },
      else: { properties: { method: { enum: ['ELECTRONIC', 'PAPER'] } } },
    },
    reason: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'text'],
      properties: { code: { enum: reasonCodes }, text: text(500) },
    },
    /**
     * The rules that tie fields to the status (properties are declared by the schema that uses
     * them). What a status requires must be there and not null.
     */
    statusRules: {
      allOf: [
        {
          if: { required: ['status'], properties: { status: { enum: shippedStatuses } } },
          then: { required: ['shipment'], properties: { shipment: { type: 'object', required: ['trackingNumber'], properties: { trackingNumber: { type: 'string' } } } } },
        },
        { if: { required: ['status'], properties: { status: { const: 'DELIVERED' } } }, then: { required: ['signature'], properties: { signature: { type: 'object' } } } },
        { if: { required: ['status'], properties: { status: { enum: ['EXCEPTION', 'RETURNED'] } } }, then: { required: ['reason'], properties: { reason: { type: 'object' } } } },
      ],
    },
    /** What a pharmacist sets through GraphQL (`setDeliveryStatus`): the event without its envelope. */
    update: {
      type: 'object',
      additionalProperties: false,
      required: ['fillNumber', 'status', 'occurredAt'],
      properties: {
        fillNumber: { $ref: '#/$defs/fillNumber' },
        status: { $ref: '#/$defs/status' },
        occurredAt: dateTime,
        shipment: orNull({ $ref: '#/$defs/shipment' }),
        signature: orNull({ $ref: '#/$defs/signature' }),
        reason: orNull({ $ref: '#/$defs/reason' }),
        note: orNull(text(1000)),
      },
      allOf: [{ $ref: '#/$defs/statusRules' }],
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv, ['date', 'date-time']);
ajv.addSchema(deliveryEventSchema);
const validateEvent = ajv.getSchema<DeliveryEventBody>(schemaId)!;
const validateUpdate = ajv.getSchema<DeliveryUpdate>(`${schemaId}#/$defs/update`)!;

/** One reason a body breaks the contract: where, and what the rule says (never the value sent). */
export interface ContractViolation {
  path: string;
  message: string;
}

const violationOf = (error: ErrorObject): ContractViolation => {
  const missing = error.keyword === 'required' ? `/${(error.params as { missingProperty: string }).missingProperty}` : '';
  const extra = error.keyword === 'additionalProperties' ? `/${(error.params as { additionalProperty: string }).additionalProperty}` : '';
  return { path: `${error.instancePath}${missing}${extra}` || '/', message: error.message ?? error.keyword };
};

/** Strings the contract accepts never carry control characters (JSON can still send them escaped). */
function controlCharacterPaths(value: unknown, path: string): ContractViolation[] {
  if (typeof value === 'string') return hasForbiddenControl(value) ? [{ path: path || '/', message: 'must not contain control characters' }] : [];
  if (Array.isArray(value)) return value.flatMap((each, index) => controlCharacterPaths(each, `${path}/${index}`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, each]) => controlCharacterPaths(each, `${path}/${key}`));
  return [];
}

export type Checked<T> = { valid: true; value: T } | { valid: false; violations: ContractViolation[] };

/** The object without its null-valued properties. */
const dropNulls = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, each]) => each !== null)) as T;

/**
 * A valid event or update with every optional field sent as null removed, so that what reads it
 * sees one kind of absent. The contract lets null only where a field is optional, on the event
 * and in its shipment and signature (`medication.deaSchedule`, where null is a value, is kept).
 */
export function withoutNulls<T extends DeliveryUpdate>(value: T): T {
  const kept = dropNulls(value);
  if (kept.shipment) kept.shipment = dropNulls(kept.shipment);
  if (kept.signature) kept.signature = dropNulls(kept.signature);
  return kept;
}

function check<T extends DeliveryUpdate>(validate: typeof validateEvent | typeof validateUpdate, value: unknown): Checked<T> {
  if (!validate(value)) {
    // If/then failures repeat the branch's error; one line per distinct rule is enough.
    const seen = new Map((validate.errors ?? []).filter((error) => error.keyword !== 'if').map(violationOf).map((each) => [`${each.path}|${each.message}`, each]));
    return { valid: false, violations: [...seen.values()] };
  }
  const control = controlCharacterPaths(value, '');
  return control.length > 0 ? { valid: false, violations: control } : { valid: true, value: withoutNulls(value as T) };
}

/** Checks a webhook body (already parsed) against the contract. */
export const checkDeliveryEvent = (value: unknown): Checked<DeliveryEventBody> => check(validateEvent, value);

/** Checks a pharmacist's update against the same rules. */
export const checkDeliveryUpdate = (value: unknown): Checked<DeliveryUpdate> => check(validateUpdate, value);
