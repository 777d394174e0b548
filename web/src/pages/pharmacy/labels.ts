import type { DeliveryStatus, DispensingStatus, FillStatus, MedicationAlertKind, NotDispensedReason } from '../../generated/graphql';

export const dispensingStatusLabels: Record<DispensingStatus, string> = {
  NEW: 'New',
  PARTIALLY_DISPENSED: 'Partially dispensed',
  DISPENSED: 'Dispensed',
  NOT_DISPENSED: 'Not dispensed',
  TRANSFERRED: 'Transferred',
};

export const fillStatusLabels: Record<FillStatus, string> = {
  DISPENSED: 'Dispensed',
  PARTIALLY_DISPENSED: 'Partially dispensed',
  NOT_DISPENSED: 'Not dispensed',
  TRANSFERRED: 'Transferred',
};

export const notDispensedReasonLabels: Record<NotDispensedReason, string> = {
  OUT_OF_STOCK: 'Out of stock',
  PRIOR_AUTHORIZATION_REQUIRED: 'Prior authorization required',
  PATIENT_DECLINED: 'Patient declined',
  NOT_PICKED_UP: 'Not picked up',
  CLINICAL_CONCERN: 'Clinical concern (note required)',
};

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  RECEIVED: 'Received',
  PROCESSING: 'Processing',
  SHIPPED: 'Shipped',
  OUT_FOR_DELIVERY: 'Out for delivery',
  DELIVERED: 'Delivered',
  EXCEPTION: 'Exception (held up)',
  RETURNED: 'Returned',
};

export const alertKindLabels: Record<MedicationAlertKind, string> = {
  DELIVERY_LATE: 'Delivery late',
  DELIVERY_EXCEPTION: 'Delivery held up',
  DELIVERY_RETURNED: 'Delivery returned',
  CONTROLLED_DELIVERY_UNSIGNED: 'Controlled drug delivered unsigned',
  NOT_DISPENSED: 'Fill not dispensed',
  REFILL_LATE: 'Refill late',
};

export const deliveryReasonCodes = [
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

/** A code as words: `CARRIER_DELAY` → `Carrier delay`. */
export function codeInWords(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}
