import { Role } from '../../auth/roles';
import { ConsentRequiredError, type DomainError, ForbiddenError } from '../../errors';
import { DataCategory, Purpose } from '../consent/data-category';
import { OrganizationKind } from '../organizations/organization.entity';

/**
 * The access rules as plain functions of plain facts: who reads (`Reader`), what grants they hold
 * for a patient (`GrantFacts`) and what a record is (`RecordFacts`). No database, no entities:
 * `grants-loader.ts` gathers the facts, `access-policy.ts` applies these rules to a request.
 */

/** Why a user may see a patient's data. */
export type AccessBasis = 'SELF' | 'CARE_TEAM' | 'ADMIN' | 'CONSENT' | 'EMERGENCY';

/** Roles outside the IOP: they see a patient's data only under a consent naming their organization or them. */
export const consentRoles: Role[] = [Role.PCP, Role.PHARMACIST, Role.LAB, Role.LOCAL_PROVIDER];

/**
 * Who reads under a consent naming their organization: partners' staff, and a recipient program's
 * clinicians. Never an organization's admins: managing seats gives no access to patients.
 */
export const consentReaderRoles: Role[] = [...consentRoles, Role.IOP_CLINICIAN];

export interface Reader {
  userId: string;
  role: Role;
  /** The organization the user acts for; null for patients. */
  organizationId: string | null;
  /** The patient record of a PATIENT user; null for staff. */
  patientId: string | null;
}

/**
 * A consent in force that names the reader's organization or the reader: for a partner, what lets
 * it see the patient; for another program's staff, what opens the disclosing program's Part 2 records.
 */
export interface ConsentFact {
  id: string;
  /** The disclosing program. */
  programId: string;
  purpose: Purpose;
  categories: DataCategory[];
}

/** What the reader holds for one patient. */
export interface GrantFacts {
  basis: AccessBasis | null;
  /**
   * The consents in force that name the reader's organization or the reader: for CONSENT, all the
   * reader holds; for staff, other programs' consents naming their program.
   */
  consents: ConsentFact[];
  /** Break-glass access in force (EMERGENCY, or a care-team patient another program treats). */
  breakGlassId: string | null;
}

export const noGrant: GrantFacts = { basis: null, consents: [], breakGlassId: null };

/** The organization a record came from; `kind` null when not known, which counts as a program, to be safe. */
export interface SourceFact {
  id: string;
  kind: OrganizationKind | null;
}

export interface RecordFacts {
  id: string;
  categories: DataCategory[];
  source: SourceFact;
  /**
   * The organization whose record this one was made from, when another's (a pharmacy's fill of a
   * program's prescription): it reveals that record, so Part 2 judges it as that organization's.
   */
  derivedFrom?: SourceFact | null;
}

export interface AccessDecision {
  patientId: string;
  purpose: Purpose;
  basis: AccessBasis | null;
  allowed: DataCategory[];
  denied: DataCategory[];
  /** The consent the disclosure relies on, for partner organizations. */
  consentId: string | null;
  /** The emergency access it relies on, for break-glass. */
  breakGlassId: string | null;
}

/** A record left out of an answer, with the categories and reason to report. */
export interface WithheldRecord<T> {
  record: T;
  categories: DataCategory[];
  reason: string;
}

const allCategories = Object.values(DataCategory);

/** Sources whose SUD records are treatment-program (Part 2) records: programs and local providers (who may run one). */
const programKinds = [OrganizationKind.IOP, OrganizationKind.LOCAL_PROVIDER];

export const notCovered = 'No consent in force covers these records';
// Neutral on purpose: naming SUD or Part 2, or saying the records are another program's, would tell
// the reader the patient is in a substance-use program.
export const part2NotYours = "Some records need the patient's consent to be disclosed to you";

/** The notice for a whole category left out of an answer, which does not say how much it holds. */
export function closedCategoryReason(category: DataCategory, purpose: Purpose): string {
  return `No consent in force lets you see ${category} of this patient for ${purpose}`;
}

export function isPartner(reader: Reader): boolean {
  return consentRoles.includes(reader.role);
}

/** Of `consents`, the one listing most of `labels` (first among equals). */
export function closestConsent(consents: ConsentFact[], labels: DataCategory[]): ConsentFact | undefined {
  const covering = (consent: ConsentFact) => labels.filter((label) => consent.categories.includes(label)).length;
  return [...consents].sort((a, b) => covering(b) - covering(a))[0];
}

