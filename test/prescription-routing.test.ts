import { execFile } from 'node:child_process';
import type { MedicationRequest, Patient as FhirPatient } from '@medplum/fhirtypes';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { mayManageEndpoint } from '../src/modules/access/rules';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Consent } from '../src/modules/consent/consent.entity';
import { Prescription, PrescriptionRouting } from '../src/modules/medications/prescription.entity';
import { Notification } from '../src/modules/notifications/notification.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { PharmacyDispatch } from '../src/modules/pharmacy/pharmacy-dispatch.entity';
import { prescriptionNumberOf } from '../src/modules/pharmacy/prescription-number';
import { User } from '../src/modules/users/user.entity';
import { verifySignature } from '../src/modules/webhooks/signature';
import { WebhookDeliveryStatus } from '../src/modules/webhooks/webhook-message.entity';
import {
  CancelPrescriptionDocument, MyDisclosuresDocument, OrganizationEndpointDocument, PrescribeToPharmacyDocument, PrescriptionRoutingDocument, ReconcileMedicationDocument,
  RemoveOrganizationEndpointDocument, RequestConsentDocument, RevokeConsentDocument, SetOrganizationEndpointDocument, SignConsentDocument,
  type DataCategory, type PrescriptionInput,
} from './generated/graphql';
import { validateR4 } from './helpers/fhir-definitions';
import { startHarness, type Harness } from './helpers/harness';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, enrollInProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startHarness({ JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50', CONSENT_SWEEP_SECONDS: '1' });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  receiver = await startWebhookReceiver();
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await receiver.close();
  await h.close();
});

const prescriber = () => world.claims[Role.IOP_CLINICIAN];
const sertraline: Omit<PrescriptionInput, 'patientId'> = { drugName: 'Sertraline 50 mg tablet', rxnormCode: '312940', dose: '50 mg', route: 'oral', sig: 'once daily', quantity: 30, refills: 2 };
const buprenorphine: Omit<PrescriptionInput, 'patientId'> = { drugName: 'Buprenorphine/Naloxone 8 mg/2 mg film', dose: '8 mg', route: 'sublingual', sig: 'once daily', quantity: 14, deaSchedule: 'III' };

let patientCount = 0;

/** A new patient of the world's program (the prescriber on the care team), with an MRN and a login of their own. */
async function newPatient(programClinician: TokenClaims = prescriber()): Promise<{ id: string; mrn: string; login: TokenClaims }> {
  const em = h.orm.em.fork();
  patientCount += 1;
  const patient = new Patient('Quinn', `Routing${patientCount}`, '1984-02-29');
  Object.assign(patient, { phone: '555-0100', addressLine: '1 Elm St', city: 'Springfield', postalCode: '12345' });
  const mrn = `RT-${patientCount}`;
  const user = new User(`routing${patientCount}@patients.example`, 'Quinn');
  user.patient = patient;
  await em.persist([patient, new PatientIdentifier(patient, em.getReference(Organization, programClinician.organizationId!), mrn), user]).flush();
  await enrollInProgram(h.orm.em, patient.id, programClinician);
  return { id: patient.id, mrn, login: { userId: user.id, role: Role.PATIENT, organizationId: null } };
}

let pharmacyCount = 0;
async function newPharmacy(): Promise<string> {
  pharmacyCount += 1;
  const pharmacy = new Organization(`Routing Pharmacy ${pharmacyCount}`, OrganizationKind.PHARMACY);
  await h.orm.em.fork().persist(pharmacy).flush();
  return pharmacy.id;
}

/** The IOP's admin (who onboards partners) sets a pharmacy's endpoint; returns the secret, shown once. */
async function setEndpoint(pharmacyId: string, path: string): Promise<string> {
  const result = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: pharmacyId, url: receiver.url(path) } }, await h.token(world.claims[Role.ADMIN]));
  expect(result.errors).toBeUndefined();
  return result.data!.setOrganizationEndpoint.secret;
}

interface ConsentTerms {
  recipients: string[];
  categories: DataCategory[];
  by?: TokenClaims;
  startsAt?: Date;
}

