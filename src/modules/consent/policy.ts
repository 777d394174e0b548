import DataLoader from 'dataloader';
import { wrap, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Role } from '../../auth/roles';
import type { RequestUser } from '../../auth/request-user';
import { isUuid } from '../../db/find';
import { BadInputError, ConsentRequiredError, type DomainError, ForbiddenError, UnauthenticatedError } from '../../errors';
import type { AuditEvent } from '../audit/audit-event.entity';
import type { DisclosureLog } from '../audit/disclosure-log';
import { Enrollment, EnrollmentStatus } from '../patients/enrollment.entity';
import type { Patient } from '../patients/patient.entity';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { BreakGlassAccess } from './break-glass.entity';
import { Consent, ConsentStatus } from './consent.entity';
import { DataCategory, Purpose } from './data-category';

/** Why a user may see a patient's data. */
export type AccessBasis = 'SELF' | 'CARE_TEAM' | 'ADMIN' | 'CONSENT' | 'EMERGENCY';

/** Roles outside the IOP: they see a patient's data only under a consent naming their organization or them. */
export const consentRoles: Role[] = [Role.PCP, Role.PHARMACIST, Role.LAB, Role.LOCAL_PROVIDER];

interface Grant {
  basis: AccessBasis | null;
  /** For CONSENT: the consents in force that name the user's organization or the user. */
  consents: Consent[];
  /** Break-glass access in force (EMERGENCY, or a care-team patient another program treats). */
  breakGlassId?: string;
}