/** The reader's consents in force for this patient that were given for `purpose`. */
export function consentsForPurpose(grant: GrantFacts, purpose: Purpose): ConsentFact[] {
  return grant.consents.filter((consent) => consent.purpose === purpose);
}

/** Which of `categories` of a patient the reader may see for `purpose`, and on what basis. */
export function decide(grant: GrantFacts, patientId: string, categories: DataCategory[], purpose: Purpose): AccessDecision {
  let permitted: DataCategory[] = grant.basis ? allCategories : [];
  // In an emergency, everything needed for care; psychotherapy notes stay closed.
  if (grant.basis === 'EMERGENCY') permitted = allCategories.filter((category) => category !== DataCategory.PSYCHOTHERAPY_NOTES);
  let consentId: string | null = null;
  if (grant.basis === 'CONSENT') {
    // Only consents for this purpose; SUD only where listed; psychotherapy notes never.
    const forPurpose = consentsForPurpose(grant, purpose);
    permitted = [...new Set(forPurpose.flatMap((consent) => consent.categories))].filter((category) => category !== DataCategory.PSYCHOTHERAPY_NOTES);
    consentId = closestConsent(forPurpose, categories)?.id ?? null;
  }
  return {
    patientId,
    purpose,
    basis: grant.basis,
    allowed: categories.filter((category) => permitted.includes(category)),
    denied: categories.filter((category) => !permitted.includes(category)),
    consentId,
    breakGlassId: grant.breakGlassId,
  };
}

/** The error for a read the decision denies: partners are told a consent is missing, others are refused. */
export function refusal(reader: Reader, { patientId, denied, purpose }: AccessDecision): DomainError {
  if (isPartner(reader)) {
    return new ConsentRequiredError(`No consent in force lets you see ${denied.join(', ')} of this patient for ${purpose}`, { patientId, categories: denied });
  }
  return new ForbiddenError("You may not see this patient's record", { patientId, categories: denied });
}

/** Acting on a patient's care (enrolment, care team, identifiers, orders): the care team and the program's admins, not the patient. */
export function mayActOnCare(basis: AccessBasis | null): basis is 'CARE_TEAM' | 'ADMIN' {
  return basis === 'CARE_TEAM' || basis === 'ADMIN';
}

/** A patient's consents and accounting of disclosures: the patient, their care team, their program's admins (or an emergency). */
export function maySeeConsents(basis: AccessBasis | null): basis is Exclude<AccessBasis, 'CONSENT'> {
  return basis !== null && basis !== 'CONSENT';
}

/** A program's own records about a patient (enrolments, decisions, notes) are shown to its staff and the patient only. */
export function showsProgramRecord(reader: Reader, programId: string): boolean {
  return reader.role === Role.PATIENT || programId === reader.organizationId;
}

/** Programs and local providers hold Part 2 records; a source of unknown kind counts as one, to be safe. */
export function isProgramSource(source: SourceFact): boolean {
  return source.kind === null || programKinds.includes(source.kind);
}

/**
 * A record number a program assigned says the patient is in its care (perhaps a Part 2
 * program), so it is that program's record; numbers partners assigned are demographics.
 */
export function showsIdentifierFrom(reader: Reader, assigner: SourceFact | null): boolean {
  if (!assigner) return false;
  return !isProgramSource(assigner) || showsProgramRecord(reader, assigner.id);
}

/** A record the reader's own organization sent: showing it to them discloses nothing. */
export function isReadersOwn(reader: Reader, record: RecordFacts): boolean {
  return record.source.id === reader.organizationId;
}

/**
 * Whether a record is another treatment program's Part 2 record, closed to this staff member: SUD
 * data a program or local provider (or an unknown source) holds, other than their own program.
 * What labs, practices and pharmacies send is no program's Part 2 record: every program treating
 * the patient sees it, SUD-labelled included.
 */
export function isPart2RecordOfAnother(reader: Reader, record: RecordFacts): boolean {
  const holder = part2HolderOf(record);
  return record.categories.includes(DataCategory.SUD) && !isReadersOwn(reader, record) && holder.id !== reader.organizationId && isProgramSource(holder);
}

/**
 * The program whose staff alone may hear that a record exists (a notice about it): the holder of a
 * Part 2 record; null when anyone treating the patient may.
 */
export function part2ProgramOf(record: RecordFacts): string | null {
  const holder = part2HolderOf(record);
  return record.categories.includes(DataCategory.SUD) && isProgramSource(holder) ? holder.id : null;
}

