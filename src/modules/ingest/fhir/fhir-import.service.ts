import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { inCallersTransaction } from '../../../db/transactions';
import { lockPatientImports, lockPatientImportsWithin } from '../patient-imports-lock';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Bundle, BundleEntry, OperationOutcomeIssue, Patient as FhirPatient, Reference, Resource } from '@medplum/fhirtypes';
import { BadInputError } from '../../../errors';
import { ClinicalRecord } from '../../clinical/clinical-record.entity';
import { DatePrecision } from '../../clinical/date-precision';
import { assertFitsColumns } from '../../../db/find';
import { InboxMessage, InboxState } from '../inbox-message.entity';
import { Organization } from '../../organizations/organization.entity';
import { MatchReview } from '../match-review.entity';
import { demographicsOf, rememberIdentifiers, uniqueIdentifiers } from '../../patients/source-identifiers';
import { matchPatient, type InboundPatient } from '../../patients/patient-matching';
import { Patient } from '../../patients/patient.entity';
import { canonical, fhirIssues, isError, issue, parseFhirDate, resourceIdentities } from './fhir-validation';
import { toRecords, type RecordsFor } from './fhir-mapping';

/**
 * `issues` are what the sender reads of the Bundle: they come from its content alone, the same
 * whether it was imported or held (42 CFR §2.13(c): the sender never learns whether the patient
 * is known here). What the import did for the patient is in the counts, for the hub only.
 */
export type ImportResult =
  | { status: 'PROCESSED'; patientId: string; created: number; updated: number; unchanged: number; issues: OperationOutcomeIssue[] }
  | { status: 'HELD'; reviewId: string; issues: OperationOutcomeIssue[] }
  | { status: 'ALREADY_DONE'; state: InboxState; issues: OperationOutcomeIssue[] };

/** What a FHIR Patient says about who it is, with its birth date as given (it may be "1980" or "1980-06"). */
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