async function requestConsentFor(patientId: string, { recipients, categories, by = prescriber(), startsAt }: ConsentTerms): Promise<string> {
  const result = await h.graphql(
    RequestConsentDocument,
    {
      input: {
        patientId, recipientOrganizationIds: recipients, purpose: 'TREATMENT', categories, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), startsAt: startsAt?.toISOString() ?? null,
      },
    },
    await h.token(by),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.requestConsent.consent.id;
}

async function sign(login: TokenClaims, consentId: string): Promise<void> {
  const result = await h.graphql(SignConsentDocument, { consentId, signedName: 'Quinn Routing', acknowledgeRightToRevoke: true }, await h.token(login));
  expect(result.errors).toBeUndefined();
}

async function consentSigned(patient: { id: string; login: TokenClaims }, terms: ConsentTerms): Promise<string> {
  const consentId = await requestConsentFor(patient.id, terms);
  await sign(patient.login, consentId);
  return consentId;
}

async function prescribe(patientId: string, drug: Omit<PrescriptionInput, 'patientId'>, pharmacyId: string | null, by: TokenClaims = prescriber()) {
  const result = await h.graphql(PrescribeToPharmacyDocument, { input: { patientId, ...drug, pharmacyId, homeDelivery: pharmacyId !== null } }, await h.token(by));
  expect(result.errors).toBeUndefined();
  return result.data!.prescribe.prescription;
}

const dispatchesOf = (prescriptionId: string) => h.orm.em.fork().find(PharmacyDispatch, { prescription: prescriptionId }, { orderBy: { createdAt: 'asc' } });
const routingAudits = (patientId: string) => h.orm.em.fork().find(AuditEvent, { patientId, operation: 'prescription.routed' });
const notificationsOf = (userId: string, kind: string) => h.orm.em.fork().find(Notification, { recipient: userId, kind });
const receivedAt = (path: string) => receiver.receivedAt(path);

describe('prescription numbers', () => {
  it('maps every sequence value to a distinct RX- number of 6 digits', () => {
    const numbers = new Set<string>();
    for (let value = 0; value < 1_000_000; value += 1) numbers.add(prescriptionNumberOf(value));
    expect(numbers.size).toBe(1_000_000);
    expect([...numbers].every((number) => /^RX-\d{6}$/.test(number))).toBe(true);
    expect(() => prescriptionNumberOf(1_000_000)).toThrow(RangeError);
  });

  it('gives each of a burst of concurrent prescriptions for one patient its own number, routing each to the pharmacy once', async () => {
    const pharmacy = await newPharmacy();
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    const written = await Promise.all(Array.from({ length: 30 }, (_, index) => prescribe(patient.id, sertraline, index % 2 === 0 ? pharmacy : null)));
    const numbers = written.map((prescription) => prescription.rxNumber!);
    expect(numbers.every((number) => /^RX-\d{6}$/.test(number))).toBe(true);
    expect(new Set(numbers).size).toBe(30);
    const sorted = numbers.map((number) => Number(number.slice(3))).sort((a, b) => a - b);
    expect(sorted.some((value, index) => index > 0 && value !== sorted[index - 1] + 1)).toBe(true);
    // Those for the pharmacy are routed, each audited and sent once; without a pharmacy, nothing is routed.
    expect(written.map((prescription) => prescription.routing)).toEqual(written.map((_, index) => (index % 2 === 0 ? 'ROUTED' : null)));
    expect(await routingAudits(patient.id)).toHaveLength(15);
    expect(await h.orm.em.fork().count(PharmacyDispatch, { prescription: { patient: patient.id } })).toBe(15);
  }, 30_000);

  it('leaves a prescription imported from another source with its source id and no hub number', async () => {
    const patient = await newPatient();
    const em = h.orm.em.fork();
    const practice = em.getReference(Organization, world.claims[Role.PCP].organizationId!);
    const imported = new Prescription(em.getReference(Patient, patient.id), { sourceOrganization: practice, sourceSystem: 'maple-ehr', sourceRecordId: 'MS-77' }, { drugName: 'Sertraline', dose: '50 mg', route: 'oral', sig: 'daily' });
    await em.persist(imported).flush();
    const stored = await h.orm.em.fork().findOneOrFail(Prescription, { id: imported.id });
    expect({ rxNumber: stored.rxNumber, sourceRecordId: stored.sourceRecordId }).toEqual({ rxNumber: null, sourceRecordId: 'MS-77' });
  });
});

