import type { Bundle, MedicationDispense } from '@medplum/fhirtypes';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Allergy, AllergyCriticality } from '../src/modules/clinical/allergy.entity';
import { DeaSchedule, Prescription, PrescriptionRouting } from '../src/modules/medications/prescription.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { fhirIssues } from '../src/modules/ingest/fhir/fhir-validation';
import { Dispense } from '../src/modules/pharmacy/dispense.entity';
import { MedicationAlert, MedicationAlertKind } from '../src/modules/pharmacy/medication-alert.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import {
  ConfirmDispensedDocument,
  ConfirmPartialFillDocument,
  DispenseDocument,
  MedicationAlertDocument,
  MedicationFillsDocument,
  MyNotificationsDocument,
  PatientFhirBundleDocument,
  PharmacyWorklistDocument,
  PrescribeToPharmacyDocument,
  ReportNotDispensedDocument,
  ReportTransferredDocument,
  type DispensedInput,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { addRoutedPrescription, type RoutedPrescriptionInit } from './helpers/routed-prescriptions';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * The pharmacist's day through GraphQL, on the real database and workers: the worklist of
 * prescriptions routed to their own pharmacy, fill reports (NCPDP SCRIPT RxFill) with every
 * refusal, the prescriber told, and fills in the patient view as the consent policy allows.
 * Prescriptions are routed by a fixture (test/helpers/routed-prescriptions.ts); routing itself is
 * tested in prescription-routing.test.ts.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };
let pharmacist: TokenClaims;
let otherPharmacist: TokenClaims;
let pharmacyId: string;
let otherPharmacyId: string;
let patient: Patient;

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  // A threshold other than the default (7 days), to see the configured one used.
  h = await startHarness({ REFILL_LATE_DAYS: '10' });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  pharmacist = world.claims[Role.PHARMACIST];
  pharmacyId = pharmacist.organizationId!;
  const em = h.orm.em.fork();
  const otherPharmacy = new Organization('Hillside Mail-Order Pharmacy', OrganizationKind.PHARMACY);
  const user = new User('pharmacist@hillside-rx.example', 'Hillside Pharmacist');
  patient = await em.findOneOrFail(Patient, { id: world.patients[0].id });
  Object.assign(patient, { phone: '+1 555 0100', addressLine: '1 Harbor Way', region: 'IL', postalCode: '62701' });
  em.persist([otherPharmacy, user, new Membership(user, otherPharmacy, Role.PHARMACIST)]);
  em.persist(
    new Allergy(patient, { sourceOrganization: em.getReference(Organization, world.iopId), sourceSystem: 'carebridge' }, {
      substance: 'Penicillin',
      reaction: 'Hives',
      criticality: AllergyCriticality.HIGH,
    }),
  );
  await em.flush();
  otherPharmacyId = otherPharmacy.id;
  otherPharmacist = { userId: user.id, role: Role.PHARMACIST, organizationId: otherPharmacy.id };
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

function route(init: Partial<RoutedPrescriptionInit> = {}): Promise<Prescription> {
  return addRoutedPrescription(h.orm.em, {
    patientId: patient.id,
    programId: world.iopId,
    pharmacyId,
    prescriberId: world.claims[Role.IOP_CLINICIAN].userId,
    ...init,
  });
}

const dispensedInput = (rxNumber: string, fill: Partial<DispensedInput> = {}): DispensedInput => ({
  prescriptionRef: rxNumber,
  fillNumber: 0,
  quantity: 30,
  daysSupply: 30,
  ndc: '0002-3227-30',
  lotNumber: 'LOT-7',
  dispensedOn: today(),
  ...fill,
});

const codes = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);
const fillsOf = (prescription: Prescription) => h.orm.em.fork().count(Dispense, { prescription: prescription.id });

