import { LockMode, type Rel } from '@mikro-orm/core';
import { inCallersTransaction } from '../../db/transactions';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InboxMessage, InboxState, textOf, type StoredMessage } from '../ingest/inbox-message.entity';
import { Organization } from '../organizations/organization.entity';
import { MatchReview } from '../ingest/match-review.entity';
import { demographicsOf, newIdentifiersOf, rememberIdentifiersOf } from '../patients/source-identifiers';
import { matchPatients, matchPatientsByIdentifier } from '../patients/patient-matching';
import { Patient } from '../patients/patient.entity';
import { LabOrder, LabOrderStatus, labOrderStatusOf } from './lab-order.entity';
import { LabResult } from './lab-result.entity';
import { outboxMessage } from '../../jobs/outbox';
import { insertEntities, type PlainStatement } from '../../db/insert-entities';
import type { MarkingOf } from '../ingest/inbound-format';
import { CriticalAlert } from './critical-alert.entity';
import { criticalRuleFor, criticalRulesVersion } from './critical-values';
import { lockPatientImports, lockPatientImportsOfBatch, lockPatientImportsWithin } from '../ingest/patient-imports-lock';
import { readOru, type OruMessage } from '../ingest/hl7/oru';
import { settleCurrentVersions, type ResultVersion } from './result-versions';
import { readCurrentVersions, supersedingStatement } from './stored-versions';
import { ClinicalRecordKind } from '../clinical/clinical-record.entity';

export type LabImportResult =
  | { status: 'PROCESSED'; patientId: string; created: number }
  | { status: 'HELD'; reviewId: string }
  | { status: 'SKIPPED'; state: InboxState };

/**
 * What a batch's import came to for one message: imported; left for later (its patient's imports
 * run elsewhere); or to be imported alone (its identifiers do not name one patient with
 * certainty: it is matched by demographics or held for review, one message at a time).
 */
export type LabBatchResult = Extract<LabImportResult, { status: 'PROCESSED' }> | { status: 'RETRY_LATER' } | { status: 'IMPORT_ALONE' };

/** A stored message read, with the patient it is for. */
interface Matched {
  message: Pick<StoredMessage, 'id' | 'receivedAt'>;
  oru: OruMessage;
  patient: Rel<Patient>;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const provenanceOf = ({ message, oru }: Matched, source: Rel<Organization>, sourceRecordId: string) => ({
  sourceOrganization: source,
  sourceSystem: oru.sendingApplication || 'hl7v2',
  sourceRecordId,
  receivedAt: message.receivedAt,
  inboxMessageId: message.id,
});

/**
 * Turns a stored ORU^R01 into lab results for its patient, in one transaction. Of the versions of
 * one result (preliminary, final, corrections) exactly one is current, the latest by status and
 * the lab's times (see `isLaterVersion`) whatever order they arrive in; the others are kept in
 * history, marked superseded. A critical result raises an alert, sent to the prescriber through the
 * queue. Running it again for a processed message changes nothing.
 */
export class LabImportService {
  async import(em: EntityManager, messageId: string, reviewedPatientId?: string): Promise<LabImportResult> {
    return em.transactional(async (tx) => {
      // Locked: a redelivered job running at the same moment waits, then sees it processed.
      const message = await tx.findOneOrFail(InboxMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!message.awaitsImport(reviewedPatientId !== undefined)) return { status: 'SKIPPED' as const, state: message.state };
      const oru = readOru(message.body);
      const source = tx.getReference(Organization, message.sourceOrganizationId!);

      let patient: Patient;
      if (reviewedPatientId) {
        patient = await tx.findOneOrFail(Patient, { id: reviewedPatientId });
      } else {
        const [match] = await matchPatients(tx, source.id, [oru.patient]);
        if (!match.certain) return this.hold(tx, message, source, oru, match.candidateIds);
        patient = match.patient;
      }
      // A reviewer's link waits its turn; the queue's import gives its worker slot up after a while.
      if (reviewedPatientId) await lockPatientImports(tx, patient.id);
      else await lockPatientImportsWithin(tx, patient.id);
      await rememberIdentifiersOf(tx, source, [{ patient, identifiers: oru.patient.identifiers }]);
      const [created] = await this.record(tx, source, [{ message, oru, patient }]);
      message.markProcessed();
      return { status: 'PROCESSED', patientId: patient.id, created };
    }, inCallersTransaction);
  }

  /**
   * Imports many stored messages awaiting import (locked by the caller, in arrival order) in the
   * caller's transaction, with the same rules as one at a time, a few plain statements for all of
   * them and no entity read: patients matched by identifier together, their imports locked
   * together, current versions read together, new records and superseded versions written in one
   * round trip (`insertEntities`), with the caller's `marking` of the imported messages. A
   * message whose patient's imports run elsewhere for longer than a short wait is left for later,
   * one whose identifiers settle no patient for the import alone.
   */
  async importMany(tx: EntityManager, messages: StoredMessage[], marking?: MarkingOf): Promise<Map<string, LabBatchResult>> {
    const outcomes = new Map<string, LabBatchResult>();
    for (const [sourceId, ofSource] of groupBy(messages, (message) => message.sourceOrganizationId!)) {
      const source = tx.getReference(Organization, sourceId);
      const read = ofSource.map((message) => ({ message, oru: readOru(textOf(message.raw, message.charset)) }));
      const { patientIds, knownToSource } = await matchPatientsByIdentifier(tx, sourceId, read.map(({ oru }) => oru.patient));
      const matched: (Matched & { message: StoredMessage; patientId: string })[] = [];
      read.forEach(({ message, oru }, index) => {
        const patientId = patientIds[index];
        if (patientId) matched.push({ message, oru, patientId, patient: tx.getReference(Patient, patientId) });
        else outcomes.set(message.id, { status: 'IMPORT_ALONE' });
      });
      const locked = await lockPatientImportsOfBatch(tx, [...new Set(matched.map(({ patientId }) => patientId))]);
      const now = matched.filter(({ patientId }) => locked.has(patientId));
      for (const { message } of matched.filter(({ patientId }) => !locked.has(patientId))) outcomes.set(message.id, { status: 'RETRY_LATER' });
      const identifiers = newIdentifiersOf(source, now.map(({ patient, oru }) => ({ patient, identifiers: oru.patient.identifiers })), knownToSource);
      const marks = marking?.(now.map(({ message }) => ({ message, notes: [] }))) ?? [];
      const created = await this.record(tx, source, now, identifiers, marks);
      now.forEach(({ message, patientId }, index) => outcomes.set(message.id, { status: 'PROCESSED', patientId, created: created[index] }));
    }
    return outcomes;
  }