/** Whose Part 2 record a record is: the organization it was made from (a fill: the prescriber's), else its source. */
export function part2HolderOf(record: RecordFacts): SourceFact {
  return record.derivedFrom ?? record.source;
}

/**
 * For a partner: the consents in force that may disclose a record. A consent is the disclosing
 * program's (§2.31(a)(2)), so a record a program (or a local provider) holds needs that
 * program's consents; one a lab, practice or pharmacy sent may go under any consent in force.
 */
export function consentsDisclosing(grant: GrantFacts, purpose: Purpose, record: RecordFacts): ConsentFact[] {
  const holder = part2HolderOf(record);
  return consentsForPurpose(grant, purpose).filter((consent) => !isProgramSource(holder) || consent.programId === holder.id);
}

/** Of the consents that may disclose a record, one that lists all its labels (two are never combined for one record). */
export function consentCovering(grant: GrantFacts, purpose: Purpose, record: RecordFacts): ConsentFact | undefined {
  const closest = closestConsent(consentsDisclosing(grant, purpose, record), record.categories);
  return closest && record.categories.every((label) => closest.categories.includes(label)) ? closest : undefined;
}

/**
 * Whether a staff member sees another program's Part 2 record: in an emergency (§2.51, audited with
 * the access), or under that program's consent in force naming their program and listing all the
 * record's labels (the disclosure is audited under it).
 */
function opensPart2RecordOfAnother(grant: GrantFacts, purpose: Purpose, record: RecordFacts): boolean {
  return grant.breakGlassId !== null || consentCovering(grant, purpose, record) !== undefined;
}

/**
 * The records this reader may not be shown at all, with what to report: staff do not see another
 * program's Part 2 records unless in an emergency or under that program's consent; partners do not
 * see records a program holds without a consent from that program. Both are reported under the
 * record's kind (`category`) or its labels without SUD: saying more would tell the reader more.
 */
export function hiddenAmong<T extends RecordFacts>(reader: Reader, grant: GrantFacts, purpose: Purpose, category: DataCategory, records: T[]): WithheldRecord<T>[] {
  if (reader.role === Role.PATIENT) return [];
  const hidden: WithheldRecord<T>[] = [];
  for (const record of records) {
    if (isPartner(reader)) {
      if (!isReadersOwn(reader, record) && consentsDisclosing(grant, purpose, record).length === 0) {
        hidden.push({ record, categories: record.categories.filter((label) => label !== DataCategory.SUD), reason: notCovered });
      }
    } else if (isPart2RecordOfAnother(reader, record) && !opensPart2RecordOfAnother(grant, purpose, record)) {
      hidden.push({ record, categories: [category], reason: part2NotYours });
    }
  }
  return hidden;
}

/**
 * The consent a visible record is disclosed under: for a partner, one consent that lists all its
 * labels (two consents are never combined for one record), as for staff shown another program's
 * Part 2 record outside an emergency; 'NOT_NEEDED' for staff or the patient when their decision
 * allows all its labels. Otherwise the labels missing, to report it withheld.
 */
export function disclosureBasis(
  reader: Reader,
  grant: GrantFacts,
  decision: AccessDecision,
  record: RecordFacts,
): { consent: ConsentFact | 'NOT_NEEDED' } | { missing: DataCategory[] } {
  if (!isPartner(reader)) {
    const missing = record.categories.filter((label) => !decision.allowed.includes(label));
    if (missing.length > 0) return { missing };
    const underConsent = grant.breakGlassId === null && isPart2RecordOfAnother(reader, record) ? consentCovering(grant, decision.purpose, record) : undefined;
    return { consent: underConsent ?? 'NOT_NEEDED' };
  }
  const closest = closestConsent(consentsDisclosing(grant, decision.purpose, record), record.categories);
  const missing = record.categories.filter((label) => !closest?.categories.includes(label));
  return closest && missing.length === 0 ? { consent: closest } : { missing };
}

/** How a list of a patient's records of one kind is answered. */
export interface RecordsJudgement<T> {
  /** The decision on the kind's category plus every label the records carry. */
  decision: AccessDecision;
  /** The category itself is closed to the reader: only `own` may be shown, the rest is left out. */
  closed: boolean;
  /** A partner's own records: they go back to it unrecorded, as showing them discloses nothing of the patient's. */
  own: T[];
  /** The records shown, by the consent each is disclosed under (null: none needed). */
  disclosed: Map<string | null, T[]>;
  /** The records left out, in the order they are reported. */
  withheld: WithheldRecord<T>[];
}

