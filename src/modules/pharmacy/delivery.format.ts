import { LockMode } from '@mikro-orm/core';
import { BadInputError } from '../../errors';
import type { InboundFormat, InboundReading } from '../ingest/inbound-format';
import { readInboundText } from '../ingest/inbound-text';
import { InboxMessage, InboxSource } from '../ingest/inbox-message.entity';
import { MatchReview } from '../ingest/match-review.entity';
import { Organization } from '../organizations/organization.entity';
import type { InboundPatient } from '../patients/patient-matching';
import { demographicsOf } from '../patients/source-identifiers';
import { checkDeliveryEvent, type ContractViolation, type DeliveryEventBody } from './delivery-event.schema';
import { DeliveryService, namesPrescriptionPatient } from './delivery.service';
import { routedPrescriptionByRef } from './prescription-ref';

/** Why a webhook body is refused: unreadable (400) or against the contract (422). */
export type DeliveryRefusal = { kind: 'unreadable'; reason: string } | { kind: 'contract'; violations: ContractViolation[] };

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads a webhook body: UTF-8 JSON that satisfies the contract. */
export function readDeliveryEvent(raw: Buffer): InboundReading<DeliveryRefusal> & { event: DeliveryEventBody | null } {
  const read = readInboundText(raw, 'utf-8');
  if ('problem' in read) return { messageId: null, charset: 'utf-8', refusal: { kind: 'unreadable', reason: read.problem }, event: null };
  const parsed = parse(read.text);
  if (parsed === undefined) return { messageId: null, charset: 'utf-8', refusal: { kind: 'unreadable', reason: 'The body is not JSON' }, event: null };
  const checked = checkDeliveryEvent(parsed);
  if (!checked.valid) return { messageId: null, charset: 'utf-8', refusal: { kind: 'contract', violations: checked.violations }, event: null };
  return { messageId: checked.value.eventId, charset: 'utf-8', refusal: null, event: checked.value };
}

const eventOf = (message: InboxMessage) => JSON.parse(message.body) as DeliveryEventBody;

const describe = (event: DeliveryEventBody): InboundPatient => ({
  identifiers: [{ system: '', value: event.patient.mrn }],
  givenName: null,
  familyName: null,
  birthDate: event.patient.birthDate,
  phone: null,
  postalCode: null,
});

const deliveries = new DeliveryService();

/**
 * A pharmacy's signed delivery event (`POST /ingest/pharmacy/:source`), one message per event,
 * filed under the pharmacy's organization with its event id as the message id. Imported into the
 * delivery of its prescription's fill; an event whose prescription is not (yet) routed to the
 * pharmacy is held for review, and imported once the reviewer links it (if by then it is).
 */
export const pharmacyDeliveryFormat: InboundFormat<DeliveryRefusal> = {
  source: InboxSource.PHARMACY,
  read: (raw) => {
    const { event: _event, ...reading } = readDeliveryEvent(raw);
    return reading;
  },
  reasonOf: (refusal) => (refusal.kind === 'unreadable' ? refusal.reason : `invalid delivery event: ${refusal.violations.length} violation(s)`),
  async import(em, stored, reviewedPatientId) {
    const message = await em.findOneOrFail(InboxMessage, { id: stored.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!message.awaitsImport(reviewedPatientId !== undefined)) return { status: 'SKIPPED', state: message.state };
    const event = eventOf(message);
    const pharmacyId = message.sourceOrganizationId!;
    const prescription = await routedPrescriptionByRef(em, pharmacyId, event.prescriptionRef);
    if (!prescription) {
      if (reviewedPatientId) throw new BadInputError('The prescription this event names is still not routed to its pharmacy');
      const review = new MatchReview(message, em.getReference(Organization, pharmacyId), demographicsOf(describe(event)), []);
      em.persist(review);
      message.markHeld('prescription not known for this pharmacy; waiting for review');
      return { status: 'HELD', reviewId: review.id, notes: [] };
    }
    if (reviewedPatientId && prescription.patient.id !== reviewedPatientId) throw new BadInputError("The prescription is not the reviewed patient's");
    if (!reviewedPatientId && !(await namesPrescriptionPatient(em, prescription, event.patient))) {
      throw new BadInputError("The patient the event names is not the prescription's patient");
    }
    const { fillNumber, status, occurredAt, shipment, signature, reason, note } = event;
    const update = { fillNumber, status, occurredAt, ...(shipment && { shipment }), ...(signature && { signature }), ...(reason && { reason }), ...(note && { note }) };
    const scheduled = event.medication.deaSchedule !== null || prescription.deaSchedule !== null;
    const recorded = await deliveries.record(em, prescription, pharmacyId, event.eventId, update, { inboxMessageId: message.id }, scheduled);
    message.markProcessed();
    return { status: 'PROCESSED', patientId: prescription.patient.id, created: recorded.applied ? 1 : 0, notes: [] };
  },
  patientOf: (message) => describe(eventOf(message)),
};
