import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InboxMessage, InboxState } from '../ingest/inbox-message.entity';
import { Organization } from '../organizations/organization.entity';
import { MatchReview } from '../ingest/match-review.entity';
import { demographicsOf, rememberIdentifiers } from '../patients/source-identifiers';
import { matchPatient } from '../patients/patient-matching';
import { Patient } from '../patients/patient.entity';
import { LabOrder, LabOrderStatus, labOrderStatusOf } from './lab-order.entity';
import { LabResult } from './lab-result.entity';
import { addToOutbox } from '../../jobs/outbox';
import { CriticalAlert } from './critical-alert.entity';
import { criticalRuleFor, criticalRulesVersion } from './critical-values';
import { lockPatientImports, lockPatientImportsWithin } from '../ingest/patient-imports-lock';
import { readOru, type OruMessage } from '../ingest/hl7/oru';
import { settleCurrentVersions } from './result-versions';

export type LabImportResult =
  | { status: 'PROCESSED'; patientId: string; created: number; results: LabResult[] }
  | { status: 'HELD'; reviewId: string }
  | { status: 'SKIPPED'; state: InboxState };

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
        const match = await matchPatient(tx, source.id, oru.patient);
        if (!match.certain) {
          const review = new MatchReview(message, source, demographicsOf(oru.patient), match.candidateIds);
          tx.persist(review);
          message.markHeld('patient not matched with certainty; waiting for review');
          return { status: 'HELD' as const, reviewId: review.id };
        }
        patient = match.patient;
      }
      // A reviewer's link waits its turn; the queue's import gives its worker slot up after a while.
      if (reviewedPatientId) await lockPatientImports(tx, patient.id);
      else await lockPatientImportsWithin(tx, patient.id);
      await rememberIdentifiers(tx, patient, source, oru.patient.identifiers);

      const results = oru.results.map(
        ({ setId, ...data }) =>
          new LabResult(
            patient,
            { sourceOrganization: source, sourceSystem: oru.sendingApplication || 'hl7v2', sourceRecordId: `${oru.controlId}/${setId}`, receivedAt: message.receivedAt, inboxMessageId: message.id },
            data,
          ),
      );
      const currentVersions = await tx.find(LabResult, {
        patient,
        sourceOrganization: source,
        resultKey: { $in: results.map((result) => result.resultKey!) },
        supersededAt: null,
      });
      settleCurrentVersions(currentVersions, results);
      tx.persist(results);
      await this.recordOrders(tx, patient, source, oru, message);
      for (const result of results) {
        const rule = criticalRuleFor(result);
        if (!rule) continue;
        const alert = new CriticalAlert(patient, result, `${rule.id}@${criticalRulesVersion}`, rule.description);
        tx.persist(alert);
        addToOutbox(tx, 'lab-results', 'critical.raised', { alertId: alert.id });
      }
      message.markProcessed();
      return { status: 'PROCESSED' as const, patientId: patient.id, created: results.length, results };
    });
  }

  /**
   * Keeps where each order stands (OBR-25), also from a status-only message (no results yet): the
   * latest report of an order, by the lab's status time, is current; earlier ones are history.
   */
  private async recordOrders(tx: EntityManager, patient: Patient, source: Organization, oru: OruMessage, message: InboxMessage): Promise<void> {
    const orders = oru.orders.map(
      (order) =>
        new LabOrder(
          patient,
          { sourceOrganization: source, sourceSystem: oru.sendingApplication || 'hl7v2', sourceRecordId: `${oru.controlId}/order/${order.orderId}`, receivedAt: message.receivedAt, inboxMessageId: message.id },
          {
            orderId: order.orderId,
            testName: order.serviceName || order.serviceCode,
            loincCode: order.serviceCode || null,
            status: labOrderStatusOf[order.resultStatus ?? ''] ?? (order.resultCount > 0 ? LabOrderStatus.RESULTS_IN_PART : LabOrderStatus.ORDERED),
            statusChangedAt: order.statusChangedAt,
            comment: order.comment,
          },
        ),
    );
    const current = await tx.find(LabOrder, { patient, sourceOrganization: source, orderId: { $in: orders.map((order) => order.orderId) }, supersededAt: null });
    for (const order of orders) {
      for (const earlier of current.filter((each) => each.orderId === order.orderId)) {
        if (order.isLaterThan(earlier)) earlier.supersede(order);
        else order.supersede(earlier);
      }
    }
    tx.persist(orders);
  }
}
