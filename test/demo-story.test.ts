import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { seedDemoIfEmpty, type DemoUser } from '../src/db/seed';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { Consent } from '../src/modules/consent/consent.entity';
import { InboxState } from '../src/modules/ingest/inbox-message.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { User } from '../src/modules/users/user.entity';
import {
  MyDisclosuresDocument,
  MyMedicationAlertsDocument,
  MyNotificationsDocument,
  PatientConsentsDocument,
  PatientCriticalAlertsDocument,
  PatientsDocument,
  PatientViewDocument,
  PharmacyWorklistDocument,
  PrescriptionDeliveriesDocument,
  ReferralDocument,
  ReferralsReceivedDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { sendFhirBundle, sendHl7Message } from './helpers/ingest';
import { startTestWorkers, until } from './helpers/workers';

/** The README's examples ("Sending records in"), as a new user runs them after `npm start`. */
const readmeFhirBundle = readFileSync(join(__dirname, 'fixtures', 'fhir', 'pcp-bundle.json'));
const readmeHl7Result =
  'MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261126101500||ORU^R01|LAB-0001|P|2.5.1\rPID|1||L-555^^^REGLAB^MR||Demo^Avery||19880412\rOBR|1|ORD1|FIL1|14334-7^Lithium^LN|||20261126080000\rOBX|1|NM|14334-7^Lithium^LN||1.8|mmol/L|0.6-1.2|HH|||F|||20261126080000\r';

let h: Harness;
let workers: { stop(): Promise<void> };
let users: DemoUser[];
let seedMs: number;
let patients: { avery: Patient; jordan: Patient; riley: Patient };

const claimsOf = (role: Role): TokenClaims => users.find((user) => user.claims.role === role)!.claims;
const tokenOf = (role: Role) => h.token(claimsOf(role));

/** Outbox rows not yet done (still to run) and those that failed for good. */
async function outboxState() {
  const em = h.orm.em.fork();
  return { pending: await em.count(OutboxMessage, { doneAt: null }), failed: await em.count(OutboxMessage, { failedAt: { $ne: null } }) };
}

beforeAll(async () => {
  h = await startHarness();
  const started = performance.now();
  users = await seedDemoIfEmpty(h.orm.em.fork());
  seedMs = performance.now() - started;
  const all = await h.orm.em.fork().find(Patient, {});
  const named = (givenName: string) => all.find((patient) => patient.givenName === givenName)!;
  patients = { avery: named('Avery'), jordan: named('Jordan'), riley: named('Riley') };
  workers = startTestWorkers(h);
  await until(outboxState, ({ pending }) => pending === 0, 30_000);
}, 60_000);
afterAll(async () => {
  await workers.stop();
  await h.close();
});

it('seeds the story in a few seconds, and once the worker has run nothing is pending or FAILED', async () => {
  process.stdout.write(`demo story seeded in ${Math.round(seedMs)} ms\n`);
  // Seconds; the bound leaves room for a busy CI runner.
  expect(seedMs).toBeLessThan(30_000);
  expect(await outboxState()).toEqual({ pending: 0, failed: 0 });
  expect(users.map((user) => user.claims.role).sort()).toEqual(
    [Role.ADMIN, Role.IOP_CLINICIAN, Role.IOP_CLINICIAN, Role.PCP, Role.PHARMACIST, Role.LAB, Role.LOCAL_PROVIDER, Role.PATIENT].sort(),
  );
  // Every patient can be reached and signs with a login of their own.
  for (const patient of Object.values(patients)) {
    expect(patient).toMatchObject({ phone: expect.stringMatching(/^\(555\) 010-/), postalCode: expect.stringMatching(/^\d{5}$/) });
    expect(await h.orm.em.fork().count(User, { patient })).toBe(1);
  }
});

it("shows the PCP the consented patients, Avery's summary with labs and medications, Jordan's with the Part 2 notice, and refuses Riley", async () => {
  const token = await tokenOf(Role.PCP);
  const list = await h.graphql(PatientsDocument, { first: 10 }, token);
  expect(list.data!.patients.edges.map((edge) => edge.node.givenName).sort()).toEqual(['Avery', 'Jordan']);

  const avery = await h.graphql(PatientViewDocument, { id: patients.avery.id }, token);
  expect(avery.errors).toBeUndefined();
  const summary = avery.data!.patient;
  expect(summary.diagnoses!.map((diagnosis) => diagnosis.icd10Code)).toContain('F31.32');
  expect(summary.medications!.map((medication) => medication.drugName)).toContain('Lithium carbonate 300 mg capsule');
  expect(summary.assessments!.filter((assessment) => assessment.instrument === 'PHQ9')).toHaveLength(8);
  expect(summary.crisisPlan).not.toBeNull();
  const lithium = summary.labTrends!.find((trend) => /lithium/i.test(trend.test))!;
  expect(lithium).toMatchObject({ direction: 'UP', latest: { valueNumeric: 1.1 }, previous: { valueNumeric: 1 } });

  const jordan = await h.graphql(PatientViewDocument, { id: patients.jordan.id }, token);
  expect(jordan.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code)).toContain('F11.20');
  expect(jordan.extensions?.redisclosureNotice).toEqual(expect.stringContaining('42 CFR part 2'));

  const riley = await h.graphql(PatientViewDocument, { id: patients.riley.id }, token);
  expect(riley.errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
});

it("gives the pharmacist a worklist of routed prescriptions, one new, and Jordan's late buprenorphine delivery", async () => {
  const token = await tokenOf(Role.PHARMACIST);
  const worklist = await h.graphql(PharmacyWorklistDocument, { first: 20 }, token);
  const items = worklist.data!.pharmacyWorklist.edges.map((edge) => edge.node);
  expect(items).toHaveLength(5);
  expect(items.filter((item) => item.dispensingStatus === 'NEW').map((item) => `${item.patient.givenName}: ${item.drugName}`)).toEqual([
    'Riley: Lithium carbonate 300 mg capsule',
  ]);
  const buprenorphine = items.find((item) => item.drugName.startsWith('Buprenorphine'))!;
  expect(buprenorphine).toMatchObject({ deaSchedule: 'III', dispensingStatus: 'DISPENSED', fills: [{ fillNumber: 0 }, { fillNumber: 1 }] });

  const deliveries = await h.graphql(PrescriptionDeliveriesDocument, { id: patients.jordan.id }, token);
  const late = deliveries.data!.patient.medications!.find((medication) => medication.rxNumber === buprenorphine.rxNumber)!.deliveries!.find((each) => each.fillNumber === 1)!;
  expect(late.status).toBe('SHIPPED');
  expect(new Date(late.lateAfter!).getTime()).toBeLessThan(Date.now());

  // The prescriber has the urgent alert for it.
  const alerts = await h.graphql(MyMedicationAlertsDocument, {}, await tokenOf(Role.IOP_CLINICIAN));
  expect(alerts.data!.myMedicationAlerts).toEqual([expect.objectContaining({ kind: 'DELIVERY_LATE', urgency: 'URGENT', patientId: patients.jordan.id })]);
});

it("gives the local provider Riley's referral, accepted and booked", async () => {
  const token = await tokenOf(Role.LOCAL_PROVIDER);
  const received = await h.graphql(ReferralsReceivedDocument, {}, token);
  expect(received.data!.referralsReceived.edges.map((edge) => edge.node.status)).toEqual(['IN_PROGRESS']);
  const referral = await h.graphql(ReferralDocument, { id: received.data!.referralsReceived.edges[0].node.id }, token);
  expect(referral.errors).toBeUndefined();
  expect(referral.data!.referral).toMatchObject({ appointmentPlace: expect.stringContaining('Downtown'), packet: { patient: { givenName: 'Riley' } } });
  expect(referral.data!.referral.timeline.map((event) => event.toStatus)).toEqual(['DRAFT', 'REQUESTED', 'RECEIVED', 'ACCEPTED', 'IN_PROGRESS']);
});

it('shows Avery their consents, one waiting for them, and who read the record', async () => {
  const token = await tokenOf(Role.PATIENT);
  const consents = await h.graphql(PatientConsentsDocument, { id: patients.avery.id }, token);
  expect(consents.data!.patient.consents!.map((consent) => consent.status).sort()).toEqual(['ACTIVE', 'REQUESTED']);
  const disclosures = await h.graphql(MyDisclosuresDocument, { first: 50 }, token);
  const readers = new Set(disclosures.data!.myDisclosures.items.map((item) => item.organization?.name));
  expect([...readers]).toEqual(expect.arrayContaining(['Maple Street Family Medicine', 'Corner Community Pharmacy']));
});

it("tells the IOP staff of Riley's critical lithium and the rest through notifications", async () => {
  const token = await tokenOf(Role.IOP_CLINICIAN);
  const critical = await h.graphql(PatientCriticalAlertsDocument, { id: patients.riley.id }, token);
  expect(critical.data!.patient.criticalAlerts).toEqual([expect.objectContaining({ labResult: expect.objectContaining({ valueNumeric: 1.9, abnormalFlag: 'HH' }) })]);
  const notifications = await h.graphql(MyNotificationsDocument, {}, token);
  const kinds = new Set(notifications.data!.myNotifications.edges.map((edge) => edge.node.kind));
  expect([...kinds]).toEqual(expect.arrayContaining(['critical.result', 'referral.scheduled']));
});

it('seeds nothing the second time', async () => {
  const em = h.orm.em.fork();
  const before = { patients: await em.count(Patient, {}), consents: await em.count(Consent, {}), audit: await em.count(AuditEvent, {}) };
  expect(await seedDemoIfEmpty(h.orm.em.fork())).toEqual([]);
  expect({ patients: await em.count(Patient, {}), consents: await em.count(Consent, {}), audit: await em.count(AuditEvent, {}) }).toEqual(before);
});

it("links the README's FHIR Bundle and HL7 result to Avery, not to the review queue", async () => {
  const fhir = await sendFhirBundle(h, await tokenOf(Role.PCP), readmeFhirBundle);
  expect(fhir.response.statusCode).toBe(202);
  expect(fhir.message!.state).toBe(InboxState.PROCESSED);
  expect(await h.orm.em.fork().count(Diagnosis, { patient: patients.avery, icd10Code: 'E11.9' })).toBe(1);

  const hl7 = await sendHl7Message(h, await tokenOf(Role.LAB), readmeHl7Result);
  expect(hl7.ack).toBe('AA');
  expect(hl7.message!.state).toBe(InboxState.PROCESSED);
  expect(await until(() => h.orm.em.fork().count(CriticalAlert, { patient: patients.avery }), (count) => count === 1)).toBe(1);

  expect(await h.orm.em.fork().count(MatchReview, {})).toBe(0);
});