  private hold(tx: EntityManager, message: InboxMessage, source: Organization, oru: OruMessage, candidateIds: string[]): LabImportResult {
    const review = new MatchReview(message, source, demographicsOf(oru.patient), candidateIds);
    tx.persist(review);
    message.markHeld('patient not matched with certainty; waiting for review');
    return { status: 'HELD', reviewId: review.id };
  }

  /**
   * Records the results and orders of matched messages of one source, whose patients' imports
   * the transaction holds: each message settles the versions left current by those before it.
   * The current versions they compete with are read in one plain statement; the new records
   * (with `alsoInsert`), the versions they supersede and `alsoWrite` are written in one round
   * trip. Returns how many results each message brought.
   */
  private async record(tx: EntityManager, source: Rel<Organization>, items: Matched[], alsoInsert: object[] = [], alsoWrite: PlainStatement[] = []): Promise<number[]> {
    if (items.length === 0) return [];
    const arrived = items.map((item) =>
      item.oru.results.map(({ setId, ...data }) => new LabResult(item.patient, provenanceOf(item, source, `${item.oru.controlId}/${setId}`), data)),
    );
    const ordered = items.map((item) =>
      item.oru.orders.map(
        (order) =>
          new LabOrder(item.patient, provenanceOf(item, source, `${item.oru.controlId}/order/${order.orderId}`), {
            orderId: order.orderId,
            testName: order.serviceName || order.serviceCode,
            loincCode: order.serviceCode || null,
            status: labOrderStatusOf[order.resultStatus ?? ''] ?? (order.resultCount > 0 ? LabOrderStatus.RESULTS_IN_PART : LabOrderStatus.ORDERED),
            statusChangedAt: order.statusChangedAt,
            comment: order.comment,
          }),
      ),
    );
    const patientIdOf = (item: Matched) => item.patient.id;
    const stored = await readCurrentVersions(
      tx,
      source.id,
      [...new Set(items.map(patientIdOf))],
      [...new Set(arrived.flat().map((result) => result.resultKey!))],
      [...new Set(ordered.flat().map((order) => order.orderId))],
    );
    const storedByPatient = groupBy(stored, (version) => version.patientId);
    const resultsByPatient = new Map<string, ResultVersion[]>();
    const ordersByPatient = new Map<string, OrderVersion[]>();
    for (const [patientId, versions] of storedByPatient) {
      resultsByPatient.set(patientId, versions.filter((version) => version.kind === ClinicalRecordKind.LAB_RESULT));
      ordersByPatient.set(patientId, versions.filter((version) => version.kind === ClinicalRecordKind.LAB_ORDER));
    }
    items.forEach((item, index) => {
      const patientId = patientIdOf(item);
      const currentResults = resultsByPatient.get(patientId) ?? [];
      settleCurrentVersions(currentResults, arrived[index]);
      resultsByPatient.set(patientId, [...currentResults, ...arrived[index]].filter((result) => result.isCurrent));
      const currentOrders = ordersByPatient.get(patientId) ?? [];
      settleOrderReports(currentOrders, ordered[index]);
      ordersByPatient.set(patientId, [...currentOrders, ...ordered[index]].filter((order) => order.isCurrent));
    });
    const alerts = items.flatMap(({ patient }, index) =>
      arrived[index].flatMap((result) => {
        const rule = criticalRuleFor(result);
        return rule ? [new CriticalAlert(patient, result, `${rule.id}@${criticalRulesVersion}`, rule.description)] : [];
      }),
    );
    // Superseded versions first: a current source record is unique, and the new one may replace one of the same id.
    const superseding = supersedingStatement(stored);
    await insertEntities(
      tx,
      [...alsoInsert, ...arrived.flat(), ...ordered.flat(), ...alerts, ...alerts.map((alert) => outboxMessage('lab-results', 'critical.raised', { alertId: alert.id }))],
      [...(superseding ? [superseding] : []), ...alsoWrite],
    );
    return arrived.map((results) => results.length);
  }
}

/** What deciding which report of an order is current reads and changes: a new LabOrder, or one stored. */
type OrderVersion = Pick<LabOrder, 'id' | 'statusChangedAt' | 'receivedAt' | 'isCurrent'> & { orderId: string | null; supersede(by: { id: string }): void };

/**
 * Where each order stands (OBR-25), also from a status-only message (no results yet): the
 * latest report of an order, by the lab's status time, is current; earlier ones are history.
 */
function settleOrderReports(current: OrderVersion[], arrived: LabOrder[]): void {
  for (const order of arrived) {
    for (const earlier of current.filter((each) => each.orderId === order.orderId)) {
      if (order.isLaterThan(earlier)) earlier.supersede(order);
      else order.supersede(earlier);
    }
  }
}
