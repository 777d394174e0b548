import { TransactionContext, Utils, wrap, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import type { RequestUser } from '../../auth/request-user';
import { BadInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors';
import { AuditEvent } from '../audit/audit-event.entity';
import type { DisclosureLedger } from '../audit/disclosure-ledger';
import { Consent } from '../consent/consent.entity';
import { DataCategory, Purpose } from '../consent/data-category';
import { PrescriptionRouting } from '../medications/prescription.entity';
import type { Organization } from '../organizations/organization.entity';
import { patientCareLoader, type PatientCareLoader } from '../patients/patient-care';
import type { Patient } from '../patients/patient.entity';
import { asFact, consentsInForceNaming, GrantsLoader } from './grants-loader';
import * as rules from './rules';
import { consentNoLongerInForce, readablePacket, referralListsOf, referralStandingOf, type ReferralFacts, type ReferralSide, type ReferralStanding } from './referral-rules';
import type { AccessBasis, AccessDecision, Reader, RecordFacts, SourceFact } from './rules';

/** What the policy needs to know of a record to decide whether to show it. */
export interface LabelledRecord {
  id: string;
  categories: DataCategory[];
  sourceOrganization: SourceOrganization;
  /** False for a version a later one replaced; such versions are never counted as withheld. */
  isCurrent?: boolean;
  /** The organization whose record this one was made from (see `RecordFacts.derivedFrom`). */
  derivedFrom?: SourceOrganization | null;
}

/** An organization entity, or one read as a plain row with the records it sent. */
type SourceOrganization = Pick<Organization, 'id' | 'kind'>;

/** The organization as the rules see it; an entity not loaded is of unknown kind (so counted as a program). */
function sourceOf(organization: SourceOrganization): SourceFact {
  const known = !Utils.isEntity<Organization>(organization) || wrap(organization).isInitialized();
  return { id: organization.id, kind: known ? organization.kind : null };
}

/** The program whose staff alone may be told of the record (its Part 2 holder), or null when anyone treating the patient may. */
export const part2ProgramOf = (record: LabelledRecord): string | null => rules.part2ProgramOf(factsOf([record])[0]);

/** A prescription as the dispensing rule sees it. */
export interface DispensingRecord {
  patient: { id: string };
  categories: DataCategory[];
  pharmacy: { id: string } | null;
  routing: PrescriptionRouting | null;
}

const dispensingFactsOf = (prescription: DispensingRecord): rules.DispensingFacts => ({
  pharmacyId: prescription.pharmacy?.id ?? null,
  routed: prescription.routing === PrescriptionRouting.ROUTED,
});

/** A record's facts, keeping the record they were read from. */
type Judged<T> = RecordFacts & { item: T };

export function factsOf<T extends LabelledRecord>(records: T[]): Judged<T>[] {
  return records.map((item) => ({
    id: item.id,
    categories: item.categories,
    source: sourceOf(item.sourceOrganization),
    derivedFrom: item.derivedFrom ? sourceOf(item.derivedFrom) : null,
    item,
  }));
}

const itemsOf = <T>(judged: Judged<T>[]): T[] => judged.map(({ item }) => item);

/**
 * The one place services and resolvers ask who may see which categories of which patient's data,
 * for one request: it loads the grants each call needs (`GrantsLoader`, batched and cached), applies
 * the pure rules (`rules.ts`) and writes what was disclosed or left out to the request's ledger.
 * Every read of patient data goes through `disclose` (or `authorize` then `record`),
 * `discloseRecords`, and lists through `patientScope`; resolvers never decide access themselves.
 */
export class AccessPolicy {
  private readonly purposes = new Map<string, Purpose>();
  private readonly grants: GrantsLoader | null;
  private readonly user: Reader | null;

  constructor(
    private readonly em: EntityManager,
    user: RequestUser | null,
    private readonly ledger: DisclosureLedger,
    /** The request's patient care loader, when the request reads patients' care too (the view): then one read serves both. */
    care: PatientCareLoader = patientCareLoader(() => em),
  ) {
    this.user = user && { userId: user.id, role: user.role, organizationId: user.organizationId, patientId: user.patientId };
    this.grants = this.user && new GrantsLoader(em, this.user, care);
  }

  /** The purpose a request states for reading a patient (`patient(id, purpose)`); every field of it is decided and audited under it. */
  readFor(patientId: string, purpose: Purpose): void {
    const stated = this.purposes.get(patientId);
    // One purpose per patient per request: the fields of both would otherwise be decided under one of them.
    if (stated && stated !== purpose) {
      throw new BadInputError('Read a patient for one purpose per request', { patientId, purposes: [stated, purpose] });
    }
    this.purposes.set(patientId, purpose);
  }

  /** The purpose stated for this patient in the request, treatment when none was. */
  purposeFor(patientId: string): Purpose {
    return this.purposes.get(patientId) ?? Purpose.TREATMENT;
  }

  async decide(patientId: string, categories: DataCategory[], purpose: Purpose = this.purposeFor(patientId)): Promise<AccessDecision> {
    return rules.decide(await this.loader().load(patientId), patientId, categories, purpose);
  }

  /** Allows the read of `categories` of a patient or throws FORBIDDEN (CONSENT_REQUIRED for partners); records nothing yet. */
  async authorize(patientId: string, categories: DataCategory[], purpose: Purpose = this.purposeFor(patientId)): Promise<AccessDecision> {
    const decision = await this.decide(patientId, categories, purpose);
    if (decision.denied.length > 0) throw rules.refusal(this.reader(), decision);
    return decision;
  }

  /** Records an authorized disclosure for the request's audit rows. */
  record(decision: AccessDecision): void {
    this.ledger.record(decision);
  }

  /**
   * Allows the read of `categories` of a patient or throws, and records the disclosure. Call it
   * for every patient whose data a response will contain.
   */
  async disclose(patientId: string, categories: DataCategory[], purpose: Purpose = this.purposeFor(patientId)): Promise<AccessDecision> {
    const decision = await this.authorize(patientId, categories, purpose);
    this.record(decision);
    return decision;
  }

  /**
   * Allows the read of `categories` of a patient or throws, then loads the items and records the
   * disclosure only if there are any: an empty answer discloses nothing.
   */
  async discloseIfAny<T>(patientId: string, categories: DataCategory[], load: () => Promise<T[]>): Promise<T[]> {
    const decision = await this.authorize(patientId, categories);
    const items = await load();
    if (items.length > 0) this.record(decision);
    return items;
  }

  /**
   * Records a read of a patient that relies on a consent or an emergency access (say, reading that
   * consent or access), as the reader's decision on the patient with no category disclosed.
   */
  async recordReadUnder(patientId: string, reliance: { consentId: string } | { breakGlassId: string }): Promise<void> {
    this.record({ ...(await this.decide(patientId, [])), ...reliance });
  }

  /** Of `patientIds`, those the reader may see at all (on any basis), in the same order. */
  async patientsSeen(patientIds: string[]): Promise<string[]> {
    const decisions = await Promise.all(patientIds.map((id) => this.decide(id, [], Purpose.TREATMENT)));
    return decisions.filter((decision) => decision.basis !== null).map((decision) => decision.patientId);
  }

  /**
   * Allows acting on a patient's care (changing their enrolment, care team or identifiers) or
   * throws FORBIDDEN: the care team and the program's admins, not the patient themself.
   */
  async requireCareOf(patientId: string): Promise<AccessBasis> {
    const { basis } = await this.decide(patientId, [], Purpose.TREATMENT);
    if (!rules.mayActOnCare(basis)) throw new ForbiddenError("You are not on this patient's care team", { patientId });
    return basis;
  }

  /** The patient themself, their IOP care team or their IOP's admins; others FORBIDDEN. */
  async requireSelfOrCare(patientId: string): Promise<AccessBasis> {
    const { basis } = await this.decide(patientId, [], Purpose.TREATMENT);
    if (!rules.maySeeConsents(basis)) throw new ForbiddenError("You may not see this patient's consents", { patientId });
    return basis;
  }

  /**
   * The audit rows of a patient that are another program's business, for the accounting of
   * disclosures: what that program's staff read, and what partners read under its consents. Staff
   * see only a count of them; the patient (null) sees every row.
   */
  async othersDisclosures(patientId: string): Promise<FilterQuery<AuditEvent> | null> {
    const { role, organizationId } = this.reader();
    if (role === Role.PATIENT) return null;
    if (!organizationId) throw new ForbiddenError('Your account acts for no organization');
    const { programIds, consentIds } = await this.loader().othersBusiness(patientId, organizationId);
    // Never NULL in SQL (a row without organization or consent is not another program's), so it can be negated.
    return {
      $or: [{ organizationId: { $ne: null, $in: programIds } }, { consentId: { $ne: null, $in: consentIds } }],
    };
  }

  /** Narrows a patient query to the patients this user may be shown, revealing nothing about others. */
  async patientScope(purpose: Purpose = Purpose.TREATMENT): Promise<FilterQuery<Patient>> {
    return this.loader().patientScope(purpose);
  }

  /**
   * The enrolments of a patient this user may see, disclosed under TREATMENT_SUMMARY. Staff see
   * those in their own program only: another program's enrolment (perhaps a Part 2 program) is
   * that program's record. Patients see all of theirs; partners those of the programs whose
   * consent lists the treatment summary, each audited under that consent.
   */
  async discloseEnrollments<T extends { program: { id: string } }>(patientId: string, enrollments: T[]): Promise<T[]> {
    const decision = await this.authorize(patientId, [DataCategory.TREATMENT_SUMMARY]);
    const reader = this.reader();
    if (!rules.isPartner(reader)) {
      const shown = enrollments.filter((enrollment) => rules.showsProgramRecord(reader, enrollment.program.id));
      if (shown.length > 0) this.record(decision);
      return shown;
    }
    const grant = await this.loader().load(patientId);
    const shown: T[] = [];
    for (const enrollment of enrollments) {
      const consent = rules.enrollmentConsent(grant, decision.purpose, enrollment.program.id);
      if (!consent) continue;
      shown.push(enrollment);
      this.record({ ...decision, consentId: consent.id });
    }
    return shown;
  }

  /** A program's own records about a patient (enrolments, decisions, notes) are shown to its staff and the patient only. */
  showsProgramRecord(programId: string): boolean {
    return rules.showsProgramRecord(this.reader(), programId);
  }

  /** Whether an identifier its `assigner` gave is shown (see `rules.showsIdentifierFrom`). */
  showsIdentifierFrom(assigner: SourceOrganization | null): boolean {
    return rules.showsIdentifierFrom(this.reader(), assigner && sourceOf(assigner));
  }

  /**
   * Of a patient's `records` (all of one kind, read under `category`), those this user may be
   * shown, disclosed (and so audited) under the category plus every label they carry, each under
   * the consent it relies on. A record with a label the user may not see (SUD not in their
   * consent, another program's Part 2 data) is left out, and the response says so
   * (CONSENT_REQUIRED with a count). Without the category itself a partner still gets the records
   * it sent; otherwise the read is refused, or (`whenClosed: 'LEAVE_OUT'`, an export) the category
   * is reported left out. Only records returned are audited: an empty answer discloses nothing.
   */
  async discloseRecords<T extends LabelledRecord>(
    patientId: string,
    category: DataCategory,
    records: T[],
    /** Picks the records wanted (say, the current plan of each type) among all, before any is withheld. */
    select: (records: T[]) => T[] = (all) => all,
    whenClosed: 'REFUSE' | 'LEAVE_OUT' = 'REFUSE',
  ): Promise<T[]> {
    const reader = this.reader();
    const purpose = this.purposeFor(patientId);
    const grant = await this.loader().load(patientId);
    // Picked before filtering, so a withheld current version is never replaced by an older one.
    const judgement = rules.judgeRecords(reader, grant, patientId, purpose, category, factsOf(select(records)));
    if (judgement.closed) {
      if (judgement.own.length === 0 && whenClosed === 'REFUSE') throw rules.refusal(reader, { ...judgement.decision, denied: [category] });
      this.ledger.leaveOut(patientId, category, rules.closedCategoryReason(category, purpose));
      return itemsOf(judgement.own);
    }
    this.withholdAll(patientId, judgement.withheld);
    return this.recordDisclosed(category, judgement);
  }

  /**
   * Of items about several patients (say, the alerts of a clinician's patients), those whose
   * record `discloseRecords` shows under `category`, patient by patient; the order is kept.
   */
  async discloseAcrossPatients<T, R extends LabelledRecord>(category: DataCategory, items: T[], patientOf: (item: T) => string, recordOf: (item: T) => R): Promise<T[]> {
    const byPatient = new Map<string, T[]>();
    for (const item of items) byPatient.set(patientOf(item), [...(byPatient.get(patientOf(item)) ?? []), item]);
    const shown = new Set<R>();
    for (const [patientId, ofPatient] of byPatient) {
      for (const record of await this.discloseRecords(patientId, category, ofPatient.map(recordOf))) shown.add(record);
    }
    return items.filter((item) => shown.has(recordOf(item)));
  }

  /**
   * One record opened by id (say, from a notification): shown and recorded as `discloseRecords`
   * would show it in its list, or null, reporting nothing, when the reader may not see it, so that
   * the caller answers NOT_FOUND exactly as for an unknown id.
   */
  async openRecord<T extends LabelledRecord>(patientId: string, category: DataCategory, record: T | undefined): Promise<T | null> {
    if (!record) return null;
    const grant = await this.loader().load(patientId);
    const judgement = rules.judgeRecords(this.reader(), grant, patientId, this.purposeFor(patientId), category, factsOf([record]));
    if (judgement.closed && judgement.own.length === 0) return null;
    return this.recordDisclosed(category, { ...judgement, withheld: [] })[0] ?? null;
  }

  /** Records the disclosures a judgement makes, each under the consent it relies on; returns the records shown. */
  private recordDisclosed<T>(category: DataCategory, judgement: rules.RecordsJudgement<Judged<T>>): T[] {
    for (const [consentId, shown] of judgement.disclosed) {
      this.record({ ...judgement.decision, consentId, allowed: [...new Set([category, ...shown.flatMap((record) => record.categories)])], denied: [] });
    }
    return itemsOf([...judgement.own, ...[...judgement.disclosed.values()].flat()]);
  }

  /**
   * The records of a patient this user may be shown at all, recording nothing; each left-out
   * record is reported in the response as CONSENT_REQUIRED.
   */
  async visibleRecords<T extends LabelledRecord>(patientId: string, category: DataCategory, records: T[]): Promise<T[]> {
    const grant = await this.loader().load(patientId);
    const facts = factsOf(records);
    const hidden = rules.hiddenAmong(this.reader(), grant, this.purposeFor(patientId), category, facts);
    this.withholdAll(patientId, hidden);
    const hiddenRecords = new Set(hidden.map(({ record }) => record));
    return itemsOf(facts.filter((record) => !hiddenRecords.has(record)));
  }

  /** Where the reader stands with a referral of a patient, or with referring them (`referral` null): see referral-rules.ts. */
  async referralStanding(patientId: string, referral: ReferralFacts | null): Promise<ReferralStanding> {
    const { basis } = await this.decide(patientId, [], Purpose.TREATMENT);
    return referralStandingOf(this.reader(), referral, basis);
  }

  /**
   * The records of a referral's packet as sent that the reader may read now (`readablePacket`), each
   * disclosure recorded under the consent it relies on, with the patient's demographics the referral
   * itself carries; what is left out is reported.
   */
  discloseReferralPacket<T extends LabelledRecord>(patientId: string, side: ReferralSide, records: T[], sentUnderInForce: rules.ConsentFact[]): T[] {
    const { shown, withheld } = readablePacket(side, factsOf(records), sentUnderInForce);
    this.ledger.record({ patientId, purpose: Purpose.TREATMENT, allowed: [DataCategory.DEMOGRAPHICS], consentId: null, breakGlassId: null });
    for (const [consentId, items] of shown) {
      this.ledger.record({ patientId, purpose: Purpose.TREATMENT, allowed: [...new Set(items.flatMap((item) => item.categories))], consentId, breakGlassId: null });
    }
    // Counted by id: a version sent is missed even when a later one replaced it since.
    if (withheld.length > 0) this.ledger.withhold(patientId, [...new Set(withheld.flatMap((item) => item.categories))], withheld.map(({ id }) => ({ id })), consentNoLongerInForce);
    return itemsOf([...shown.values()].flat());
  }

  /** The organizations whose sent and received referrals the reader lists (see referral-rules.ts). */
  referralLists(): { sentBy: string | null; receivedBy: string | null } {
    return referralListsOf(this.reader());
  }

  /** The pharmacy whose worklist the reader works: their own organization; others FORBIDDEN. */
  dispensingPharmacy(): string {
    const reader = this.reader();
    if (reader.role !== Role.PHARMACIST || !reader.organizationId) throw new ForbiddenError('Only a pharmacy\'s pharmacists work its prescriptions');
    return reader.organizationId;
  }

  /**
   * Of prescriptions (with their patient), those routed to the reader's own pharmacy, each
   * disclosed (and so audited) with what dispensing needs: demographics and the prescription's
   * labels, under the consent in force that covers them when there is one.
   */
  async discloseForDispensing<T extends DispensingRecord>(prescriptions: T[]): Promise<T[]> {
    const reader = this.reader();
    const shown = prescriptions.filter((prescription) => rules.mayDispense(reader, dispensingFactsOf(prescription)));
    // Loaded together: one statement for the page's patients.
    const grants = await Promise.all(shown.map((prescription) => this.loader().load(prescription.patient.id)));
    for (const [index, prescription] of shown.entries()) {
      const patientId = prescription.patient.id;
      const categories = rules.dispensingCategories(prescription.categories);
      const grant = grants[index];
      const consent = rules.closestConsent(rules.consentsForPurpose(grant, Purpose.TREATMENT), categories);
      this.ledger.record({ patientId, purpose: Purpose.TREATMENT, allowed: categories, consentId: consent?.id ?? null, breakGlassId: null });
    }
    return shown;
  }

  /** Allows a pharmacist to act on a prescription routed to their pharmacy, or throws NOT_FOUND, as for an unknown one. */
  requireDispensing(prescription: DispensingRecord, ref: string): void {
    if (!rules.mayDispense(this.reader(), dispensingFactsOf(prescription))) throw new NotFoundError('Prescription', ref);
  }

  private withholdAll<T extends LabelledRecord>(patientId: string, withheld: rules.WithheldRecord<Judged<T>>[]): void {
    for (const { record, categories, reason } of withheld) this.ledger.withhold(patientId, categories, [record.item], reason);
  }

  private reader(): Reader {
    if (!this.user) throw new UnauthenticatedError();
    return this.user;
  }

  private loader(): GrantsLoader {
    if (!this.grants) throw new UnauthenticatedError();
    // The policy reads on the request's own connection. Asked inside a transaction, it waits for a
    // second pooled connection while the transaction holds one: a burst as large as the pool then
    // waits forever. Refused at once instead, so the mistake shows in the first test that makes it.
    const transaction = TransactionContext.getEntityManager(this.em.name);
    if (transaction && transaction !== this.em) {
      throw new Error('The access policy was asked inside a transaction: decide before it (see ClinicalService.record)');
    }
    return this.grants;
  }
}

/** A record the hub sends to an organization by itself, outside any reader's request (a prescription routed to its pharmacy). */
export interface Sending {
  patientId: string;
  record: LabelledRecord;
  recipientOrganizationId: string;
  purpose: Purpose;
}

/**
 * The one policy point for what the hub sends on its own motion: the consent in force under which
 * `record` may go to the recipient organization (`rules.consentForSending`), or null when none
 * covers it. Read in the caller's transaction, so the decision and what follows from it commit together.
 */
export async function consentForSending(em: EntityManager, { patientId, record, recipientOrganizationId, purpose }: Sending): Promise<string | null> {
  const consents = await em.find(Consent, { $and: [{ patient: patientId }, consentsInForceNaming({ organizationId: recipientOrganizationId })] });
  return rules.consentForSending(consents.map(asFact), purpose, factsOf([record])[0])?.id ?? null;
}

/**
 * Audits a sending in the caller's transaction, as the accounting of disclosures shows it: to the
 * recipient organization (read by `recipientRole`), of the record's categories, under the consent,
 * made by `byUserId` (who wrote the record that went), under `operation`.
 */
export function recordSending(
  em: EntityManager,
  sending: Sending & { consentId: string; recipientRole: Role; byUserId: string; operation: string; reference: string },
): void {
  em.persist(
    em.create(AuditEvent, {
      occurredAt: new Date(),
      userId: sending.byUserId,
      role: sending.recipientRole,
      organizationId: sending.recipientOrganizationId,
      patientId: sending.patientId,
      categories: [...sending.record.categories].sort(),
      purpose: sending.purpose,
      consentId: sending.consentId,
      breakGlassId: null,
      operation: sending.operation,
      requestId: sending.reference,
    }),
  );
}