describe('routing under consent', () => {
  it('routes only under a consent in force naming the pharmacy with MEDICATIONS, and SUD for MOUD; audits it; otherwise waits and tells the prescriber', async () => {
    const pharmacy = await newPharmacy();
    const otherPharmacy = await newPharmacy();
    const cases: { name: string; drug: typeof sertraline; consent: (patient: Awaited<ReturnType<typeof newPatient>>) => Promise<unknown>; routed: boolean }[] = [
      { name: 'non-MOUD, MEDICATIONS', drug: sertraline, consent: (p) => consentSigned(p, { recipients: [pharmacy], categories: ['MEDICATIONS'] }), routed: true },
      { name: 'MOUD, MEDICATIONS only', drug: buprenorphine, consent: (p) => consentSigned(p, { recipients: [pharmacy], categories: ['MEDICATIONS'] }), routed: false },
      { name: 'MOUD, MEDICATIONS and SUD', drug: buprenorphine, consent: (p) => consentSigned(p, { recipients: [pharmacy], categories: ['MEDICATIONS', 'SUD'] }), routed: true },
      { name: 'demographics only', drug: sertraline, consent: (p) => consentSigned(p, { recipients: [pharmacy], categories: ['DEMOGRAPHICS'] }), routed: false },
      { name: 'another pharmacy named', drug: sertraline, consent: (p) => consentSigned(p, { recipients: [otherPharmacy], categories: ['MEDICATIONS', 'SUD'] }), routed: false },
      { name: 'unsigned', drug: sertraline, consent: (p) => requestConsentFor(p.id, { recipients: [pharmacy], categories: ['MEDICATIONS'] }), routed: false },
      {
        name: 'expired',
        drug: sertraline,
        consent: async (p) => {
          const consentId = await consentSigned(p, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
          await h.orm.em.fork().nativeUpdate(Consent, { id: consentId }, { startsAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 3_600_000) });
        },
        routed: false,
      },
      {
        name: 'revoked',
        drug: sertraline,
        consent: async (p) => {
          const consentId = await consentSigned(p, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
          expect((await h.graphql(RevokeConsentDocument, { consentId }, await h.token(p.login))).errors).toBeUndefined();
        },
        routed: false,
      },
    ];
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const each of cases) {
      const patient = await newPatient();
      await each.consent(patient);
      const prescription = await prescribe(patient.id, each.drug, pharmacy);
      const audits = await routingAudits(patient.id);
      outcomes[each.name] = { routing: prescription.routing, routedAt: prescription.routedAt !== null, audits: audits.length };
      expected[each.name] = { routing: each.routed ? 'ROUTED' : 'AWAITING_CONSENT', routedAt: each.routed, audits: each.routed ? 1 : 0 };
      if (each.routed) {
        expect(audits[0]).toMatchObject({ organizationId: pharmacy, role: Role.PHARMACIST, userId: prescriber().userId, categories: prescription.categories.slice().sort(), purpose: 'TREATMENT' });
        expect(audits[0].consentId).not.toBeNull();
      } else {
        const told = await until(() => notificationsOf(prescriber().userId, 'prescription.awaiting-consent'), (items) => items.some((item) => item.subjectId === prescription.id));
        expect(told.filter((item) => item.subjectId === prescription.id)).toEqual([expect.objectContaining({ subjectType: 'Prescription' })]);
      }
    }
    expect(outcomes).toEqual(expected);
  }, 60_000);

  it("routes a program's prescription only under that program's consent: another program's consent naming the pharmacy does not cover it", async () => {
    const pharmacy = await newPharmacy();
    const patient = await newPatient();
    await enrollInProgram(h.orm.em, patient.id, second.clinician);
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'], by: second.clinician });
    const ours = await prescribe(patient.id, sertraline, pharmacy);
    const theirs = await prescribe(patient.id, sertraline, pharmacy, second.clinician);
    expect([ours.routing, theirs.routing]).toEqual(['AWAITING_CONSENT', 'ROUTED']);
  }, 30_000);

  it('routes waiting prescriptions once when a consent is signed, even when several are signed at once, and leaves those it does not cover', async () => {
    const pharmacy = await newPharmacy();
    const otherPharmacy = await newPharmacy();
    const patient = await newPatient();
    const moud = await prescribe(patient.id, buprenorphine, pharmacy);
    const elsewhere = await prescribe(patient.id, sertraline, otherPharmacy);
    expect([moud.routing, elsewhere.routing]).toEqual(['AWAITING_CONSENT', 'AWAITING_CONSENT']);
    // More requests at once than the database pool has connections.
    const consentIds = await Promise.all(Array.from({ length: 8 }, () => requestConsentFor(patient.id, { recipients: [pharmacy], categories: ['MEDICATIONS', 'SUD'] })));
    await Promise.all(consentIds.map((consentId) => sign(patient.login, consentId)));
    const routed = await until(() => h.orm.em.fork().findOneOrFail(Prescription, { id: moud.id }), (each) => each.routing === PrescriptionRouting.ROUTED);
    expect(routed.routedAt).not.toBeNull();
    // Every signing's job has run: the burst routed it once.
    await until(() => h.orm.em.fork().count(OutboxMessage, { jobName: 'consent.signed', doneAt: null }), (count) => count === 0);
    expect(await routingAudits(patient.id)).toHaveLength(1);
    // The patient's accounting of disclosures shows the pharmacy, what went, and the consent it went under.
    const accounting = await h.graphql(MyDisclosuresDocument, { first: 50 }, await h.token(patient.login));
    const routedRows = accounting.data!.myDisclosures.items.filter((item) => item.operation === 'prescription.routed');
    expect(routedRows).toEqual([expect.objectContaining({ role: 'PHARMACIST', categories: ['MEDICATIONS', 'SUD'], purpose: 'TREATMENT', organization: expect.objectContaining({ id: pharmacy }) })]);
    expect(consentIds).toContain(routedRows[0].consentId);
    expect((await dispatchesOf(moud.id)).map((dispatch) => dispatch.kind)).toEqual(['ORDER']);
    expect((await h.orm.em.fork().findOneOrFail(Prescription, { id: elsewhere.id })).routing).toBe('AWAITING_CONSENT');
  }, 30_000);
  it('routes a waiting prescription when a consent signed to start later comes into force', async () => {
    const pharmacy = await newPharmacy();
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'], startsAt: new Date(Date.now() + 2_000) });
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    expect(prescription.routing).toBe('AWAITING_CONSENT');
    const routed = await until(() => h.orm.em.fork().findOneOrFail(Prescription, { id: prescription.id }), (each) => each.routing === PrescriptionRouting.ROUTED, 10_000);
    expect(routed.routedAt!.getTime()).toBeGreaterThanOrEqual(Date.now() - 10_000);
    expect(routed.routing).toBe('ROUTED');
    expect(await routingAudits(patient.id)).toHaveLength(1);
  }, 30_000);
});