/** The whole birth date, or null when the source knows only its year or month. */
function fullBirthDate(birthDate: string | null): string | null {
  const parsed = birthDate === null ? undefined : parseFhirDate(birthDate, 'date');
  return parsed && 'precision' in parsed && parsed.precision === DatePrecision.DAY ? birthDate : null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Fingerprint of a resource's content; `meta` (version, last updated) changes without the content changing. */
function contentHash(resource: Resource): string {
  const { meta: _meta, ...content } = resource;
  return sha256(canonical(content));
}

/** Room for the key in `sourceRecordId`, leaving some for a component's suffix; longer keys are kept as their hash. */
const longestKey = 160;

const fitted = (type: string, key: string) => (key.length <= longestKey ? key : `${type}#key:${sha256(key)}`);

/**
 * The stable key of an entry's resource at its source, so that a resend, a PUT or a conditional
 * update finds the record it replaces: its business identifier (which a conditional update
 * searches by), else its id (from the resource or the PUT URL), else its content.
 */
export function sourceKey(entry: BundleEntry): string {
  const resource = entry.resource!;
  return fitted(resource.resourceType, resourceIdentities(entry)[0] ?? `${resource.resourceType}#content:${contentHash(resource)}`);
}

/** A record's identity at its source: one current version each. */
const recordKey = (record: ClinicalRecord) => `${record.kind}|${record.sourceRecordId}`;

/** Finds what a reference in an entry points at: a contained resource or another entry of the Bundle. */
function resolverFor(bundle: Bundle, resource: Resource) {
  return (reference: Reference | undefined): Resource | undefined => {
    const target = reference?.reference;
    if (!target) return undefined;
    if (target.startsWith('#')) return ('contained' in resource ? resource.contained : undefined)?.find((each) => each.id === target.slice(1));
    return bundle.entry?.find((entry) => entry.fullUrl === target || (entry.resource && `${entry.resource.resourceType}/${entry.resource.id}` === target))?.resource;
  };
}

/**
 * Imports a validated FHIR Bundle from a primary-care source for one patient, in one
 * transaction: every supported resource becomes a record with provenance, or nothing does.
 * Each record is keyed by source, patient and the resource's stable key: an identical resend
 * changes nothing, changed content becomes the current version and the old one stays as
 * history. A patient not matched with certainty holds the message for review instead.
 */
export class FhirImportService {
  async import(em: EntityManager, sourceOrganizationId: string, messageId: string, bundle: Bundle, reviewedPatientId?: string): Promise<ImportResult> {
    // Validated again: the import reads the stored Bundle later, in the worker or after a review.
    const found = fhirIssues(bundle);
    const refused = found.find(isError);
    if (refused) throw new BadInputError(refused.details?.text ?? 'The Bundle cannot be imported');
    const entries = (bundle.entry ?? []).map((entry, index) => ({ entry, where: `Bundle.entry[${index}].resource` }));
    const fhirPatient = entries.find(({ entry }) => entry.resource?.resourceType === 'Patient')!.entry.resource as FhirPatient;

    return em.transactional(async (tx) => {
      const message = await tx.findOneOrFail(InboxMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!message.awaitsImport(reviewedPatientId !== undefined)) {
        return { status: 'ALREADY_DONE' as const, state: message.state, issues: [issue('information', 'duplicate', `Bundle already ${message.state}; nothing changed`)] };
      }
      const source = tx.getReference(Organization, sourceOrganizationId);
      const { issues, readings, notImported } = this.read(bundle, found, entries, message, source);
      const inbound = describePatient(fhirPatient);
      const patient = reviewedPatientId ? await tx.findOneOrFail(Patient, { id: reviewedPatientId }) : await this.matched(tx, sourceOrganizationId, inbound);
      if ('candidateIds' in patient) {
        const review = new MatchReview(message, source, demographicsOf(inbound), patient.candidateIds);
        tx.persist(review);
        message.markHeld('patient not matched with certainty; waiting for review');
        return { status: 'HELD' as const, reviewId: review.id, issues };
      }
      // One import at a time per patient: two Bundles updating the same record never both insert it.
      // A reviewer's link waits its turn; the queue's import gives its worker slot up after a while.
      if (reviewedPatientId) await lockPatientImports(tx, patient.id);
      else await lockPatientImportsWithin(tx, patient.id);
      await rememberIdentifiers(tx, patient, source, inbound.identifiers);

      const incoming = new Map<string, ClinicalRecord>();
      for (const { recordsFor, where } of readings) {
        for (const record of recordsFor(patient)) {
          assertFitsColumns(tx, record, where);
          // Entries for the same resource hold the same content (validation refused the others): import it once.
          incoming.set(recordKey(record), record);
        }
      }
      const records = [...incoming.values()];
      // The current versions of every resource the Bundle names, imported now or not, in one read.
      const current = await tx.find(ClinicalRecord, {
        patient,
        sourceOrganization: source,
        sourceRecordId: { $in: [...new Set([...notImported, ...records.map((record) => record.sourceRecordId!)])] },
        supersededAt: null,
      });
      this.withdraw(current, notImported);
      const counts = await this.store(tx, current, records);
      message.markProcessed();
      return { status: 'PROCESSED' as const, patientId: patient.id, ...counts, issues };
    }, inCallersTransaction);
  }

  /**
   * What the Bundle says, before its patient is matched: each entry's records (made once the
   * patient is known) and the issues of what is not imported. A resource that cannot be imported
   * at all refuses the Bundle here, whoever the patient turns out to be.
   */
  private read(bundle: Bundle, found: OperationOutcomeIssue[], entries: { entry: BundleEntry; where: string }[], message: InboxMessage, source: Organization) {
    const issues = [...found];
    const readings: { recordsFor: RecordsFor; where: string }[] = [];
    const notImported: string[] = [];
    for (const { entry, where } of entries) {
      if (!entry.resource || entry.resource.resourceType === 'Patient') continue;
      const provenance = {
        sourceOrganization: source,
        sourceSystem: bundle.meta?.source ?? 'fhir',
        sourceRecordId: sourceKey(entry),
        sourceContentHash: contentHash(entry.resource),
        receivedAt: message.receivedAt,
        inboxMessageId: message.id,
      };
      const mapped = toRecords(entry.resource, { provenance, where, resolve: resolverFor(bundle, entry.resource) });
      if (typeof mapped === 'function') {
        readings.push({ recordsFor: mapped, where });
        continue;
      }
      if (isError(mapped)) throw new BadInputError(`${mapped.expression?.[0] ?? where}: ${mapped.details?.text ?? 'invalid'}`);
      issues.push(mapped);
      notImported.push(provenance.sourceRecordId);
    }
    return { issues, readings, notImported };
  }

  /**
   * A resource imported before whose new version is not imported (now entered in error or
   * refuted, say) leaves the chart: its current record is withdrawn, kept as history.
   */
  private withdraw(current: ClinicalRecord[], sourceRecordIds: string[]): void {
    for (const record of current) if (sourceRecordIds.includes(record.sourceRecordId!)) record.withdraw();
  }

  /**
   * Stores what is new or changed (`current`: the patient's current records of the source, those
   * not withdrawn among them); a changed record's current version is superseded by the new one.
   */
  private async store(tx: EntityManager, current: ClinicalRecord[], records: ClinicalRecord[]) {
    const currentByKey = new Map(current.filter((record) => record.isCurrent).map((record) => [recordKey(record), record]));
    const fresh: ClinicalRecord[] = [];
    let updated = 0;
    for (const record of records) {
      const previous = currentByKey.get(recordKey(record));
      if (previous?.sourceContentHash === record.sourceContentHash) continue;
      if (previous) {
        previous.supersede(record);
        updated += 1;
      }
      fresh.push(record);
    }
    // The superseded versions leave the "one current version" index before their successors enter it.
    await tx.flush();
    tx.persist(fresh);
    return { created: fresh.length - updated, updated, unchanged: records.length - fresh.length };
  }

  /** The patient the source means, when certain; a birth date of only a year or month never makes a match certain. */
  private async matched(em: EntityManager, sourceOrganizationId: string, inbound: InboundPatient): Promise<Patient | { candidateIds: string[] }> {
    const birthDate = fullBirthDate(inbound.birthDate);
    const result = await matchPatient(em, sourceOrganizationId, { ...inbound, birthDate });
    if (!result.certain) return { candidateIds: result.candidateIds };
    if (birthDate === null && inbound.birthDate !== null) return { candidateIds: [result.patient.id] };
    return result.patient;
  }
}
