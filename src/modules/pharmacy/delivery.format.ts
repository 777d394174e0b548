import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError } from '../../errors';
import type { BatchImportOutcome, ImportOutcome, InboundFormat, InboundReading } from '../ingest/inbound-format';
import { tryLockPatientImports } from '../ingest/patient-imports-lock';
import type { Prescription } from '../medications/prescription.entity';
import { readInboundText } from '../ingest/inbound-text';
import { InboxMessage, InboxSource } from '../ingest/inbox-message.entity';
import { MatchReview } from '../ingest/match-review.entity';
import { Organization } from '../organizations/organization.entity';
import type { InboundPatient } from '../patients/patient-matching';
import { demographicsOf } from '../patients/source-identifiers';
import { checkDeliveryEvent, withoutNulls, type ContractViolation, type DeliveryEventBody } from './delivery-event.schema';
import { DeliveryService, namesPrescriptionPatient, type PatientLock } from './delivery.service';
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

/** A stored event, checked at the door: read as the check reads it (null as absent). */
const eventOf = (message: InboxMessage) => withoutNulls(JSON.parse(message.body) as DeliveryEventBody);

const describe = (event: DeliveryEventBody): InboundPatient => ({
  identifiers: [{ system: '', value: event.patient.mrn }],
  givenName: null,
  familyName: null,
  birthDate: event.patient.birthDate,
  phone: null,
  postalCode: null,
});

const deliveries = new DeliveryService();

type Found = { message: InboxMessage; event: DeliveryEventBody; prescription: Prescription | null };

/** Each message's event and the prescription it names among those routed to its pharmacy (null: unknown there). */
async function findPrescriptions(em: EntityManager, messages: InboxMessage[]): Promise<Found[]> {
  return Promise.all(
    messages.map(async (message) => {
      const event = eventOf(message);
      return { message, event, prescription: await routedPrescriptionByRef(em, message.sourceOrganizationId!, event.prescriptionRef) };
    }),
  );
}

/** Holds a message whose prescription is unknown to its pharmacy for review. */
function hold(em: EntityManager, message: InboxMessage, event: DeliveryEventBody): ImportOutcome {
  const review = new MatchReview(message, em.getReference(Organization, message.sourceOrganizationId!), demographicsOf(describe(event)), []);
  em.persist(review);
  message.markHeld('prescription not known for this pharmacy; waiting for review');
  return { status: 'HELD', reviewId: review.id, notes: [] };
}

/** Applies a message's event to its prescription's delivery; marking the message is the caller's (a batch's are marked together by the pipeline). */
async function apply(em: EntityManager, { message, event, prescription }: Found & { prescription: Prescription }, lock: PatientLock, reviewed: boolean): Promise<Extract<ImportOutcome, { status: 'PROCESSED' }>> {
  if (!reviewed && !(await namesPrescriptionPatient(em, prescription, event.patient))) {
    throw new BadInputError("The patient the event names is not the prescription's patient");
  }
  const { fillNumber, status, occurredAt, shipment, signature, reason, note } = event;
  const update = { fillNumber, status, occurredAt, ...(shipment && { shipment }), ...(signature && { signature }), ...(reason && { reason }), ...(note && { note }) };
  const scheduled = event.medication.deaSchedule !== null || prescription.deaSchedule !== null;
  const recorded = await deliveries.record(em, prescription, message.sourceOrganizationId!, event.eventId, update, { inboxMessageId: message.id }, scheduled, lock);
  return { status: 'PROCESSED', patientId: prescription.patient.id, created: recorded.applied ? 1 : 0, notes: [] };
}

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
    const [found] = await findPrescriptions(em, [message]);
    const { prescription } = found;
    if (!prescription) {
      if (reviewedPatientId) throw new BadInputError('The prescription this event names is still not routed to its pharmacy');
      return hold(em, message, found.event);
    }
    if (reviewedPatientId && prescription.patient.id !== reviewedPatientId) throw new BadInputError("The prescription is not the reviewed patient's");
    const outcome = await apply(em, { ...found, prescription }, reviewedPatientId ? 'WAIT' : 'WITHIN', reviewedPatientId !== undefined);
    message.markProcessed();
    return outcome;
  },
  /**
   * Many events in one transaction: the patients whose imports it can take now are applied, in the
   * order the queue gave them; the others are left for later (RETRY_LATER), never waited for. An
   * event whose prescription is unknown is imported alone (`import`), which holds it for review.
   */
  async importMany(em, stored) {
    const outcomes = new Map<string, BatchImportOutcome>();
    const messages = await em.find(InboxMessage, { id: { $in: stored.map((message) => message.id) } });
    const found = await findPrescriptions(em, messages);
    const known = found.filter((each): each is Found & { prescription: Prescription } => each.prescription !== null);
    for (const each of found) if (!each.prescription) outcomes.set(each.message.id, { status: 'IMPORT_ALONE' });
    const locked = await tryLockPatientImports(em, [...new Set(known.map(({ prescription }) => prescription.patient.id))]);
    for (const each of known) {
      if (!locked.has(each.prescription.patient.id)) outcomes.set(each.message.id, { status: 'RETRY_LATER' });
      else outcomes.set(each.message.id, await apply(em, each, 'HELD', false));
    }
    return outcomes;
  },
  patientOf: (message) => describe(eventOf(message)),
};
