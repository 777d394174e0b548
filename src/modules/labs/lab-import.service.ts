import { LockMode } from '@mikro-orm/core';
import { inCallersTransaction } from '../../db/transactions';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InboxMessage, InboxState } from '../ingest/inbox-message.entity';
import { Organization } from '../organizations/organization.entity';
import { MatchReview } from '../ingest/match-review.entity';
import { demographicsOf, rememberIdentifiersOf } from '../patients/source-identifiers';
import { matchPatients } from '../patients/patient-matching';
import { Patient } from '../patients/patient.entity';
import { LabOrder, LabOrderStatus, labOrderStatusOf } from './lab-order.entity';
import { LabResult } from './lab-result.entity';
import { outboxMessage } from '../../jobs/outbox';
import { insertEntities } from '../../db/insert-entities';
import { CriticalAlert } from './critical-alert.entity';
import { criticalRuleFor, criticalRulesVersion } from './critical-values';
import { lockPatientImports, lockPatientImportsWithin, tryLockPatientImports } from '../ingest/patient-imports-lock';
import { readOru, type OruMessage } from '../ingest/hl7/oru';
import { settleCurrentVersions } from './result-versions';

export type LabImportResult =
  | { status: 'PROCESSED'; patientId: string; created: number; results: LabResult[] }
  | { status: 'HELD'; reviewId: string }
  | { status: 'SKIPPED'; state: InboxState };

/** What a batch's import came to for one message: imported, held, or left for later (its patient's imports run elsewhere). */
export type LabBatchResult = LabImportResult | { status: 'RETRY_LATER' };

/** A stored message read, with the patient it is for. */
interface Matched {
  message: InboxMessage;
  oru: OruMessage;
  patient: Patient;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

const provenanceOf = ({ message, oru }: Matched, source: Organization, sourceRecordId: string) => ({
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
      const [result] = await this.record(tx, source, [{ message, oru, patient }]);
      return result;
    }, inCallersTransaction);
  }

  /**
   * Imports many stored messages awaiting import (locked by the caller, in arrival order) in the
   * caller's transaction, with the same rules as one at a time and a few statements for all of
   * them: patients matched together, their imports locked together, current versions read
   * together, new records written in one round trip (`insertEntities`). A message whose
   * patient's imports are running elsewhere is left for later; none waits.
   */
  async importMany(tx: EntityManager, messages: InboxMessage[]): Promise<Map<string, LabBatchResult>> {
    const outcomes = new Map<string, LabBatchResult>();
    for (const [sourceId, ofSource] of groupBy(messages, (message) => message.sourceOrganizationId!)) {
      const source = tx.getReference(Organization, sourceId);
      const read = ofSource.map((message) => ({ message, oru: readOru(message.body) }));
      const matches = await matchPatients(tx, sourceId, read.map(({ oru }) => oru.patient));
      const matched: Matched[] = [];
      read.forEach(({ message, oru }, index) => {
        const match = matches[index];
        if (match.certain) matched.push({ message, oru, patient: match.patient });
        else outcomes.set(message.id, this.hold(tx, message, source, oru, match.candidateIds));
      });
      const locked = await tryLockPatientImports(tx, [...new Set(matched.map(({ patient }) => patient.id))]);
      const now = matched.filter(({ patient }) => locked.has(patient.id));
      for (const { message } of matched.filter(({ patient }) => !locked.has(patient.id))) outcomes.set(message.id, { status: 'RETRY_LATER' });
      const results = await this.record(tx, source, now);
      now.forEach(({ message }, index) => outcomes.set(message.id, results[index]));
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
   */
  private async record(tx: EntityManager, source: Organization, items: Matched[]): Promise<LabImportResult[]> {
    if (items.length === 0) return [];
    await rememberIdentifiersOf(tx, source, items.map(({ patient, oru }) => ({ patient, identifiers: oru.patient.identifiers })));
    const patients = [...new Set(items.map(({ patient }) => patient))];
    const arrived = items.map((item) =>
      item.oru.results.map(({ setId, ...data }) => new LabResult(item.patient, provenanceOf(item, source, `${item.oru.controlId}/${setId}`), data)),
    );
    const resultKeys = [...new Set(arrived.flat().map((result) => result.resultKey!))];
    const currentResults =
      resultKeys.length === 0 ? [] : await tx.find(LabResult, { patient: { $in: patients }, sourceOrganization: source, resultKey: { $in: resultKeys }, supersededAt: null });
    const currentByPatient = groupBy(currentResults, (result) => result.patient.id);
    items.forEach(({ patient }, index) => {
      const current = currentByPatient.get(patient.id) ?? [];
      settleCurrentVersions(current, arrived[index]);
      currentByPatient.set(patient.id, [...current, ...arrived[index]].filter((result) => result.isCurrent));
    });
    const orders = await this.settleOrders(tx, source, items);
    const alerts = items.flatMap(({ patient }, index) =>
      arrived[index].flatMap((result) => {
        const rule = criticalRuleFor(result);
        return rule ? [new CriticalAlert(patient, result, `${rule.id}@${criticalRulesVersion}`, rule.description)] : [];
      }),
    );
    // New records go in as plain statements; versions they replace are managed, written by the flush.
    await insertEntities(tx, [...arrived.flat(), ...orders, ...alerts, ...alerts.map((alert) => outboxMessage('lab-results', 'critical.raised', { alertId: alert.id }))]);
    return items.map(({ message, patient }, index) => {
      message.markProcessed();
      return { status: 'PROCESSED', patientId: patient.id, created: arrived[index].length, results: arrived[index] };
    });
  }

  /**
   * Where each order stands (OBR-25), also from a status-only message (no results yet): the
   * latest report of an order, by the lab's status time, is current; earlier ones are history.
   * Returns the new reports, for the caller to write.
   */
  private async settleOrders(tx: EntityManager, source: Organization, items: Matched[]): Promise<LabOrder[]> {
    const arrived = items.map((item) =>
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
    const patients = [...new Set(items.map(({ patient }) => patient))];
    const orderIds = [...new Set(arrived.flat().map((order) => order.orderId))];
    const current = await tx.find(LabOrder, { patient: { $in: patients }, sourceOrganization: source, orderId: { $in: orderIds }, supersededAt: null });
    const currentByPatient = groupBy(current, (order) => order.patient.id);
    items.forEach(({ patient }, index) => {
      const earlierOfPatient = currentByPatient.get(patient.id) ?? [];
      for (const order of arrived[index]) {
        for (const earlier of earlierOfPatient.filter((each) => each.orderId === order.orderId)) {
          if (order.isLaterThan(earlier)) earlier.supersede(order);
          else order.supersede(earlier);
        }
      }
      currentByPatient.set(patient.id, [...earlierOfPatient, ...arrived[index]].filter((order) => order.isCurrent));
    });
    return arrived.flat();
  }
}
