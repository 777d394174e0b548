import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InboxMessage, InboxState } from '../ingest/inbox-message.entity';
import { Organization } from '../organizations/organization.entity';
import { MatchReview } from '../patients/match-review.entity';
import { demographicsOf, rememberIdentifiers } from '../patients/source-identifiers';
import { matchPatient } from '../patients/patient-matching';
import { Patient } from '../patients/patient.entity';
import { LabResult } from './lab-result.entity';
import { addToOutbox } from '../../jobs/outbox';
import { CriticalAlert } from './critical-alert.entity';
import { criticalRuleFor, criticalRulesVersion } from './critical-values';
import { readOru } from './oru';

export type LabImportResult =
  | { status: 'PROCESSED'; patientId: string; created: number; results: LabResult[] }
  | { status: 'HELD'; reviewId: string }
  | { status: 'SKIPPED'; state: InboxState };

/**
 * Turns a stored ORU^R01 into lab results for its patient, in one transaction. A result that
 * has a newer version (a correction, or a final after a preliminary) is kept in history and
 * marked superseded. A critical result raises an alert, sent to the prescriber through the
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
      await rememberIdentifiers(tx, patient, source, oru.patient.identifiers);

      const results = oru.results.map(
        ({ setId, ...data }) =>
          new LabResult(
            patient,
            { sourceOrganization: source, sourceSystem: oru.sendingApplication || 'hl7v2', sourceRecordId: `${oru.controlId}/${setId}`, receivedAt: message.receivedAt, inboxMessageId: message.id },
            data,
          ),
      );
      const earlier = await tx.find(LabResult, {
        patient,
        sourceOrganization: source,
        resultKey: { $in: results.map((result) => result.resultKey!) },
        supersededAt: null,
      });
      for (const result of results) {
        for (const previous of earlier.filter((each) => each.resultKey === result.resultKey)) previous.supersede(result);
      }
      tx.persist(results);
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
}