/** Of a patient's `records` of one kind (read under `category`), which are shown, under which consent, and which withheld. */
export function judgeRecords<T extends RecordFacts>(
  reader: Reader,
  grant: GrantFacts,
  patientId: string,
  purpose: Purpose,
  category: DataCategory,
  records: T[],
): RecordsJudgement<T> {
  const decision = decide(grant, patientId, [...new Set([category, ...records.flatMap((record) => record.categories)])], purpose);
  const judgement: RecordsJudgement<T> = { decision, closed: false, own: [], disclosed: new Map(), withheld: [] };
  if (!decision.allowed.includes(category)) {
    // A partner that may see the patient still sees the records it sent itself.
    const own = decision.basis !== null && isPartner(reader) ? records.filter((record) => isReadersOwn(reader, record)) : [];
    return { ...judgement, closed: true, own };
  }
  judgement.withheld = hiddenAmong(reader, grant, purpose, category, records);
  const hidden = new Set(judgement.withheld.map(({ record }) => record));
  for (const record of records.filter((each) => !hidden.has(each))) {
    if (isPartner(reader) && isReadersOwn(reader, record)) {
      judgement.own.push(record);
      continue;
    }
    const basis = disclosureBasis(reader, grant, decision, record);
    if ('missing' in basis) {
      judgement.withheld.push({ record, categories: basis.missing, reason: notCovered });
      continue;
    }
    const key = basis.consent === 'NOT_NEEDED' ? decision.consentId : basis.consent.id;
    judgement.disclosed.set(key, [...(judgement.disclosed.get(key) ?? []), record]);
  }
  return judgement;
}

/**
 * For a partner: the consent under which it sees a program's enrolment (the program's consent
 * listing the treatment summary); staff and the patient need none (`showsProgramRecord`).
 */
export function enrollmentConsent(grant: GrantFacts, purpose: Purpose, programId: string): ConsentFact | undefined {
  return consentsForPurpose(grant, purpose).find((consent) => consent.programId === programId && consent.categories.includes(DataCategory.TREATMENT_SUMMARY));
}

/**
 * Sending a program's record to an organization on the hub's own motion (a prescription routed to
 * its pharmacy) is a disclosure to that organization: only under the record's program's consent
 * in force naming it, given for `purpose` and listing every label of the record (MEDICATIONS, and
 * SUD for MOUD/MAUD); `recipientConsents` are the consents in force naming the recipient.
 */
export function consentForSending(recipientConsents: ConsentFact[], purpose: Purpose, record: RecordFacts): ConsentFact | undefined {
  return consentCovering({ ...noGrant, basis: 'CONSENT', consents: recipientConsents }, purpose, record);
}

/**
 * Who sets an organization's webhook endpoint: its own admins, or a program's admins (who onboard
 * partner organizations) for a partner; never another program's.
 */
export function mayManageEndpoint(reader: Reader, readerOrganizationKind: OrganizationKind | null, organization: SourceFact): boolean {
  if (reader.role !== Role.ADMIN) return false;
  if (reader.organizationId === organization.id) return true;
  return readerOrganizationKind === OrganizationKind.IOP && organization.kind !== null && organization.kind !== OrganizationKind.IOP;
}

/** What the dispensing rule knows of a prescription: the pharmacy it names and whether it was routed (disclosed) to it. */
export interface DispensingFacts {
  pharmacyId: string | null;
  routed: boolean;
}

/**
 * A pharmacist sees a prescription, and acts on it, only once it is routed to their own pharmacy:
 * routing is the disclosure, decided under a consent naming the pharmacy (see the routing).
 */
export function mayDispense(reader: Reader, prescription: DispensingFacts): boolean {
  return reader.role === Role.PHARMACIST && reader.organizationId !== null && prescription.routed && prescription.pharmacyId === reader.organizationId;
}

/** What a pharmacist is shown to dispense a prescription: the patient's name, birth date and address, and the prescription's labels (its allergies travel with MEDICATIONS). */
export function dispensingCategories(prescriptionLabels: DataCategory[]): DataCategory[] {
  return [...new Set([DataCategory.DEMOGRAPHICS, DataCategory.MEDICATIONS, ...prescriptionLabels])];
}