describe("a pharmacist's day", () => {
  it('worklist → partial fill → the rest → refill, each fill a record with the pharmacy as source', async () => {
    const sertraline = await route({ quantity: 60, refills: 1 });
    const token = await h.token(pharmacist);

    const worklist = await h.graphql(PharmacyWorklistDocument, { status: 'NEW' }, token);
    expect(worklist.errors).toBeUndefined();
    const item = worklist.data!.pharmacyWorklist.edges.map((edge) => edge.node).find((node) => node.id === sertraline.id)!;
    expect(item).toMatchObject({
      rxNumber: sertraline.rxNumber,
      drugName: 'Sertraline 50 mg tablet',
      sig: 'one tablet daily',
      quantity: 60,
      refills: 1,
      dispensingStatus: 'NEW',
      prescriberName: 'Dr. Casey Prescriber',
      patient: { givenName: 'Avery', familyName: 'Demo', birthDate: '1988-04-12', phone: '+1 555 0100', addressLine: '1 Harbor Way', city: 'Springfield', postalCode: '62701' },
      allergies: [{ substance: 'Penicillin', reaction: 'Hives', criticality: 'HIGH' }],
      fills: [],
    });

    const partial = await h.graphql(
      ConfirmPartialFillDocument,
      { input: { prescriptionRef: sertraline.rxNumber!, fillNumber: 0, quantity: 20, remainingQuantity: 40, daysSupply: 20, dispensedOn: daysAgo(40) } },
      token,
    );
    expect(partial.errors).toBeUndefined();
    expect(partial.data!.confirmPartialFill.dispense).toMatchObject({
      fillNumber: 0, fillStatus: 'PARTIALLY_DISPENSED', dispensedQuantity: 20, remainingQuantity: 40, categories: ['MEDICATIONS'], provenance: { organizationId: pharmacyId },
    });
    const partlyDone = await h.graphql(PharmacyWorklistDocument, { status: 'PARTIALLY_DISPENSED' }, token);
    expect(partlyDone.data!.pharmacyWorklist.edges.map((edge) => edge.node.id)).toContain(sertraline.id);
    expect((await h.graphql(PharmacyWorklistDocument, { status: 'NEW' }, token)).data!.pharmacyWorklist.edges.map((edge) => edge.node.id)).not.toContain(sertraline.id);

    const rest = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(sertraline.rxNumber!, { quantity: 40, daysSupply: 40, dispensedOn: daysAgo(20) }) }, token);
    expect(rest.data!.confirmDispensed.dispense).toMatchObject({ fillNumber: 0, fillStatus: 'DISPENSED', ndc: '00002-3227-30', lotNumber: 'LOT-7' });

    const refill = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(sertraline.rxNumber!, { fillNumber: 1, quantity: 60, daysSupply: 60 }) }, token);
    expect(refill.errors).toBeUndefined();
    const beyond = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(sertraline.rxNumber!, { fillNumber: 2 }) }, token);
    expect(codes(beyond)).toEqual(['BAD_USER_INPUT']);
    expect(beyond.errors![0].message).toBe('Fill 2 is beyond this prescription: it allows 2 fill(s), numbered 0 to 1');

    const done = await h.graphql(PharmacyWorklistDocument, { status: 'DISPENSED' }, token);
    const node = done.data!.pharmacyWorklist.edges.map((edge) => edge.node).find((each) => each.id === sertraline.id)!;
    expect(node.fills.map((fill) => [fill.fillNumber, fill.fillStatus])).toEqual([[0, 'PARTIALLY_DISPENSED'], [0, 'DISPENSED'], [1, 'DISPENSED']]);
    expect(await fillsOf(sertraline)).toBe(3);
  });

  it('pages through the worklist and filters it by the routed date', async () => {
    const longAgo = await route({ routedAt: new Date('2026-01-05T10:00:00Z') });
    const token = await h.token(pharmacist);
    const january = await h.graphql(PharmacyWorklistDocument, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, token);
    expect(january.data!.pharmacyWorklist.edges.map((edge) => edge.node.id)).toEqual([longAgo.id]);
    expect(january.data!.pharmacyWorklist.totalCount).toBe(1);

    const first = await h.graphql(PharmacyWorklistDocument, { first: 1 }, token);
    expect(first.data!.pharmacyWorklist.pageInfo.hasNextPage).toBe(true);
    const next = await h.graphql(PharmacyWorklistDocument, { first: 1, after: first.data!.pharmacyWorklist.pageInfo.endCursor }, token);
    expect(next.data!.pharmacyWorklist.edges[0].node.id).not.toBe(first.data!.pharmacyWorklist.edges[0].node.id);

    const backwards = await h.graphql(PharmacyWorklistDocument, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, token);
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
  });

  it('audits what the worklist disclosed, under the consent naming the pharmacy', async () => {
    const bup = await route({ drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', ingredientRxcui: '1819', deaSchedule: DeaSchedule.III });
    const consentId = await requestConsent(h, world, { recipientOrganizationIds: [pharmacyId], categories: ['DEMOGRAPHICS', 'MEDICATIONS', 'SUD'] });
    await signConsent(h, world, consentId);
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token(pharmacist)}`, 'x-request-id': 'worklist-audit' },
      payload: { query: PharmacyWorklistDocument.toString(), variables: { status: 'NEW' } },
    });
    expect(response.json().data.pharmacyWorklist.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(bup.id);
    const rows = await h.orm.em.fork().find(AuditEvent, { requestId: 'worklist-audit' });
    expect(rows).toEqual([
      expect.objectContaining({ patientId: patient.id, userId: pharmacist.userId, role: 'PHARMACIST', organizationId: pharmacyId, consentId, categories: ['DEMOGRAPHICS', 'MEDICATIONS', 'SUD'] }),
    ]);
    // Part 2 data left: the response carries the redisclosure notice.
    expect(response.json().extensions.redisclosureNotice).toEqual(expect.any(String));
  });
});

describe('with the real routing', () => {
  it('a prescription routed by prescribe under a consent naming the pharmacy joins its worklist and is filled', async () => {
    await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [pharmacyId], categories: ['DEMOGRAPHICS', 'MEDICATIONS'] }));
    const prescribed = await h.graphql(
      PrescribeToPharmacyDocument,
      { input: { patientId: patient.id, drugName: 'Mirtazapine 15 mg tablet', dose: '15 mg', route: 'oral', sig: 'at bedtime', quantity: 30, refills: 1, pharmacyId } },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    const { id, rxNumber, routing } = prescribed.data!.prescribe.prescription;
    expect(routing).toBe('ROUTED');
    const token = await h.token(pharmacist);
    const worklist = await h.graphql(PharmacyWorklistDocument, { status: 'NEW', first: 50 }, token);
    expect(worklist.data!.pharmacyWorklist.edges.find((edge) => edge.node.id === id)?.node).toMatchObject({ rxNumber, sig: 'at bedtime', prescriberName: 'Dr. Casey Prescriber' });
    const filled = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(rxNumber!) }, token);
    expect(filled.data!.confirmDispensed.dispense).toMatchObject({ prescriptionId: id, fillStatus: 'DISPENSED' });
  });
});

describe('refusals, each changing nothing', () => {
  it('the worklist and fill reports are for pharmacists only', async () => {
    const prescription = await route();
    for (const claims of [world.claims[Role.IOP_CLINICIAN], world.claims[Role.PCP], world.claims[Role.PATIENT]]) {
      const token = await h.token(claims);
      expect(codes(await h.graphql(PharmacyWorklistDocument, {}, token))).toEqual(['FORBIDDEN']);
      expect(codes(await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!) }, token))).toEqual(['FORBIDDEN']);
    }
    expect(await fillsOf(prescription)).toBe(0);
  });

  it("another pharmacy's pharmacist sees none of it and gets NOT_FOUND, as for an unknown prescription", async () => {
    const prescription = await route();
    const token = await h.token(otherPharmacist);
    const worklist = await h.graphql(PharmacyWorklistDocument, {}, token);
    expect(worklist.data!.pharmacyWorklist).toMatchObject({ totalCount: 0, edges: [] });
    const theirs = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!) }, token);
    const unknown = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput('RX-000000') }, token);
    expect(codes(theirs)).toEqual(['NOT_FOUND']);
    expect(theirs.errors![0].message.replace(prescription.rxNumber!, 'RX-000000')).toBe(unknown.errors![0].message);
    expect(codes(await h.graphql(ReportNotDispensedDocument, { input: { prescriptionRef: prescription.rxNumber!, fillNumber: 0, reason: 'OUT_OF_STOCK' } }, token))).toEqual(['NOT_FOUND']);
    expect(await fillsOf(prescription)).toBe(0);
  });

  it('a prescription not (yet) routed is on no worklist and cannot be filled', async () => {
    const waiting = await route();
    await h.orm.em.fork().nativeUpdate(Prescription, { id: waiting.id }, { routing: PrescriptionRouting.AWAITING_CONSENT });
    const token = await h.token(pharmacist);
    const all = await h.graphql(PharmacyWorklistDocument, { first: 50 }, token);
    expect(all.errors).toBeUndefined();
    expect(all.data!.pharmacyWorklist.edges.map((edge) => edge.node.id)).not.toContain(waiting.id);
    expect(codes(await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(waiting.rxNumber!) }, token))).toEqual(['NOT_FOUND']);
  });

  it('refuses a bad NDC, missing amounts, a fill out of order, a fill dispensed twice and a missing reason or note', async () => {
    const prescription = await route();
    const token = await h.token(pharmacist);
    const ref = prescription.rxNumber!;
    for (const ndc of ['1234567890', '123-4567-890', '12345-6789-012', 'not-an-ndc']) {
      const result = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(ref, { ndc }) }, token);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].message).toMatch(/NDC/);
    }
    expect(codes(await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(ref, { quantity: 31 }) }, token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(ref, { dispensedOn: '2999-01-01' }) }, token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(ref, { fillNumber: 1 }) }, token))).toEqual(['CONFLICT']);
    const concern = await h.graphql(ReportNotDispensedDocument, { input: { prescriptionRef: ref, fillNumber: 0, reason: 'CLINICAL_CONCERN' } }, token);
    expect(codes(concern)).toEqual(['BAD_USER_INPUT']);
    expect(concern.errors![0].message).toBe('A clinical concern needs a note saying what it is');
    expect(await fillsOf(prescription)).toBe(0);

    expect((await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(ref) }, token)).errors).toBeUndefined();
    const twice = await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(ref) }, token);
    expect(codes(twice)).toEqual(['CONFLICT']);
    expect(twice.errors![0].message).toBe('Fill 0 that is DISPENSED cannot become DISPENSED');
    expect(await fillsOf(prescription)).toBe(1);
  });

  it('refuses a transfer to an organization that is not another pharmacy', async () => {
    const prescription = await route();
    const token = await h.token(pharmacist);
    for (const to of [world.claims[Role.PCP].organizationId!, pharmacyId]) {
      const result = await h.graphql(ReportTransferredDocument, { input: { prescriptionRef: prescription.rxNumber!, fillNumber: 0, transferredToId: to } }, token);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    }
    expect(await fillsOf(prescription)).toBe(0);
    expect(await h.orm.em.fork().count(OutboxMessage, { jobName: 'fill.transferred' })).toBe(0);
  });
});

describe('concurrent reports', () => {
  it('of the same fill: one is recorded, the others CONFLICT, nothing half-written', async () => {
    const [first, other] = [await route(), await route({ drugName: 'Bupropion XL 150 mg tablet' })];
    const token = await h.token(pharmacist);
    const burst = await Promise.all(
      [first, other].flatMap((prescription) =>
        Array.from({ length: 6 }, (_, i) =>
          i % 2 === 0
            ? h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!) }, token)
            : h.graphql(ReportNotDispensedDocument, { input: { prescriptionRef: prescription.rxNumber!, fillNumber: 0, reason: 'OUT_OF_STOCK' } }, token),
        ),
      ),
    );
    for (const [index, prescription] of [first, other].entries()) {
      const results = burst.slice(index * 6, index * 6 + 6);
      const succeeded = results.filter((result) => !result.errors);
      const dispensed = results.filter((result, i) => i % 2 === 0 && !result.errors);
      expect(dispensed).toHaveLength(1);
      expect(results.filter((result) => result.errors).every((result) => codes(result)![0] === 'CONFLICT')).toBe(true);
      // At most one NOT_DISPENSED can precede the dispense (NOT_DISPENSED → DISPENSED is allowed; twice is not).
      expect(succeeded.length).toBeLessThanOrEqual(2);
      const fills = await h.orm.em.fork().find(Dispense, { prescription: prescription.id }, { orderBy: { createdAt: 'asc' } });
      expect(fills).toHaveLength(succeeded.length);
      expect(fills[fills.length - 1].fillStatus).toBe('DISPENSED');
      const row = await h.orm.em.fork().findOneOrFail(Prescription, { id: prescription.id });
      expect(row.dispensingStatus).toBe('DISPENSED');
      const alertKeys = fills.map((fill) => `dispense/${fill.id}`);
      expect(await h.orm.em.fork().count(MedicationAlert, { kind: MedicationAlertKind.NOT_DISPENSED, subjectKey: { $in: alertKeys } })).toBe(succeeded.length - 1);
    }
  });
});

async function noticeOf(claims: TokenClaims, kind: string, subjectId: string) {
  const token = await h.token(claims);
  const notices = await until(
    async () => (await h.graphql(MyNotificationsDocument, {}, token)).data!.myNotifications.edges.map((edge) => edge.node),
    (items) => items.some((notice) => notice.kind === kind && notice.subjectId === subjectId),
    15_000,
  );
  return notices.find((notice) => notice.kind === kind && notice.subjectId === subjectId);
}

describe('the prescriber is told', () => {
  it('of a fill not dispensed (a medication alert, urgent for MOUD) and of a transfer, and opens them; nobody else does', async () => {
    // A patient only the first program treats: the second program's clinician is an outsider.
    const prescription = await route({ patientId: world.patients[1].id });
    const token = await h.token(pharmacist);
    const declined = await h.graphql(
      ReportNotDispensedDocument,
      { input: { prescriptionRef: prescription.rxNumber!, fillNumber: 0, reason: 'CLINICAL_CONCERN', note: 'Interaction to review' } },
      token,
    );
    const declinedId = declined.data!.reportNotDispensed.dispense.id;
    // A medication alert for the prescriber, committed with the fill (its job carries the alert's id only).
    const alert = await h.orm.em.fork().findOneOrFail(MedicationAlert, { subjectKey: `dispense/${declinedId}` });
    expect(alert).toMatchObject({ kind: 'NOT_DISPENSED', urgency: 'ROUTINE', reason: 'Fill 0 not dispensed: CLINICAL_CONCERN' });
    const outbox = await h.orm.em.fork().findOneOrFail(OutboxMessage, { jobName: 'medication-alert.raised', payload: { alertId: alert.id } });
    expect(outbox.payload).toEqual({ alertId: alert.id });
    const prescriber = world.claims[Role.IOP_CLINICIAN];
    expect(await noticeOf(prescriber, 'medication.alert', alert.id)).toMatchObject({ subjectType: 'MEDICATION_ALERT' });
    const openedAlert = await h.graphql(MedicationAlertDocument, { id: alert.id }, await h.token(prescriber));
    expect(openedAlert.data!.medicationAlert).toMatchObject({ kind: 'NOT_DISPENSED', prescriptionId: prescription.id });
    const opened = await h.graphql(DispenseDocument, { id: declinedId }, await h.token(prescriber));
    expect(opened.data!.dispense).toMatchObject({ fillStatus: 'NOT_DISPENSED', notDispensedReason: 'CLINICAL_CONCERN', note: 'Interaction to review' });

    const moud = await route({ patientId: world.patients[1].id, drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', ingredientRxcui: '1819' });
    const missed = await h.graphql(ReportNotDispensedDocument, { input: { prescriptionRef: moud.rxNumber!, fillNumber: 0, reason: 'OUT_OF_STOCK' } }, token);
    const moudAlert = await h.orm.em.fork().findOneOrFail(MedicationAlert, { subjectKey: `dispense/${missed.data!.reportNotDispensed.dispense.id}` });
    expect(moudAlert.urgency).toBe('URGENT');

    const moved = await h.graphql(ReportTransferredDocument, { input: { prescriptionRef: prescription.rxNumber!, fillNumber: 0, transferredToId: otherPharmacyId } }, token);
    const movedId = moved.data!.reportTransferred.dispense.id;
    expect(moved.data!.reportTransferred.dispense.transferredTo).toEqual({ id: otherPharmacyId });
    expect(await noticeOf(prescriber, 'fill.transferred', movedId)).toMatchObject({ subjectType: 'DISPENSE' });
    expect(codes(await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!) }, token))).toEqual(['CONFLICT']);

    for (const outsider of [second.clinician, otherPharmacist, world.claims[Role.PCP]]) {
      const outsiderToken = await h.token(outsider);
      const refused = await h.graphql(DispenseDocument, { id: movedId }, outsiderToken);
      const unknown = await h.graphql(DispenseDocument, { id: '00000000-0000-4000-8000-00000000abcd' }, outsiderToken);
      expect(refused.data ?? null).toBeNull();
      expect(codes(refused)).toEqual(['NOT_FOUND']);
      expect(refused.errors![0].message.replace(movedId, '00000000-0000-4000-8000-00000000abcd')).toBe(unknown.errors![0].message);
    }
  }, 40_000);
});

describe('fills in the patient view', () => {
  it('show to the prescribing program; to a second program treating the patient, MOUD fills only under its consent', async () => {
    const em = h.orm.em.fork();
    await em.nativeDelete(Dispense, { patient: patient.id });
    const moud = await route({ drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', ingredientRxcui: '1819', quantity: 120, refills: 3 });
    const ssri = await route({ drugName: 'Escitalopram 10 mg tablet', quantity: 120, refills: 3 });
    const token = await h.token(pharmacist);
    for (const prescription of [moud, ssri]) {
      await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!, { dispensedOn: daysAgo(40), ndc: '12496-1208-3' }) }, token);
      await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!, { fillNumber: 1, dispensedOn: daysAgo(5), ndc: '12496-1208-3' }) }, token);
    }

    const groupOf = (list: { ingredient: string; medications: { id: string }[] }[] | null | undefined, prescription: Prescription) =>
      list?.find((group) => group.medications.some((medication) => medication.id === prescription.id));

    const own = await h.graphql(MedicationFillsDocument, { id: patient.id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    const ownMoud = groupOf(own.data!.patient.medicationList, moud) as NonNullable<NonNullable<typeof own.data>['patient']['medicationList']>[number];
    expect(ownMoud.fills.filter((fill) => fill.prescriptionId === moud.id).map((fill) => [fill.fillNumber, fill.categories])).toEqual([
      [0, ['MEDICATIONS', 'SUD']],
      [1, ['MEDICATIONS', 'SUD']],
    ]);
    // 40 days ago 30 days, 5 days ago 30 days: 30 + 6 of the 41 days; due in 25 days.
    expect(ownMoud.adherence).toMatchObject({ windowStart: daysAgo(40), windowEnd: today(), daysInWindow: 41, daysCovered: 36, daysLate: -25 });
    expect(ownMoud.adherence.proportionOfDaysCovered).toBeCloseTo(36 / 41, 10);
    expect(ownMoud.adherence.refillLate).toBe(false);

    // The export carries them as FHIR MedicationDispense, the MOUD ones labelled Part 2.
    const exported = await h.graphql(PatientFhirBundleDocument, { id: patient.id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    const bundle = exported.data!.patient.fhirBundle as Bundle;
    expect(fhirIssues(bundle)).toEqual([]);
    const dispenses = bundle.entry!.map((entry) => entry.resource!).filter((resource): resource is MedicationDispense => resource.resourceType === 'MedicationDispense');
    const moudDispenses = dispenses.filter((resource) => resource.medicationCodeableConcept?.text === moud.drugName);
    expect(moudDispenses).toHaveLength(2);
    expect(moudDispenses[0]).toMatchObject({ status: 'completed', quantity: { value: 30 }, daysSupply: { value: 30 }, medicationCodeableConcept: { coding: [{ code: '12496120803' }] } });
    expect(moudDispenses.every((resource) => resource.meta?.security?.some((coding) => coding.code === '42CFRPart2'))).toBe(true);

    const otherProgram = await h.token(second.clinician);
    const before = await h.graphql(MedicationFillsDocument, { id: patient.id }, otherProgram);
    expect(groupOf(before.data!.patient.medicationList, moud)).toBeUndefined();
    const ssriGroup = groupOf(before.data!.patient.medicationList, ssri)!;
    const allFills = before.data!.patient.medicationList!.flatMap((group) => (group).fills);
    expect(allFills.some((fill) => fill.prescriptionId === moud.id)).toBe(false);
    expect((ssriGroup as typeof ownMoud).fills.map((fill) => fill.fillNumber)).toEqual([0, 1]);
    expect(before.errors?.map((error) => error.extensions)).toContainEqual(expect.objectContaining({ code: 'CONSENT_REQUIRED', patientId: patient.id }));
    // Opened by id, the pharmacy's fill of the first program's MOUD prescription is that program's Part 2 record.
    const moudFillId = ownMoud.fills.find((fill) => fill.prescriptionId === moud.id)!.id;
    expect(codes(await h.graphql(DispenseDocument, { id: moudFillId }, otherProgram))).toEqual(['NOT_FOUND']);
    const ssriFillId = (ssriGroup as typeof ownMoud).fills[0].id;
    expect((await h.graphql(DispenseDocument, { id: ssriFillId }, otherProgram)).data!.dispense.id).toBe(ssriFillId);

    const consentId = await requestConsent(h, world, { recipientOrganizationIds: [second.iopId], categories: ['MEDICATIONS', 'SUD'] });
    await signConsent(h, world, consentId);
    const after = await h.graphql(MedicationFillsDocument, { id: patient.id }, otherProgram);
    const sharedMoud = groupOf(after.data!.patient.medicationList, moud) as typeof ownMoud;
    expect(sharedMoud.fills.filter((fill) => fill.prescriptionId === moud.id).map((fill) => fill.fillNumber)).toEqual([0, 1]);
    expect(sharedMoud.adherence.daysCovered).toBe(36);
    expect((await h.graphql(DispenseDocument, { id: moudFillId }, otherProgram)).data!.dispense.categories).toEqual(['MEDICATIONS', 'SUD']);
  }, 40_000);

  it('flags a refill late beyond REFILL_LATE_DAYS while a refill is left', async () => {
    const token = await h.token(pharmacist);
    const cases = [
      { drugName: 'Lithium carbonate 300 mg capsule', lastFill: 38, refills: 3 }, // 8 days late: within the 10 configured
      { drugName: 'Quetiapine 100 mg tablet', lastFill: 45, refills: 3 }, // 15 days late
      { drugName: 'Lamotrigine 100 mg tablet', lastFill: 45, refills: 0 }, // 15 days late, but no refill left
    ];
    const routed = [];
    for (const { drugName, lastFill, refills } of cases) {
      const prescription = await route({ drugName, refills });
      await h.graphql(ConfirmDispensedDocument, { input: dispensedInput(prescription.rxNumber!, { dispensedOn: daysAgo(lastFill) }) }, token);
      routed.push(prescription);
    }
    const view = await h.graphql(MedicationFillsDocument, { id: patient.id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    const adherence = routed.map((prescription) => view.data!.patient.medicationList!.find((group) => group.medications.some((each) => each.id === prescription.id))!.adherence);
    expect(adherence.map((each) => [each.daysLate, each.refillLate])).toEqual([
      [8, false],
      [15, true],
      [15, false],
    ]);
  });
});