/** Of `consents`, the one listing most of `labels` (first among equals). */
function closestConsent(consents: Consent[], labels: DataCategory[]): Consent | undefined {
  const covering = (consent: Consent) => labels.filter((label) => consent.categories.includes(label)).length;
  return [...consents].sort((a, b) => covering(b) - covering(a))[0];
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

const allCategories = Object.values(DataCategory);

/** Items left out of a response, reported to the client so a list never pretends to be complete. */
export interface Withholding {
  patientId: string;
  categories: DataCategory[];
  /** How many records; null when a whole category is closed, whose size is not the reader's business. */
  count: number | null;
  reason: string;
}

/** What the policy needs to know of a record to decide whether to show it. */
export interface LabelledRecord {
  id: string;
  categories: DataCategory[];
  sourceOrganization: Organization;
  /** False for a version a later one replaced; such versions are never counted as withheld. */
  isCurrent?: boolean;
}

/** A withholding being gathered: the distinct records left out (null for a whole closed category). */
interface WithheldEntry {
  patientId: string;
  categories: DataCategory[];
  recordIds: Set<string> | null;
  reason: string;
}

/** Sources whose SUD records are treatment-program (Part 2) records: programs and local providers (who may run one). */
const programKinds = [OrganizationKind.IOP, OrganizationKind.LOCAL_PROVIDER];

const notCovered = 'No consent in force covers these records';
// Neutral on purpose: naming SUD or Part 2, or saying the records are another program's, would tell
// the reader the patient is in a substance-use program.
const part2NotYours = "Some records need the patient's consent to be disclosed to you";

/**
 * The one place that decides who may see which categories of which patient's data. Every read of
 * patient data goes through `disclose` (or `authorize` then `record`), and lists through
 * `patientScope`; resolvers never decide access themselves. One instance per request: it caches
 * its look-ups and batches them across the patients of a list.
 *
 * Today: the patient's active care team in the clinician's own IOP, the patient themself, and
 * admins for patients of their own IOP see the record; everyone else is refused with FORBIDDEN.
 * Consent-based access extends this class.
 */
export class AccessPolicy {
  private readonly grantByPatient: DataLoader<string, Grant>;
  private readonly withheld = new Map<string, WithheldEntry>();
  private readonly purposes = new Map<string, Purpose>();
  /** The grants looked up so far, for the rules that read them synchronously (see `visibleRecords`). */
  private readonly grants = new Map<string, Grant>();

  constructor(
    private readonly em: EntityManager,
    private readonly user: RequestUser | null,
    private readonly disclosures: DisclosureLog,
  ) {
    this.grantByPatient = new DataLoader(async (patientIds) => {
      const grants = await this.grantsFor([...patientIds]);
      patientIds.forEach((id, index) => this.grants.set(id, grants[index]));
      return grants;
    });
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
    this.requireUser();
    const grant: Grant = isUuid(patientId) ? await this.grantByPatient.load(patientId) : { basis: null, consents: [] };
    let permitted: DataCategory[] = grant.basis ? allCategories : [];
    // In an emergency, everything needed for care; psychotherapy notes stay closed.
    if (grant.basis === 'EMERGENCY') permitted = allCategories.filter((category) => category !== DataCategory.PSYCHOTHERAPY_NOTES);
    let consentId: string | null = null;
    if (grant.basis === 'CONSENT') {
      // Only consents for this purpose; SUD only where listed; psychotherapy notes never.
      const forPurpose = this.consentsFor(patientId, purpose);
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
      breakGlassId: grant.breakGlassId ?? null,
    };
  }

  /** Allows the read of `categories` of a patient or throws FORBIDDEN; records nothing yet. */
  async authorize(patientId: string, categories: DataCategory[], purpose: Purpose = this.purposeFor(patientId)): Promise<AccessDecision> {
    const decision = await this.decide(patientId, categories, purpose);
    if (decision.denied.length > 0) throw this.refusal(decision);
    return decision;
  }

  private refusal({ patientId, denied, purpose }: AccessDecision): DomainError {
    if (this.isPartner()) {
      return new ConsentRequiredError(`No consent in force lets you see ${denied.join(', ')} of this patient for ${purpose}`, { patientId, categories: denied });
    }
    return new ForbiddenError("You may not see this patient's record", { patientId, categories: denied });
  }

  /** Records an authorized disclosure for the request's audit rows. */
  record(decision: AccessDecision): void {
    this.disclosures.record(decision);
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
   * Allows acting on a patient's care (changing their enrolment, care team or identifiers) or
   * throws FORBIDDEN: the care team and the program's admins, not the patient themself.
   */
  async requireCareOf(patientId: string): Promise<AccessBasis> {
    const { basis } = await this.decide(patientId, [], Purpose.TREATMENT);
    if (basis !== 'CARE_TEAM' && basis !== 'ADMIN') {
      throw new ForbiddenError("You are not on this patient's care team", { patientId });
    }
    return basis;
  }

  /** The patient themself, their IOP care team or their IOP's admins; others FORBIDDEN. */
  async requireSelfOrCare(patientId: string): Promise<AccessBasis> {
    const { basis } = await this.decide(patientId, [], Purpose.TREATMENT);
    if (basis === null || basis === 'CONSENT') throw new ForbiddenError("You may not see this patient's consents", { patientId });
    return basis;
  }

  /**
   * The audit rows of a patient that are another program's business, for the accounting of
   * disclosures: what that program's staff read, and what partners read under its consents. Staff
   * see only a count of them; the patient (null) sees every row.
   */
  async othersDisclosures(patientId: string): Promise<FilterQuery<AuditEvent> | null> {
    const { role, organizationId } = this.requireUser();
    if (role === Role.PATIENT) return null;
    if (!organizationId) throw new ForbiddenError('Your account acts for no organization');
    const otherPrograms = await this.em.find(Organization, { kind: OrganizationKind.IOP, id: { $ne: organizationId } }, { fields: ['id'] });
    const otherConsents = await this.em.find(Consent, { patient: patientId, program: { $ne: organizationId } }, { fields: ['id'] });
    // Never NULL in SQL (a row without organization or consent is not another program's), so it can be negated.
    return {
      $or: [
        { organizationId: { $ne: null, $in: otherPrograms.map((program) => program.id) } },
        { consentId: { $ne: null, $in: otherConsents.map((consent) => consent.id) } },
      ],
    };
  }

  /**
   * Narrows a patient query to the patients this user may be shown, revealing nothing about
   * others: a partner lists only the patients whose consent in force names it (or them), lists
   * DEMOGRAPHICS and is for the purpose of the read.
   */
  async patientScope(purpose: Purpose = Purpose.TREATMENT): Promise<FilterQuery<Patient>> {
    const user = this.requireUser();
    if (this.isPartner()) {
      // Only consents that let the partner see who the patient is, for the purpose they read for.
      const consents = await this.em.find(
        Consent,
        { $and: [this.consentsInForce(user), { purpose, categories: { $contains: [DataCategory.DEMOGRAPHICS] } }] },
        { fields: ['patient'] },
      );
      return { id: { $in: [...new Set(consents.map((consent) => consent.patient.id))] } };
    }
    switch (user.role) {
      case Role.ADMIN:
        return { enrollments: { program: user.organizationId } };
      case Role.PATIENT:
        if (!user.patientId) throw new ForbiddenError('Your account is not linked to a patient record');
        return { id: user.patientId };
      case Role.IOP_CLINICIAN:
        return {
          enrollments: {
            status: EnrollmentStatus.ACTIVE,
            program: user.organizationId,
            careTeam: { user: user.id, removedAt: null },
          },
        };
      default:
        throw new ForbiddenError('Your role may not list patients');
    }
  }

  /**
   * The enrolments of a patient this user may see, disclosed under TREATMENT_SUMMARY. Staff see
   * those in their own program only: another program's enrolment (perhaps a Part 2 program) is
   * that program's record. Patients see all of theirs; partners those of the programs whose
   * consent lists the treatment summary, each audited under that consent.
   */
  async discloseEnrollments(patientId: string, enrollments: Enrollment[]): Promise<Enrollment[]> {
    const decision = await this.authorize(patientId, [DataCategory.TREATMENT_SUMMARY]);
    if (!this.isPartner()) {
      const shown = enrollments.filter((enrollment) => this.showsProgramRecord(enrollment.program.id));
      if (shown.length > 0) this.record(decision);
      return shown;
    }
    const shown: Enrollment[] = [];
    for (const enrollment of enrollments) {
      const consent = this.consentsFor(patientId).find(
        (each) => each.program.id === enrollment.program.id && each.categories.includes(DataCategory.TREATMENT_SUMMARY),
      );
      if (!consent) continue;
      shown.push(enrollment);
      this.record({ ...decision, consentId: consent.id });
    }
    return shown;
  }

  /** A program's own records about a patient (enrolments, decisions, notes) are shown to its staff and the patient only. */
  showsProgramRecord(programId: string): boolean {
    const user = this.requireUser();
    return user.role === Role.PATIENT || programId === user.organizationId;
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
    // Deciding first also loads what the visibility rules need to know of the patient.
    const general = await this.decide(patientId, [...new Set([category, ...records.flatMap((item) => item.categories)])]);
    // Picked before filtering, so a withheld current version is never replaced by an older one.
    const wanted = select(records);
    if (!general.allowed.includes(category)) return this.discloseOwnRecordsOnly(patientId, category, wanted, general, whenClosed);
    const hidden = this.hiddenAmong(patientId, category, wanted);
    for (const [item, why] of hidden) this.withhold(patientId, why.categories, [item], why.reason);
    const shownUnder = new Map<string | null, T[]>();
    // A partner's own records go back to it unrecorded: showing them discloses nothing of the patient's.
    const own: T[] = [];
    for (const item of wanted.filter((record) => !hidden.has(record))) {
      if (this.isPartner() && this.isReadersOwn(item)) {
        own.push(item);
        continue;
      }
      const consent = this.consentFor(patientId, item, general.allowed);
      if (consent === null) continue;
      const key = consent === 'NOT_NEEDED' ? general.consentId : consent.id;
      shownUnder.set(key, [...(shownUnder.get(key) ?? []), item]);
    }
    for (const [consentId, items] of shownUnder) this.recordRecords(general, consentId, category, items);
    return [...own, ...[...shownUnder.values()].flat()];
  }

  /**
   * A category closed to the reader: a partner that may see the patient still sees the records it
   * sent itself (showing them discloses nothing, so nothing is recorded); the rest of the category
   * is left out. With none of its own, the read is refused unless the caller leaves the category out.
   */
  private async discloseOwnRecordsOnly<T extends LabelledRecord>(
    patientId: string,
    category: DataCategory,
    wanted: T[],
    general: AccessDecision,
    whenClosed: 'REFUSE' | 'LEAVE_OUT',
  ): Promise<T[]> {
    const own = general.basis !== null && this.isPartner() ? wanted.filter((record) => this.isReadersOwn(record)) : [];
    if (own.length === 0 && whenClosed === 'REFUSE') throw this.refusal({ ...general, denied: [category] });
    this.leaveOut(patientId, category);
    return own;
  }

  private recordRecords(decision: AccessDecision, consentId: string | null, category: DataCategory, records: LabelledRecord[]): void {
    this.record({ ...decision, consentId, allowed: [...new Set([category, ...records.flatMap((item) => item.categories)])], denied: [] });
  }

  /**
   * The consent a visible record is disclosed under: for a partner, one consent that lists all
   * its labels (two consents are never combined for one record); 'NOT_NEEDED' for staff or the
   * patient when `permitted` (their decision) holds all its labels.
   * Otherwise the record is withheld (reported with the labels missing) and null returned.
   */
  private consentFor(patientId: string, record: LabelledRecord, permitted: DataCategory[]): Consent | 'NOT_NEEDED' | null {
    if (!this.isPartner()) {
      const missing = record.categories.filter((label) => !permitted.includes(label));
      if (missing.length === 0) return 'NOT_NEEDED';
      this.withhold(patientId, missing, [record], notCovered);
      return null;
    }
    const closest = closestConsent(this.consentsDisclosing(patientId, record), record.categories);
    const missing = record.categories.filter((label) => !closest?.categories.includes(label));
    if (closest && missing.length === 0) return closest;
    this.withhold(patientId, missing, [record], notCovered);
    return null;
  }

  /**
   * For a partner: the consents in force that may disclose a record. A consent is the disclosing
   * program's (§2.31(a)(2)), so a record a program (or a local provider) holds needs that
   * program's consents; one a lab, practice or pharmacy sent may go under any consent in force.
   */
  private consentsDisclosing(patientId: string, record: LabelledRecord): Consent[] {
    return this.consentsFor(patientId).filter((consent) => !this.isProgramSource(record.sourceOrganization) || consent.program.id === record.sourceOrganization.id);
  }

  /** The partner's consents in force for this patient, for the purpose of the read. */
  private consentsFor(patientId: string, purpose = this.purposeFor(patientId)): Consent[] {
    return (this.grants.get(patientId)?.consents ?? []).filter((consent) => consent.purpose === purpose);
  }

  /** Programs and local providers hold Part 2 records; an organization not loaded counts as one, to be safe. */
  private isProgramSource(source: Organization): boolean {
    return !wrap(source).isInitialized() || programKinds.includes(source.kind);
  }

  private isPartner(): boolean {
    return consentRoles.includes(this.requireUser().role);
  }

  /**
   * A record number a program assigned says the patient is in its care (perhaps a Part 2
   * program), so it is that program's record; numbers partners assigned are demographics.
   */
  showsIdentifierFrom(assigner: Organization | null): boolean {
    if (!assigner) return false;
    return !this.isProgramSource(assigner) || this.showsProgramRecord(assigner.id);
  }

  /**
   * The records of a patient this user may be shown at all; call it once the patient was decided
   * on (`decide`, `authorize`, `disclose`). Each left-out record is counted in `withholdings`,
   * which the response reports as CONSENT_REQUIRED.
   */
  visibleRecords<T extends LabelledRecord>(patientId: string, category: DataCategory, records: T[]): T[] {
    const hidden = this.hiddenAmong(patientId, category, records);
    for (const [record, why] of hidden) this.withhold(patientId, why.categories, [record], why.reason);
    return records.filter((record) => !hidden.has(record));
  }

  /**
   * The records this user may not be shown at all, with what to report: staff do not see
   * another program's Part 2 records (see `isPart2RecordOfAnother`) unless in an emergency;
   * partners do not see records a program holds without a consent from that program. Both are
   * reported under the record's kind (`category`) only: their labels would tell more.
   */
  private hiddenAmong<T extends LabelledRecord>(patientId: string, category: DataCategory, records: T[]): Map<T, { categories: DataCategory[]; reason: string }> {
    const hidden = new Map<T, { categories: DataCategory[]; reason: string }>();
    const user = this.requireUser();
    if (user.role === Role.PATIENT) return hidden;
    for (const record of records) {
      if (this.isPartner()) {
        if (!this.isReadersOwn(record) && this.consentsDisclosing(patientId, record).length === 0) {
          hidden.set(record, { categories: record.categories.filter((label) => label !== DataCategory.SUD), reason: notCovered });
        }
      } else if (this.grants.get(patientId)?.breakGlassId === undefined && this.isPart2RecordOfAnother(record)) {
        // A medical emergency (§2.51) opens other programs' Part 2 records too, audited with the access.
        hidden.set(record, { categories: [category], reason: part2NotYours });
      }
    }
    return hidden;
  }

  /** A record the reader's own organization sent: showing it to them discloses nothing. */
  private isReadersOwn(record: LabelledRecord): boolean {
    return record.sourceOrganization.id === this.requireUser().organizationId;
  }

  /**
   * Whether a record is another treatment program's Part 2 record, closed to this staff member: SUD
   * data a program or local provider (or an unknown source) holds, other than their own program.
   * What labs, practices and pharmacies send is no program's Part 2 record: every program treating
   * the patient sees it, SUD-labelled included.
   */
  private isPart2RecordOfAnother(record: LabelledRecord): boolean {
    const source = record.sourceOrganization;
    return record.categories.includes(DataCategory.SUD) && source.id !== this.requireUser().organizationId && this.isProgramSource(source);
  }

  /** Records left out of the response, reported as CONSENT_REQUIRED naming the categories and counting distinct records. */
  withhold(patientId: string, categories: DataCategory[], records: { id: string; isCurrent?: boolean }[], reason = notCovered): void {
    // A version a later one replaced is not a record the reader misses.
    const current = records.filter((record) => record.isCurrent !== false);
    if (current.length === 0) return;
    const key = `${patientId}|${[...categories].sort().join(',')}|${reason}`;
    const entry = this.withheld.get(key) ?? { patientId, categories: [...categories].sort(), recordIds: new Set<string>(), reason };
    for (const record of current) entry.recordIds?.add(record.id);
    this.withheld.set(key, entry);
  }

  /** Reports a whole category left out of a response (say, an export), without saying how much it holds. */
  leaveOut(patientId: string, category: DataCategory): void {
    const reason = `No consent in force lets you see ${category} of this patient for ${this.purposeFor(patientId)}`;
    this.withheld.set(`${patientId}|${category}|closed`, { patientId, categories: [category], recordIds: null, reason });
  }

  get withholdings(): Withholding[] {
    return [...this.withheld.values()].map(({ recordIds, ...entry }) => ({ ...entry, count: recordIds?.size ?? null }));
  }

  /** Consents in force that name the user's organization or the user personally. */
  private consentsInForce(user: RequestUser, now = new Date()): FilterQuery<Consent> {
    const namesRecipient: FilterQuery<Consent>[] = [{ recipientUserIds: { $contains: [user.id] } }];
    if (user.organizationId) namesRecipient.push({ recipientOrganizationIds: { $contains: [user.organizationId] } });
    return {
      status: ConsentStatus.ACTIVE,
      startsAt: { $lte: now },
      $and: [{ $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] }, { $or: namesRecipient }],
    };
  }

  /** One query for the whole batch of patients a request asks about. */
  private async grantsFor(patientIds: string[]): Promise<Grant[]> {
    const user = this.requireUser();
    const grant = (basis: AccessBasis | null): Grant => ({ basis, consents: [] });
    if (consentRoles.includes(user.role)) {
      const consents = await this.em.find(Consent, { $and: [{ patient: { $in: patientIds } }, this.consentsInForce(user)] });
      return patientIds.map((id) => {
        const own = consents.filter((consent) => consent.patient.id === id);
        return { basis: own.length > 0 ? 'CONSENT' : null, consents: own };
      });
    }
    switch (user.role) {
      case Role.PATIENT:
        return patientIds.map((id) => grant(id === user.patientId ? 'SELF' : null));
      case Role.ADMIN:
      case Role.IOP_CLINICIAN: {
        // Every enrolment of these patients with its care team, in one statement.
        const enrollments = await this.em.find(Enrollment, { patient: { $in: patientIds } }, { populate: ['careTeam'], strategy: 'joined' });
        const ownProgram = enrollments.filter((enrollment) => enrollment.program.id === user.organizationId);
        const inOtherProgramsCare = new Set(enrollments.filter((enrollment) => enrollment.program.id !== user.organizationId).map((enrollment) => enrollment.patient.id));
        const staffGrant = (basis: AccessBasis | null, breakGlassId?: string): Grant => ({ basis, consents: [], breakGlassId });
        if (user.role === Role.ADMIN) {
          const ofProgram = new Set(ownProgram.map((enrollment) => enrollment.patient.id));
          return patientIds.map((id) => staffGrant(ofProgram.has(id) ? 'ADMIN' : null));
        }
        const onTeam = new Set(
          ownProgram
            .filter((enrollment) => enrollment.status === EnrollmentStatus.ACTIVE)
            .filter((enrollment) => enrollment.careTeam.getItems().some((member) => member.user.id === user.id && member.removedAt === null))
            .map((enrollment) => enrollment.patient.id),
        );
        // Emergency access matters for patients outside the clinician's care, and for those another
        // program treats (whose Part 2 records it opens); only for them is it looked up.
        const mayNeedEmergency = patientIds.filter((id) => !onTeam.has(id) || inOtherProgramsCare.has(id));
        const emergencies = mayNeedEmergency.length
          ? await this.em.find(BreakGlassAccess, { userId: user.id, patient: { $in: mayNeedEmergency }, expiresAt: { $gt: new Date() } })
          : [];
        return patientIds.map((id) => {
          const emergency = emergencies.find((access) => access.patient.id === id);
          if (onTeam.has(id)) return staffGrant('CARE_TEAM', emergency?.id);
          return staffGrant(emergency ? 'EMERGENCY' : null, emergency?.id);
        });
      }
      default:
        return patientIds.map(() => grant(null));
    }
  }

  private requireUser(): RequestUser {
    if (!this.user) throw new UnauthenticatedError();
    return this.user;
  }
}