describe('delivery to the pharmacy', () => {
  it('POSTs a signed FHIR MedicationRequest with an idempotency key, the hub number, the MRN and the Part 2 labels for MOUD', async () => {
    const pharmacy = await newPharmacy();
    const secret = await setEndpoint(pharmacy, '/signed');
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS', 'SUD'] });
    const prescription = await prescribe(patient.id, buprenorphine, pharmacy);
    const [post] = await until(async () => receivedAt('/signed'), (posts) => posts.length > 0);
    expect(verifySignature(post.headers['x-signature'] as string, post.body, [secret])).toEqual({ valid: true });
    expect(verifySignature(post.headers['x-signature'] as string, post.body, ['another secret'])).toMatchObject({ valid: false });
    expect(post.headers['content-type']).toBe('application/fhir+json');
    const [dispatch] = await until(() => dispatchesOf(prescription.id), (each) => each[0]?.status === WebhookDeliveryStatus.DELIVERED);
    expect(post.headers['idempotency-key']).toBe(dispatch.id);

    const request = JSON.parse(post.body.toString()) as MedicationRequest;
    expect(validateR4(request)).toEqual([]);
    expect(request).toMatchObject({ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: '#patient' } });
    expect(request.identifier).toContainEqual(expect.objectContaining({ value: prescription.rxNumber }));
    expect(request.meta?.security?.map((label) => label.code)).toEqual(expect.arrayContaining(['42CFRPart2', 'R', 'NORDSCLCD']));
    expect(request.meta?.extension?.[0].valueString).toMatch(/42 CFR part 2/i);
    const contained = request.contained?.[0] as FhirPatient;
    expect(contained.identifier?.[0].value).toBe(patient.mrn);
    expect(contained.birthDate).toBe('1984-02-29');
    expect(contained.address?.[0].city).toBe('Springfield');
    expect(request.note?.map((note) => note.text)).toEqual(["Deliver to the patient's home address", 'DEA schedule III']);

    // A non-MOUD prescription carries no Part 2 label.
    const plain = await prescribe(patient.id, sertraline, pharmacy);
    const posts = await until(async () => receivedAt('/signed'), (each) => each.length === 2);
    const second = JSON.parse(posts[1].body.toString()) as MedicationRequest;
    expect(second.identifier).toContainEqual(expect.objectContaining({ value: plain.rxNumber }));
    expect(second.meta?.security).toBeUndefined();
  }, 30_000);

  it('tries again after 500s with the same key and delivers once', async () => {
    const pharmacy = await newPharmacy();
    await setEndpoint(pharmacy, '/flaky');
    receiver.script.set('/flaky', [500, 503]);
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    const [dispatch] = await until(() => dispatchesOf(prescription.id), (each) => each[0]?.status === WebhookDeliveryStatus.DELIVERED);
    expect({ attempts: dispatch.attempts, lastResponseStatus: dispatch.lastResponseStatus }).toEqual({ attempts: 3, lastResponseStatus: 200 });
    const posts = receivedAt('/flaky');
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((post) => post.headers['idempotency-key']))).toEqual(new Set([dispatch.id]));
    expect(await notificationsOf(prescriber().userId, 'prescription.delivery-failed')).toEqual([]);
    // The prescriber sees how the delivery fared.
    const seen = await h.graphql(PrescriptionRoutingDocument, { id: prescription.id }, await h.token(prescriber()));
    expect(seen.data?.prescription.pharmacyDispatches).toEqual([expect.objectContaining({ kind: 'ORDER', status: 'DELIVERED', attempts: 3 })]);
  }, 30_000);

  it('sends a delivered message never again, whatever job asks for it', async () => {
    const pharmacy = await newPharmacy();
    await setEndpoint(pharmacy, '/once');
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    const [dispatch] = await until(() => dispatchesOf(prescription.id), (each) => each[0]?.status === WebhookDeliveryStatus.DELIVERED);
    const again = await h.queues.get('pharmacy-events').add('prescription.deliver', { dispatchId: dispatch.id }, { jobId: `again-${dispatch.id}` });
    await until(async () => (await again.getState()) === 'completed', (done) => done);
    expect(receivedAt('/once')).toHaveLength(1);
    expect((await dispatchesOf(prescription.id))[0].attempts).toBe(1);
  }, 30_000);

  it('gives up at once on a 4xx refusal, and after the last attempt on 5xx; each time the prescriber is told once and the job is FAILED', async () => {
    const pharmacy = await newPharmacy();
    const refusing = await newPharmacy();
    await setEndpoint(pharmacy, '/down');
    await setEndpoint(refusing, '/refuses');
    receiver.script.set('/down', [500, 500, 500, 500]);
    receiver.script.set('/refuses', [422]);
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy, refusing], categories: ['MEDICATIONS'] });
    const down = await prescribe(patient.id, sertraline, pharmacy);
    const refused = await prescribe(patient.id, sertraline, refusing);
    const [downDispatch] = await until(() => dispatchesOf(down.id), (each) => each[0]?.status === WebhookDeliveryStatus.FAILED);
    const [refusedDispatch] = await until(() => dispatchesOf(refused.id), (each) => each[0]?.status === WebhookDeliveryStatus.FAILED);
    expect([downDispatch.attempts, refusedDispatch.attempts]).toEqual([3, 1]);
    expect([receivedAt('/down').length, receivedAt('/refuses').length]).toEqual([3, 1]);
    const told = await until(() => notificationsOf(prescriber().userId, 'prescription.delivery-failed'), (items) => items.length >= 2);
    expect(told.map((item) => item.subjectId).sort()).toEqual([down.id, refused.id].sort());
    const failedRows = await until(() => h.orm.em.fork().find(OutboxMessage, { jobName: 'prescription.deliver', failedAt: { $ne: null } }), (rows) => rows.length >= 2);
    expect(failedRows.map((row) => row.payload.dispatchId).sort()).toEqual([downDispatch.id, refusedDispatch.id].sort());
    // Logs carry ids and statuses, never the patient.
    expect(h.logLines.join('\n')).not.toMatch(/Quinn|Routing\d|1984-02-29|Elm St/);
  }, 30_000);

  it('sends nothing to a pharmacy without an endpoint (its worklist is the channel)', async () => {
    const pharmacy = await newPharmacy();
    await setEndpoint(pharmacy, '/removed');
    const removed = await h.graphql(RemoveOrganizationEndpointDocument, { organizationId: pharmacy }, await h.token(world.claims[Role.ADMIN]));
    expect(removed.data?.removeOrganizationEndpoint.removed).toBe(true);
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    expect(prescription.routing).toBe('ROUTED');
    const [dispatch] = await until(() => dispatchesOf(prescription.id), (each) => each[0]?.status === WebhookDeliveryStatus.NO_ENDPOINT);
    expect(dispatch.attempts).toBe(0);
    expect(receivedAt('/removed')).toEqual([]);
  }, 30_000);
});

