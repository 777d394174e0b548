import { createHash } from 'node:crypto';
import type { Bundle, DocumentReference, MessageHeader, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { Allergy, AllergyCriticality } from '../src/modules/clinical/allergy.entity';
import { Assessment, AssessmentInstrument } from '../src/modules/clinical/assessment.entity';
import { Attendance, AttendanceStatus, SessionType } from '../src/modules/clinical/attendance.entity';
import { CarePlan, CarePlanType } from '../src/modules/clinical/care-plan.entity';
import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { Encounter } from '../src/modules/clinical/encounter.entity';
import type { ClinicalRecordRow } from '../src/modules/clinical/record-rows';
import { SideEffect, SideEffectSeverity } from '../src/modules/clinical/side-effect.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { redisclosureNoticeExtensionUrl } from '../src/modules/fhir-export/security-labels';
import { fhirIssues, isError } from '../src/modules/ingest/fhir/fhir-validation';
import { LabOrder, LabOrderStatus } from '../src/modules/labs/lab-order.entity';
import { LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Prescription } from '../src/modules/medications/prescription.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { letterSha256ExtensionUrl, referralBundle } from '../src/modules/referrals/referral-bundle';
import { renderReferralLetter } from '../src/modules/referrals/referral-letter';
import { ReferralUrgency, type ReferralPacket } from '../src/modules/referrals/referral-packet';
import { validateR4 } from './helpers/fhir-definitions';
import { pdfText } from './helpers/pdf';

/** The letter and the Bundle are pure functions of the packet: built here from records in memory, no database. */

const program = new Organization('Harbor Virtual IOP', OrganizationKind.IOP);
const lab = new Organization('Lakeside Labs', OrganizationKind.LAB);
const recipient = new Organization('Riverside Psychiatry', OrganizationKind.LOCAL_PROVIDER);
const patient = new Patient('Avery', 'Demo', '1984-02-29');
const fromProgram: ProvenanceInit = { sourceOrganization: program, sourceSystem: 'carebridge' };
const fromLab: ProvenanceInit = { sourceOrganization: lab, sourceSystem: 'urn:example:lab', sourceRecordId: 'lab-1' };

const depression = new Diagnosis(patient, fromProgram, { icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent, moderate', onsetDate: '2025-03-01' });
const opioidUse = new Diagnosis(patient, fromProgram, { icd10Code: 'F11.20', text: 'Opioid use disorder, moderate' });
const sertraline = new Prescription(patient, fromProgram, { drugName: 'Sertraline 50 mg tablet', dose: '1 tablet', route: 'oral', sig: 'once daily' });
const penicillin = new Allergy(patient, fromProgram, { substance: 'Penicillin', reaction: 'Hives', criticality: AllergyCriticality.HIGH });
const nausea = new SideEffect(patient, fromProgram, { prescription: sertraline, effect: 'Nausea', severity: SideEffectSeverity.MILD });
const lithium = new LabResult(patient, fromLab, {
  loincCode: '14334-7', testName: 'Lithium', valueNumeric: 0.8, unit: 'mmol/L', status: ResultStatus.FINAL, effectiveAt: new Date('2026-11-02T08:00:00Z'),
});
const phq9 = new Assessment(patient, fromProgram, { instrument: AssessmentInstrument.PHQ9, score: 17, administeredAt: new Date('2026-11-20T15:00:00Z') });
const treatmentPlan = new CarePlan(patient, fromProgram, { planType: CarePlanType.TREATMENT, text: 'Weekly medication management and CBT' });
const crisisPlan = new CarePlan(patient, fromProgram, { planType: CarePlanType.CRISIS, text: 'Call the 988 line; sister Jo holds the medication' });
const tsh = new LabOrder(patient, fromLab, { orderId: 'ORD-7', testName: 'TSH', loincCode: null, status: LabOrderStatus.ORDERED, statusChangedAt: null, comment: null });
const visit = new Encounter(patient, fromProgram, { encounterType: 'Psychiatric intake', status: 'finished', startedAt: new Date('2026-10-05T14:00:00Z') });
const sessions = [AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT, AttendanceStatus.LATE].map(
  (status, index) => new Attendance(patient, fromProgram, { sessionType: SessionType.GROUP, sessionAt: new Date(Date.UTC(2026, 10, 16 + index, 17)), status }),
);
const everyKind: ClinicalRecordRow[] = [depression, sertraline, penicillin, nausea, lithium, phq9, treatmentPlan, crisisPlan, tsh, visit, ...sessions];

function packet(change: Partial<Omit<ReferralPacket, 'referral'>> & { referral?: Partial<ReferralPacket['referral']> } = {}): ReferralPacket {
  const records = change.records ?? everyKind;
  return {
    patient,
    identifiers: [{ id: 'identifier-1', createdAt: new Date('2026-01-01T00:00:00Z'), value: 'MRN-4471', system: 'urn:example:mrn', organization: program }],
    sender: { organizationId: program.id, organizationName: program.name, clinicianName: 'Dr. Robin Sender', phone: '+1 555 0100', email: 'robin.sender@harbor.example' },
    recipient: { organizationId: recipient.id, organizationName: recipient.name },
    withheld: [],
    consentIds: [],
    includesSud: records.some((record) => record.categories.includes(DataCategory.SUD)),
    ...change,
    records,
    referral: {
      id: '6f1d0c52-3a4b-4f4e-9a43-0c6f6f6b2a10',
      version: 1,
      urgency: ReferralUrgency.URGENT,
      requestedService: 'Outpatient psychiatry evaluation',
      reason: 'Depression not responding to two SSRIs',
      clinicalQuestion: 'Is a lithium augmentation appropriate?',
      sentAt: new Date('2026-12-01T18:30:00Z'),
      ...change.referral,
    },
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const noticeStart = 'protected by Federal confidentiality rules (42 CFR part 2)';
/** The text between a section's heading and the next one. */
const section = (text: string, title: string, next: string) => text.slice(text.indexOf(title) + title.length, text.indexOf(next, text.indexOf(title)));

describe('the referral letter', () => {
  it("has the Referral Note's sections, each record of the packet in its place, and the sender's contact", async () => {
    const text = pdfText(await renderReferralLetter(packet()));
    const headings = ['Reason for referral', 'Problems', 'Medications', 'Allergies and adverse reactions', 'Recent results', 'Plan of treatment', 'Crisis plan', "Sender's contact"];
    const positions = headings.map((heading) => text.indexOf(heading));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    expect(text).toContain('Referral to Riverside Psychiatry');
    expect(text).toContain('Patient: Avery Demo, born 1984-02-29');
    expect(text).toContain('Record number: MRN-4471 (Harbor Virtual IOP)');
    // Each section's lines, between its heading and the next.
    const expected: [title: string, next: string, lines: string[]][] = [
      ['Reason for referral', 'Problems', [
        'Urgency: urgent', 'Requested service: Outpatient psychiatry evaluation', 'Reason: Depression not responding to two SSRIs',
        'Clinical question: Is a lithium augmentation appropriate?',
      ]],
      ['Problems', 'Medications', ['Major depressive disorder, recurrent, moderate (F33.1), active, since 2025-03-01']],
      ['Medications', 'Allergies', ['Sertraline 50 mg tablet, 1 tablet oral, once daily, active']],
      ['Allergies and adverse reactions', 'Recent results', ['Allergy: Penicillin, Hives, criticality high', 'Adverse reaction: Nausea, mild']],
      ['Recent results', 'Plan of treatment', ['Lithium: 0.8 mmol/L, 2026-11-02, final', 'PHQ9 score 17, 2026-11-20']],
      ['Plan of treatment', 'Crisis plan', [
        'Weekly medication management and CBT', 'Lab test ordered: TSH, ordered', 'Psychiatric intake, 2026-10-05, finished',
        'IOP sessions attended: 2 of 3 (2026-11-16 to 2026-11-18)',
      ]],
    ];
    for (const [title, next, lines] of expected) for (const line of lines) expect(section(text, title, next)).toContain(line);
    const plan = section(text, 'Plan of treatment', 'Crisis plan');
    expect(plan).not.toContain('988');
    expect(section(text, 'Crisis plan', "Sender's contact")).toContain('Call the 988 line; sister Jo holds the medication');
    const contact = text.slice(text.indexOf("Sender's contact"));
    expect(contact).toContain('Dr. Robin Sender, Harbor Virtual IOP');
    expect(contact).toContain('Phone: +1 555 0100');
    expect(contact).toContain('Email: robin.sender@harbor.example');
  });

  it('carries the §2.32 redisclosure notice exactly when the packet includes SUD records', async () => {
    const withSud = packet({ records: [...everyKind, opioidUse] });
    expect(withSud.includesSud).toBe(true);
    const sudText = pdfText(await renderReferralLetter(withSud));
    expect(sudText).toContain('Notice to recipients (42 CFR 2.32)');
    expect(sudText).toContain(noticeStart);
    expect(sudText).toContain('Opioid use disorder, moderate (F11.20)');

    expect(packet().includesSud).toBe(false);
    const plainText = pdfText(await renderReferralLetter(packet()));
    expect(plainText).not.toContain('42 CFR 2.32');
    expect(plainText).not.toContain(noticeStart);
  });

  it('names each withheld part with its reason, never its content, and says when a section has nothing', async () => {
    const withheld = packet({
      records: [depression, lithium, treatmentPlan],
      withheld: [
        { category: DataCategory.MEDICATIONS, reason: 'CONSENT_REQUIRED' },
        { category: DataCategory.SUD, reason: 'No consent in force covers these records' },
      ],
    });
    const text = pdfText(await renderReferralLetter(withheld));
    const medications = section(text, 'Medications', 'Allergies');
    expect(medications).toContain('Not included: medications, because the patient has not consented to share it with you.');
    expect(section(text, 'Allergies and adverse reactions', 'Recent results')).toContain('Not included: medications');
    expect(section(text, 'Reason for referral', 'Problems')).toContain(
      'Not included: substance use disorder records (42 CFR Part 2), because No consent in force covers these records.',
    );
    expect(section(text, 'Crisis plan', "Sender's contact")).toContain('None included.');
    expect(section(text, 'Problems', 'Medications')).not.toContain('None included.');
    for (const content of ['Sertraline', 'Penicillin', 'Nausea', 'Opioid use disorder', 'F11.20', '988']) expect(text).not.toContain(content);
    expect(text).not.toContain(noticeStart);
  });

  it('gives the same bytes for the same packet and version, and other bytes for another version', async () => {
    const first = await renderReferralLetter(packet());
    // PDF dates have seconds: a letter rendered from the clock would differ after this.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await renderReferralLetter(packet());
    expect(again.equals(first)).toBe(true);
    expect(sha256(again)).toBe(sha256(first));
    const version2 = await renderReferralLetter(packet({ referral: { version: 2 } }));
    expect(version2.equals(first)).toBe(false);
    expect(sha256(version2)).not.toBe(sha256(first));
    expect(pdfText(version2)).toContain('Letter version 2');
  });
});

describe('the referral Bundle', () => {
  const labelled = (bundle: Bundle) =>
    bundle.entry!.filter(({ resource }) => resource!.meta?.security?.some((label) => label.code === '42CFRPart2')).map(({ resource }) => resource!.id);
  const entryOf = <T extends Resource>(bundle: Bundle, type: T['resourceType']) => bundle.entry!.find(({ resource }) => resource!.resourceType === type)!.resource as T;

  /**
   * Medplum's R4 check (it throws on an error). It cannot see what a `urn:uuid:` reference names and
   * warns about each; those must name an entry of the Bundle of a type the element allows.
   */
  function r4Problems(bundle: Bundle): string[] {
    const types = new Map(bundle.entry!.map(({ fullUrl, resource }) => [fullUrl, resource!.resourceType]));
    return validateR4(bundle).flatMap((warning) => {
      const [, target, expected] = /^Invalid reference: got "(urn:uuid:[^"]+)", expected (.*)$/s.exec(warning.details?.text ?? '') ?? [];
      const type = types.get(target);
      return type && expected.includes(`/StructureDefinition/${type}"`) ? [] : [`${warning.expression?.join()}: ${warning.details?.text}`];
    });
  }

  async function bundleOf(referralPacket: ReferralPacket) {
    const bytes = await renderReferralLetter(referralPacket);
    return { bytes, bundle: referralBundle(referralPacket, { bytes, sha256: sha256(bytes), version: referralPacket.referral.version }) };
  }

  it('is a valid FHIR R4 message: header, ServiceRequest, its Task for the recipient, the patient, the records and the letter', async () => {
    const { bytes, bundle } = await bundleOf(packet());
    expect(r4Problems(bundle)).toEqual([]);
    for (const { resource } of bundle.entry!) expect(fhirIssues(resource).filter(isError)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'message', timestamp: '2026-12-01T18:30:00.000Z' });
    expect(new Set(bundle.entry!.map(({ fullUrl }) => fullUrl)).size).toBe(bundle.entry!.length);

    const header = bundle.entry![0].resource as MessageHeader;
    const request = entryOf<ServiceRequest>(bundle, 'ServiceRequest');
    const task = entryOf<Task>(bundle, 'Task');
    expect(header.resourceType).toBe('MessageHeader');
    expect(header.focus).toEqual([{ reference: `urn:uuid:${request.id}` }, { reference: `urn:uuid:${task.id}` }]);
    expect(header.destination![0].receiver).toEqual({ reference: `urn:uuid:${recipient.id}` });
    expect(request).toMatchObject({
      id: packet().referral.id, status: 'active', intent: 'order', priority: 'urgent', code: { text: 'Outpatient psychiatry evaluation' },
      subject: { reference: `urn:uuid:${patient.id}` }, reasonCode: [{ text: 'Depression not responding to two SSRIs' }],
    });
    expect(task).toMatchObject({
      status: 'requested', intent: 'order', focus: { reference: `urn:uuid:${request.id}` }, for: { reference: `urn:uuid:${patient.id}` },
      owner: { reference: `urn:uuid:${recipient.id}`, display: 'Riverside Psychiatry' },
    });
    expect(task.requester).toEqual(request.requester);
    const role = bundle.entry!.find(({ fullUrl }) => fullUrl === task.requester!.reference)!.resource!;
    expect(role).toMatchObject({ resourceType: 'PractitionerRole', organization: { reference: `urn:uuid:${program.id}` }, telecom: [{ value: '+1 555 0100' }, { value: 'robin.sender@harbor.example' }] });
    const ids = bundle.entry!.map(({ resource }) => resource!.id);
    for (const record of everyKind) expect(ids).toContain(record.id);
    expect(entryOf(bundle, 'Patient').id).toBe(patient.id);

    const letter = entryOf<DocumentReference>(bundle, 'DocumentReference');
    const attachment = letter.content[0].attachment;
    expect(attachment.contentType).toBe('application/pdf');
    expect(Buffer.from(attachment.data!, 'base64').equals(bytes)).toBe(true);
    expect(attachment.hash).toBe(createHash('sha1').update(bytes).digest('base64'));
    expect(attachment.extension).toEqual([{ url: letterSha256ExtensionUrl, valueString: sha256(bytes) }]);
    expect(letter.type!.coding![0].code).toBe('57133-1');
    expect(request.supportingInfo).toContainEqual({ reference: `urn:uuid:${letter.id}` });

    expect(labelled(bundle)).toEqual([]);
    expect(bundle.meta!.security!.map((label) => label.code)).toEqual(['N']);
    const { bundle: again } = await bundleOf(packet());
    expect(again).toEqual(bundle);
  });

  it('labels exactly the SUD records, the letter that carries them and the Bundle itself as Part 2', async () => {
    const { bundle } = await bundleOf(packet({ records: [...everyKind, opioidUse] }));
    expect(r4Problems(bundle)).toEqual([]);
    const letter = entryOf<DocumentReference>(bundle, 'DocumentReference');
    expect(labelled(bundle).sort()).toEqual([opioidUse.id, letter.id].sort());
    expect(bundle.meta!.security!.map((label) => label.code)).toContain('42CFRPart2');
    expect(bundle.meta!.extension).toEqual([expect.objectContaining({ url: redisclosureNoticeExtensionUrl })]);
  });
});
