import { renderPdf, words, writePart2Notice } from '../../documents/pdf';
import { Allergy } from '../clinical/allergy.entity';
import { Assessment } from '../clinical/assessment.entity';
import { Attendance, AttendanceStatus } from '../clinical/attendance.entity';
import { CarePlan, CarePlanType } from '../clinical/care-plan.entity';
import { ClinicalRecordKind } from '../clinical/clinical-record.entity';
import { Diagnosis } from '../clinical/diagnosis.entity';
import { Encounter } from '../clinical/encounter.entity';
import { isRecordOf, recordKinds } from '../clinical/record-kinds';
import type { ClinicalRecordRow } from '../clinical/record-rows';
import { SideEffect } from '../clinical/side-effect.entity';
import { DataCategory } from '../consent/data-category';
import { LabOrder } from '../labs/lab-order.entity';
import { LabResult } from '../labs/lab-result.entity';
import { Prescription } from '../medications/prescription.entity';
import { Dispense } from '../pharmacy/dispense.entity';
import type { ReferralPacket, WithheldPart } from './referral-packet';

/** LOINC's code for the document: a referral note, whose C-CDA sections the letter follows. */
export const referralNoteLoinc = { system: 'http://loinc.org', code: '57133-1', display: 'Referral note' } as const;

const bodySize = 11;

const isCrisisPlan = (record: ClinicalRecordRow) => isRecordOf(record, CarePlan) && record.planType === CarePlanType.CRISIS;

/** A clinical section of the letter: the kinds of record it lists (a crisis plan has its own). */
interface LetterSection {
  title: string;
  kinds: ClinicalRecordKind[];
  holds?: (record: ClinicalRecordRow) => boolean;
}

export const letterSections: LetterSection[] = [
  { title: 'Problems', kinds: [ClinicalRecordKind.DIAGNOSIS] },
  { title: 'Medications', kinds: [ClinicalRecordKind.PRESCRIPTION, ClinicalRecordKind.DISPENSE] },
  { title: 'Allergies and adverse reactions', kinds: [ClinicalRecordKind.ALLERGY, ClinicalRecordKind.SIDE_EFFECT] },
  { title: 'Recent results', kinds: [ClinicalRecordKind.LAB_RESULT, ClinicalRecordKind.ASSESSMENT] },
  {
    title: 'Plan of treatment',
    kinds: [ClinicalRecordKind.CARE_PLAN, ClinicalRecordKind.LAB_ORDER, ClinicalRecordKind.ENCOUNTER, ClinicalRecordKind.ATTENDANCE],
    holds: (record) => !isCrisisPlan(record),
  },
  { title: 'Crisis plan', kinds: [ClinicalRecordKind.CARE_PLAN], holds: isCrisisPlan },
];

/** The section a record is listed in. */
export function sectionOf(record: ClinicalRecordRow): LetterSection {
  const section = letterSections.find((each) => each.kinds.includes(record.kind) && (each.holds?.(record) ?? true));
  if (!section) throw new Error(`No letter section lists ${record.kind} records`);
  return section;
}

/** The categories whose withholding empties a section: those its kinds are disclosed under. */
const categoriesOf = (section: LetterSection) => new Set(section.kinds.map((kind) => recordKinds[kind].category));

const categoryWords: Record<DataCategory, string> = {
  [DataCategory.DEMOGRAPHICS]: 'demographics',
  [DataCategory.MEDICATIONS]: 'medications',
  [DataCategory.LABS]: 'laboratory results',
  [DataCategory.DIAGNOSES]: 'diagnoses',
  [DataCategory.TREATMENT_SUMMARY]: 'treatment summary',
  [DataCategory.SUD]: 'substance use disorder records (42 CFR Part 2)',
  [DataCategory.PSYCHOTHERAPY_NOTES]: 'psychotherapy notes',
};

/** Reason codes in words; a reason the policy already gives as a sentence is shown as it is. */
const reasonWords: Record<string, string> = {
  CONSENT_REQUIRED: 'the patient has not consented to share it with you',
};

const withheldLine = (part: WithheldPart) => `Not included: ${categoryWords[part.category]}, because ${(reasonWords[part.reason] ?? part.reason).replace(/\.$/, '')}.`;

const day = (at: Date | string | null | undefined) => (at ? (typeof at === 'string' ? at : at.toISOString()).slice(0, 10) : null);
const joined = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(', ');