describe('cancelling and stopping', () => {
  it('tells the pharmacy a routed prescription is cancelled; another program cannot cancel it', async () => {
    const pharmacy = await newPharmacy();
    const secret = await setEndpoint(pharmacy, '/cancel');
    const patient = await newPatient();
    await enrollInProgram(h.orm.em, patient.id, second.clinician);
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    await until(async () => receivedAt('/cancel'), (posts) => posts.length === 1);

    const byOther = await h.graphql(CancelPrescriptionDocument, { input: { prescriptionId: prescription.id, reason: 'not ours' } }, await h.token(second.clinician));
    expect(byOther.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await h.orm.em.fork().findOneOrFail(Prescription, { id: prescription.id })).prescriptionStatus).toBe('ACTIVE');

    const cancelled = await h.graphql(CancelPrescriptionDocument, { input: { prescriptionId: prescription.id, reason: 'Switched to another SSRI' } }, await h.token(prescriber()));
    expect(cancelled.data?.cancelPrescription.prescription).toMatchObject({ prescriptionStatus: 'STOPPED', routing: 'ROUTED', stopReason: 'Switched to another SSRI' });
    const posts = await until(async () => receivedAt('/cancel'), (each) => each.length === 2);
    expect(verifySignature(posts[1].headers['x-signature'] as string, posts[1].body, [secret])).toEqual({ valid: true });
    const message = JSON.parse(posts[1].body.toString()) as MedicationRequest;
    expect(message).toMatchObject({ status: 'cancelled', statusReason: { text: 'Switched to another SSRI' } });
    expect(message.identifier).toContainEqual(expect.objectContaining({ value: prescription.rxNumber }));
    const dispatches = await until(() => dispatchesOf(prescription.id), (each) => each.every((dispatch) => dispatch.status === WebhookDeliveryStatus.DELIVERED));
    expect(dispatches.map((dispatch) => dispatch.kind)).toEqual(['ORDER', 'CANCEL']);
    expect(posts[1].headers['idempotency-key']).toBe(dispatches[1].id);

    const again = await h.graphql(CancelPrescriptionDocument, { input: { prescriptionId: prescription.id, reason: 'twice' } }, await h.token(prescriber()));
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  }, 30_000);

  it('cancels once under a burst of cancellations of one prescription, telling the pharmacy once', async () => {
    const pharmacy = await newPharmacy();
    await setEndpoint(pharmacy, '/cancel-burst');
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    const token = await h.token(prescriber());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => h.graphql(CancelPrescriptionDocument, { input: { prescriptionId: prescription.id, reason: `reason ${index}` } }, token)),
    );
    expect(results.filter((result) => result.data?.cancelPrescription).length).toBe(1);
    expect(results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT').length).toBe(7);
    const dispatches = await until(() => dispatchesOf(prescription.id), (each) => each.length === 2 && each.every((dispatch) => dispatch.status === WebhookDeliveryStatus.DELIVERED));
    expect(dispatches.map((dispatch) => dispatch.kind)).toEqual(['ORDER', 'CANCEL']);
    expect(receivedAt('/cancel-burst')).toHaveLength(2);
  }, 30_000);

  it('withdraws a prescription cancelled while it awaited a consent: nothing is sent, and a later consent does not route it', async () => {
    const pharmacy = await newPharmacy();
    await setEndpoint(pharmacy, '/withdrawn');
    const patient = await newPatient();
    const prescription = await prescribe(patient.id, sertraline, pharmacy);
    const cancelled = await h.graphql(CancelPrescriptionDocument, { input: { prescriptionId: prescription.id, reason: 'Patient declined' } }, await h.token(prescriber()));
    expect(cancelled.data?.cancelPrescription.prescription.routing).toBe('WITHDRAWN');
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    await until(() => h.orm.em.fork().count(OutboxMessage, { jobName: 'consent.signed', doneAt: null }), (count) => count === 0);
    expect((await h.orm.em.fork().findOneOrFail(Prescription, { id: prescription.id })).routing).toBe('WITHDRAWN');
    expect(await dispatchesOf(prescription.id)).toEqual([]);
    expect(receivedAt('/withdrawn')).toEqual([]);
  }, 30_000);

  it('tells the pharmacy a routed prescription discontinued at reconciliation is stopped', async () => {
    const pharmacy = await newPharmacy();
    await setEndpoint(pharmacy, '/stopped');
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    await prescribe(patient.id, sertraline, pharmacy);
    await until(async () => receivedAt('/stopped'), (posts) => posts.length === 1);
    const decided = await h.graphql(
      ReconcileMedicationDocument,
      { input: { patientId: patient.id, ingredient: 'sertraline', action: 'DISCONTINUE', note: 'Tapered off' } },
      await h.token(prescriber()),
    );
    expect(decided.errors).toBeUndefined();
    const posts = await until(async () => receivedAt('/stopped'), (each) => each.length === 2);
    expect(JSON.parse(posts[1].body.toString())).toMatchObject({ status: 'stopped', statusReason: { text: 'Tapered off' } });
  }, 30_000);
});

