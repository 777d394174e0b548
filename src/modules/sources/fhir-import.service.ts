import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Bundle, OperationOutcomeIssue, Patient as FhirPatient, Resource } from '@medplum/fhirtypes';
import { BadInputError } from '../../errors';
import { ClinicalRecord, type ProvenanceInit } from '../clinical/clinical-record.entity';
import { assertFitsColumns } from '../../db/find';
import { InboxMessage, InboxState } from '../ingest/inbox-message.entity';
import { Organization } from '../organizations/organization.entity';
import { MatchReview } from '../patients/match-review.entity';
import { demographicsOf, rememberIdentifiers, uniqueIdentifiers } from '../patients/source-identifiers';
import { matchPatient, type InboundPatient } from '../patients/patient-matching';
import { Patient } from '../patients/patient.entity';
import { issue } from './fhir-validation';
import { toRecord } from './fhir-mapping';

export type ImportResult =
  | { status: 'PROCESSED'; patientId: string; created: number; unchanged: number; issues: OperationOutcomeIssue[] }
  | { status: 'HELD'; reviewId: string; issues: OperationOutcomeIssue[] }
  | { status: 'ALREADY_DONE'; state: InboxState; issues: OperationOutcomeIssue[] };

/** What a FHIR Patient says about who it is. */
export function describePatient(resource: FhirPatient): InboundPatient {
  const name = resource.name?.find((each) => each.use === 'official') ?? resource.name?.[0];
  const address = resource.address?.find((each) => each.use === 'home') ?? resource.address?.[0];
  return {
    identifiers: uniqueIdentifiers((resource.identifier ?? []).map((identifier) => ({ system: identifier.system ?? '', value: identifier.value ?? '' }))),
    givenName: name?.given?.[0] ?? null,
    familyName: name?.family ?? null,
    birthDate: resource.birthDate ?? null,
    phone: resource.telecom?.find((telecom) => telecom.system === 'phone')?.value ?? null,
    postalCode: address?.postalCode ?? null,
  };
}

function subjectOf(resource: Resource): string | undefined {
  if ('patient' in resource && resource.resourceType === 'AllergyIntolerance') return resource.patient?.reference;
  return 'subject' in resource ? (resource.subject as { reference?: string } | undefined)?.reference : undefined;
}

/** A Bundle carries exactly one Patient, and every resource in it is about that patient; the issues when not. */
export function onePatientIssues(bundle: Bundle): OperationOutcomeIssue[] {
  const entries = (bundle.entry ?? []).map((entry, index) => ({ entry, where: `Bundle.entry[${index}].resource` }));
  const patients = entries.filter(({ entry }) => entry.resource?.resourceType === 'Patient');
  if (patients.length !== 1) return [issue('error', 'invalid', 'The Bundle must contain exactly one Patient', 'Bundle.entry')];
  const fhirPatient = patients[0].entry.resource as FhirPatient;
  const patientRefs = new Set([fhirPatient.id ? `Patient/${fhirPatient.id}` : undefined, patients[0].entry.fullUrl].filter(Boolean));
  return entries.flatMap(({ entry, where }) => {
    const subject = entry.resource && entry.resource.resourceType !== 'Patient' ? subjectOf(entry.resource) : undefined;
    return subject !== undefined && !patientRefs.has(subject)
      ? [issue('error', 'invalid', `The resource is about another patient (${subject}); a Bundle carries one patient`, where)]
      : [];
  });
}

/**
 * Imports a validated FHIR Bundle from a primary-care source for one patient, in one
 * transaction: every supported resource becomes a record with provenance, or nothing does.
 * A patient not matched with certainty holds the message for review instead.
 */
export class FhirImportService {
  async import(em: EntityManager, sourceOrganizationId: string, messageId: string, bundle: Bundle, reviewedPatientId?: string): Promise<ImportResult> {
    const [problem] = onePatientIssues(bundle);
    if (problem) throw new BadInputError(problem.details!.text!);
    const entries = (bundle.entry ?? []).map((entry, index) => ({ entry, where: `Bundle.entry[${index}].resource` }));
    const fhirPatient = entries.find(({ entry }) => entry.resource?.resourceType === 'Patient')!.entry.resource as FhirPatient;

    return em.transactional(async (tx) => {
      const message = await tx.findOneOrFail(InboxMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!message.awaitsImport(reviewedPatientId !== undefined)) {
        return { status: 'ALREADY_DONE' as const, state: message.state, issues: [issue('information', 'duplicate', `Bundle already ${message.state}; nothing changed`)] };
      }
      const source = tx.getReference(Organization, sourceOrganizationId);
      const inbound = describePatient(fhirPatient);
      const patient = reviewedPatientId ? await tx.findOneOrFail(Patient, { id: reviewedPatientId }) : await this.matched(tx, sourceOrganizationId, inbound);
      if ('candidateIds' in patient) {
        const review = new MatchReview(message, source, demographicsOf(inbound), patient.candidateIds);
        tx.persist(review);
        message.markHeld('patient not matched with certainty; waiting for review');
        return { status: 'HELD' as const, reviewId: review.id, issues: [issue('information', 'informational', `Held for patient review ${review.id}`)] };
      }
      await rememberIdentifiers(tx, patient, source, inbound.identifiers);

      const provenance = (resource: Resource): ProvenanceInit => ({
        sourceOrganization: source,
        sourceSystem: bundle.meta?.source ?? 'fhir',
        sourceRecordId: resource.id ? `${resource.resourceType}/${resource.id}` : null,
        receivedAt: message.receivedAt,
        inboxMessageId: message.id,
      });
      const issues: OperationOutcomeIssue[] = [];
      const records: ClinicalRecord[] = [];
      for (const { entry, where } of entries) {
        if (!entry.resource || entry.resource.resourceType === 'Patient') continue;
        const mapped = toRecord(entry.resource, patient, provenance(entry.resource), where);
        if (mapped instanceof ClinicalRecord) {
          assertFitsColumns(tx, mapped, where);
          records.push(mapped);
        }
        else issues.push(mapped);
      }
      const sourceIds = records.map((record) => record.sourceRecordId).filter((id): id is string => id !== null);
      const known = new Set(
        (await tx.find(ClinicalRecord, { sourceOrganization: source, sourceRecordId: { $in: sourceIds } })).map(
          (record) => `${record.kind}|${record.sourceRecordId}`,
        ),
      );
      const fresh = records.filter((record) => !known.has(`${record.kind}|${record.sourceRecordId}`));
      tx.persist(fresh);
      message.markProcessed();
      return { status: 'PROCESSED' as const, patientId: patient.id, created: fresh.length, unchanged: records.length - fresh.length, issues };
    });
  }

  private async matched(em: EntityManager, sourceOrganizationId: string, inbound: InboundPatient): Promise<Patient | { candidateIds: string[] }> {
    const result = await matchPatient(em, sourceOrganizationId, inbound);
    return result.certain ? result.patient : { candidateIds: result.candidateIds };
  }

}