/** One record as a line of its section: what a clinician reads, with its date where it has one. */
function recordLine(record: ClinicalRecordRow): string {
  if (isRecordOf(record, Diagnosis)) return joined(`${record.diagnosisText} (${record.icd10Code})`, words(record.diagnosisStatus), record.onsetDate && `since ${record.onsetDate}`);
  if (isRecordOf(record, Prescription)) return joined(record.drugName, `${record.dose} ${record.route}`, record.sig, words(record.prescriptionStatus), record.startDate && `started ${record.startDate}`);
  if (isRecordOf(record, Dispense)) return joined(`${record.drugName}: fill ${record.fillNumber} ${words(record.fillStatus)}`, record.dispensedOn && `on ${record.dispensedOn}`, record.daysSupply !== null && `${record.daysSupply} days' supply`);
  if (isRecordOf(record, Allergy)) return joined(`Allergy: ${record.substance}`, record.reaction, record.criticality && `criticality ${words(record.criticality)}`);
  if (isRecordOf(record, SideEffect)) return joined(`Adverse reaction: ${record.effect}`, words(record.severity), record.onsetDate && `since ${record.onsetDate}`);
  if (isRecordOf(record, LabResult)) {
    const value = record.valueNumeric !== null ? `${record.valueNumeric}${record.unit ? ` ${record.unit}` : ''}` : record.valueText;
    return joined(`${record.testName}: ${value ?? 'no value'}`, record.abnormalFlag && `flag ${record.abnormalFlag}`, day(record.effectiveAt), record.resultStatus && words(record.resultStatus));
  }
  if (isRecordOf(record, Assessment)) return joined(`${record.instrument} score ${record.score}`, day(record.administeredAt));
  if (isRecordOf(record, CarePlan)) return record.planText;
  if (isRecordOf(record, LabOrder)) return joined(`Lab test ordered: ${record.testName}`, words(record.orderStatus));
  if (isRecordOf(record, Encounter)) return joined(record.encounterType, day(record.startedAt), record.encounterStatus);
  if (isRecordOf(record, Attendance)) return joined(`${words(record.sessionType)} session`, day(record.sessionAt), words(record.attendanceStatus));
  throw new Error(`No letter line for ${record.kind} records`);
}

/** Attendance is told as a count of sessions, not one line each. */
function attendanceSummary(sessions: ClinicalRecordRow[]): string | null {
  const attended = sessions.filter((each) => isRecordOf(each, Attendance) && each.attendanceStatus !== AttendanceStatus.ABSENT && each.attendanceStatus !== AttendanceStatus.EXCUSED);
  const dates = sessions.flatMap((each) => (isRecordOf(each, Attendance) ? [day(each.sessionAt)!] : [])).sort();
  return sessions.length === 0 ? null : `IOP sessions attended: ${attended.length} of ${sessions.length} (${dates[0]} to ${dates[dates.length - 1]})`;
}

function sectionLines(records: ClinicalRecordRow[]): string[] {
  const sessions = records.filter((record) => record.kind === ClinicalRecordKind.ATTENDANCE);
  const summary = attendanceSummary(sessions);
  return [...records.filter((record) => record.kind !== ClinicalRecordKind.ATTENDANCE).map(recordLine), ...(summary ? [summary] : [])];
}

/**
 * The referral letter as a PDF: the sections of a C-CDA Referral Note (LOINC 57133-1), each listing
 * what the packet carries or saying that nothing is included and, for what the policy withheld,
 * which part and why (never its content); the sender's contact; and the §2.32 notice exactly when
 * Part 2 records are included. A pure function of the packet: the same packet and version give
 * the same bytes (the document's date and file ID come from the referral, not the clock).
 */
export function renderReferralLetter(packet: ReferralPacket): Promise<Buffer> {
  const { referral, patient, sender, recipient } = packet;
  const fixed = { createdAt: referral.sentAt, identity: `Referral ${referral.id}, letter version ${referral.version}` };
  return renderPdf({ title: 'Referral letter', fixed }, (doc) => {
    const heading = (title: string) => doc.moveDown(0.6).fontSize(13).text(title, { underline: true }).fontSize(bodySize).moveDown(0.2);
    const line = (text: string) => doc.text(text).moveDown(0.2);

    doc.fontSize(16).text(`Referral to ${recipient.organizationName}`).fontSize(bodySize).moveDown(0.4);
    line(`From: ${sender.organizationName}`);
    line(`Sent: ${day(referral.sentAt)}    Letter version ${referral.version}    Referral ${referral.id}`);
    line(`Patient: ${patient.givenName} ${patient.familyName}, born ${patient.birthDate}`);
    for (const identifier of packet.identifiers) line(`Record number: ${identifier.value} (${identifier.organization.name})`);

    heading('Reason for referral');
    line(`Urgency: ${words(referral.urgency)}`);
    line(`Requested service: ${referral.requestedService}`);
    line(`Reason: ${referral.reason}`);
    line(`Clinical question: ${referral.clinicalQuestion}`);
    const sectioned = new Set(letterSections.flatMap((section) => [...categoriesOf(section)]));
    for (const part of packet.withheld.filter((each) => !sectioned.has(each.category))) line(withheldLine(part));

    for (const section of letterSections) {
      heading(section.title);
      const lines = sectionLines(packet.records.filter((record) => sectionOf(record) === section));
      const withheld = packet.withheld.filter((part) => categoriesOf(section).has(part.category));
      if (lines.length === 0 && withheld.length === 0) line('None included.');
      for (const text of lines) line(text);
      for (const part of withheld) line(withheldLine(part));
    }

    heading("Sender's contact");
    line(`${sender.clinicianName}, ${sender.organizationName}`);
    line(`Phone: ${sender.phone ?? 'not given'}`);
    line(`Email: ${sender.email ?? 'not given'}`);

    if (packet.includesSud) {
      doc.moveDown();
      writePart2Notice(doc, bodySize);
    }
  });
}