describe('organization endpoints', () => {
  it('are managed by the organization\'s own admins, or a program\'s admins for a partner (the rule)', () => {
    const reader = (role: Role, organizationId: string) => ({ userId: 'u', role, organizationId, patientId: null });
    const pharmacy = { id: 'pharmacy', kind: OrganizationKind.PHARMACY };
    const program = { id: 'program', kind: OrganizationKind.IOP };
    expect(mayManageEndpoint(reader(Role.ADMIN, 'pharmacy'), OrganizationKind.PHARMACY, pharmacy)).toBe(true);
    expect(mayManageEndpoint(reader(Role.ADMIN, 'program'), OrganizationKind.IOP, pharmacy)).toBe(true);
    expect(mayManageEndpoint(reader(Role.ADMIN, 'program'), OrganizationKind.IOP, program)).toBe(true);
    expect(mayManageEndpoint(reader(Role.ADMIN, 'other-program'), OrganizationKind.IOP, program)).toBe(false);
    expect(mayManageEndpoint(reader(Role.ADMIN, 'other-pharmacy'), OrganizationKind.PHARMACY, pharmacy)).toBe(false);
    expect(mayManageEndpoint(reader(Role.PHARMACIST, 'pharmacy'), OrganizationKind.PHARMACY, pharmacy)).toBe(false);
  });

  it("are set by a program's admins for a partner, never by another program's admins for a program, nor by pharmacists; the secret is shown once", async () => {
    const pharmacy = await newPharmacy();
    const secret = await setEndpoint(pharmacy, '/managed');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const shown = await h.graphql(OrganizationEndpointDocument, { organizationId: pharmacy }, await h.token(world.claims[Role.ADMIN]));
    expect(shown.data?.organizationEndpoint?.url).toBe(receiver.url('/managed'));
    expect(JSON.stringify(shown)).not.toContain(secret);

    const onOtherProgram = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: world.iopId, url: receiver.url('/x') } }, await h.token(second.admin));
    expect(onOtherProgram.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byPharmacist = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: pharmacy, url: receiver.url('/x') } }, await h.token(world.claims[Role.PHARMACIST]));
    expect(byPharmacist.errors).toBeDefined();
    const badUrl = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: pharmacy, url: 'ftp://example.org/hook' } }, await h.token(world.claims[Role.ADMIN]));
    expect(badUrl.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unchanged = await h.graphql(OrganizationEndpointDocument, { organizationId: pharmacy }, await h.token(world.claims[Role.ADMIN]));
    expect(unchanged.data?.organizationEndpoint?.url).toBe(receiver.url('/managed'));
  });

  it('sign with the previous secret too while a rotation keeps it, and with the new one alone once reset without overlap', async () => {
    const pharmacy = await newPharmacy();
    const admin = await h.token(world.claims[Role.ADMIN]);
    const first = await setEndpoint(pharmacy, '/rotated');
    const rotated = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: pharmacy, url: receiver.url('/rotated'), keepPreviousSecretHours: 24 } }, admin);
    const second = rotated.data!.setOrganizationEndpoint;
    expect(second.endpoint.previousSecretUntil).not.toBeNull();
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    await prescribe(patient.id, sertraline, pharmacy);
    const [during] = await until(async () => receivedAt('/rotated'), (posts) => posts.length === 1);
    const header = during.headers['x-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect([verifySignature(header, during.body, [first]), verifySignature(header, during.body, [second.secret])]).toEqual([{ valid: true }, { valid: true }]);

    const reset = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: pharmacy, url: receiver.url('/rotated') } }, admin);
    const third = reset.data!.setOrganizationEndpoint;
    expect(third.endpoint.previousSecretUntil).toBeNull();
    await prescribe(patient.id, sertraline, pharmacy);
    const posts = await until(async () => receivedAt('/rotated'), (each) => each.length === 2);
    const after = posts[1].headers['x-signature'] as string;
    expect(verifySignature(after, posts[1].body, [third.secret])).toEqual({ valid: true });
    expect(verifySignature(after, posts[1].body, [second.secret, first])).toMatchObject({ valid: false });
    const tooLong = await h.graphql(SetOrganizationEndpointDocument, { input: { organizationId: pharmacy, url: receiver.url('/rotated'), keepPreviousSecretHours: 1000 } }, admin);
    expect(tooLong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }, 30_000);

  it('are set by the operator CLI, which prints the secret the deliveries are then signed with', async () => {
    const pharmacy = await newPharmacy();
    const cli = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'npm',
        ['run', '-s', 'admin', '--', 'set-endpoint', '--organization', pharmacy, '--url', receiver.url('/by-cli')],
        { env: { ...process.env, DATABASE_URL: h.config.DATABASE_URL, WEBHOOK_SECRETS_KEY: h.config.WEBHOOK_SECRETS_KEY } },
        (error, stdout, stderr) => resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(cli).toMatchObject({ exitCode: 0, stderr: '' });
    const { secret } = JSON.parse(cli.stdout) as { secret: string };
    const patient = await newPatient();
    await consentSigned(patient, { recipients: [pharmacy], categories: ['MEDICATIONS'] });
    await prescribe(patient.id, sertraline, pharmacy);
    const [post] = await until(async () => receivedAt('/by-cli'), (posts) => posts.length > 0);
    expect(verifySignature(post.headers['x-signature'] as string, post.body, [secret])).toEqual({ valid: true });
  }, 60_000);
});
