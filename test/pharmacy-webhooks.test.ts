import { execFile } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { Role } from '../src/auth/roles';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import { DeaSchedule, Prescription, PrescriptionRouting } from '../src/modules/medications/prescription.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Delivery, DeliveryEvent } from '../src/modules/pharmacy/delivery.entity';
import { MedicationAlert, MedicationAlertKind } from '../src/modules/pharmacy/medication-alert.entity';
import { DeliveryService } from '../src/modules/pharmacy/delivery.service';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import { signatureHeader } from '../src/modules/webhooks/signature';
import { WebhookSource } from '../src/modules/webhooks/webhook-source.entity';
import {
  AcknowledgeMedicationAlertDocument,
  CreateWebhookSourceDocument,
  LinkMatchReviewDocument,
  MedicationAlertDocument,
  MyMedicationAlertsDocument,
  MyNotificationsDocument,
  PatientMedicationAlertsDocument,
  PrescriptionDeliveriesDocument,
  RetireWebhookSecretDocument,
  RotateWebhookSecretDocument,
  SetDeliveryStatusDocument,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { deliveryEvent, postEvent, webhookSource } from './helpers/pharmacy';
import { addRoutedPrescription } from './helpers/routed-prescriptions';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';
import type { TokenClaims } from '../src/auth/jwt';

let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };
let pharmacyId: string;
let secret: string;
let otherPharmacy: { id: string; pharmacist: TokenClaims; secret: string };
const source = 'corner-pharmacy';

/** The first patient (treated by both programs), with the IOP MRN the seed gave them. */
const avery = { mrn: 'IOP-1001', birthDate: '1988-04-12' };

async function prescriptionFor(options: { drugName?: string; deaSchedule?: DeaSchedule | null; prescriber?: TokenClaims; patientId?: string; pharmacy?: string } = {}) {
  const { patientId = world.patients[0].id, prescriber = world.claims[Role.IOP_CLINICIAN], pharmacy = pharmacyId } = options;
  const prescription = await addRoutedPrescription(h.orm.em, {
    patientId,
    programId: prescriber.organizationId!,
    prescriberId: prescriber.userId,
    pharmacyId: pharmacy,
    drugName: options.drugName,
    deaSchedule: options.deaSchedule,
    // Only the first program's consent for the first patient names this pharmacy (signed before the tests).
    underConsent: patientId === world.patients[0].id && prescriber.organizationId === world.iopId && pharmacy === pharmacyId,
  });
  const rxNumber = prescription.rxNumber!;
  return { id: prescription.id, rxNumber, base: { source, rxNumber, ...avery } };
}

let eventCounter = 0;
const nextEventId = () => `evt-${process.pid}-${(eventCounter += 1).toString().padStart(6, '0')}`;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

const deliveryOf = (prescriptionId: string, fillNumber = 0) =>
  h.orm.em.fork().findOne(Delivery, { prescription: prescriptionId, fillNumber });
const historyOf = async (prescriptionId: string) => {
  const delivery = await deliveryOf(prescriptionId);
  return delivery ? h.orm.em.fork().find(DeliveryEvent, { delivery }, { orderBy: { occurredAt: 'asc' } }) : [];
};
const inboxCount = () => h.orm.em.fork().count(InboxMessage, { source: InboxSource.PHARMACY });
const settled = () => until(() => h.orm.em.fork().count(InboxMessage, { source: InboxSource.PHARMACY, state: InboxState.RECEIVED }), (count) => count === 0, 20_000);

beforeAll(async () => {
  h = await startHarness({ OUTBOX_RECONCILE_SECONDS: '0.5' });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  pharmacyId = world.claims[Role.PHARMACIST].organizationId!;
  ({ secret } = await webhookSource(h, world.claims[Role.ADMIN], pharmacyId, source));
  const em = h.orm.em.fork();
  const other = new Organization('Faraway Pharmacy', OrganizationKind.PHARMACY);
  const otherUser = new User('rx@faraway.example', 'Far Pharmacist');
  em.persist([other, otherUser, new Membership(otherUser, other, Role.PHARMACIST)]);
  await em.flush();
  const otherSource = await webhookSource(h, world.claims[Role.ADMIN], other.id, 'faraway-pharmacy');
  otherPharmacy = { id: other.id, pharmacist: { userId: otherUser.id, role: Role.PHARMACIST, organizationId: other.id }, secret: otherSource.secret };
  // Routing discloses a prescription to its pharmacy only under a consent naming it (the routing module's rule).
  await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [pharmacyId], categories: ['DEMOGRAPHICS', 'MEDICATIONS', 'SUD'] }));
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

describe('refusals: nothing is stored, the sender is told why, never a 5xx', () => {
  let base: Awaited<ReturnType<typeof prescriptionFor>>['base'];
  beforeAll(async () => {
    base = (await prescriptionFor()).base;
  });

  it('401 for a missing, malformed, wrong or stale signature, a retired secret, or an unknown source', async () => {
    const body = deliveryEvent(base, nextEventId(), 'RECEIVED', at(5));
    const raw = JSON.stringify(body);
    const before = await inboxCount();
    const cases: [string, Awaited<ReturnType<typeof postEvent>>][] = [
      ['missing', await postEvent(h, source, secret, raw, { signature: null })],
      ['malformed', await postEvent(h, source, secret, raw, { signature: 'sha256=abc' })],
      ['no v1', await postEvent(h, source, secret, raw, { signature: `t=${Math.floor(Date.now() / 1000)}` })],
      ['wrong secret', await postEvent(h, source, 'not-the-secret', raw)],
      ['stale', await postEvent(h, source, secret, raw, { signedAt: new Date(Date.now() - 301_000) })],
      ['future', await postEvent(h, source, secret, raw, { signedAt: new Date(Date.now() + 301_000) })],
      ['other bytes', await postEvent(h, source, secret, raw, { signature: signatureHeader([secret], raw.replace('RECEIVED', 'PROCESSING')) })],
      ["another source's secret", await postEvent(h, source, otherPharmacy.secret, raw)],
      ['unknown source', await postEvent(h, 'nobody-pharmacy', secret, { ...body, source: 'nobody-pharmacy' })],
    ];
    for (const [name, response] of cases) expect([name, response.status]).toEqual([name, 401]);
    expect(await inboxCount()).toBe(before);
  });

  it('400 for bytes that are not JSON (or not UTF-8), 415 for another content type', async () => {
    expect((await postEvent(h, source, secret, '{"schemaVersion": "1.0",')).status).toBe(400);
    expect((await postEvent(h, source, secret, Buffer.from([0xff, 0xfe, 0x7b]).toString('latin1'))).status).toBe(400);
    expect((await postEvent(h, source, secret, 'eventId=1', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
  });

  it('422 for every rule of the contract, naming the field, never echoing the value', async () => {
    const ok = (status: string, overrides: Record<string, unknown> = {}) => deliveryEvent(base, nextEventId(), status, at(5), overrides);
    const shipment = { carrier: 'UPS', trackingNumber: '1Z1', service: 'Ground', estimatedDelivery: '2026-12-03' };
    const corpus: [string, Record<string, unknown>, string][] = [
      ['schemaVersion 2.0', ok('RECEIVED', { schemaVersion: '2.0' }), '/schemaVersion'],
      ['eventId too short', ok('RECEIVED', { eventId: 'e-1' }), '/eventId'],
      ['eventId with a space', ok('RECEIVED', { eventId: 'evt 0000001' }), '/eventId'],
      ['fillNumber 100', ok('RECEIVED', { fillNumber: 100 }), '/fillNumber'],
      ['fillNumber -1', ok('RECEIVED', { fillNumber: -1 }), '/fillNumber'],
      ['unknown status', ok('RECEIVED', { status: 'LOST' }), '/status'],
      ['occurredAt without offset', ok('RECEIVED', { occurredAt: '2026-12-01T10:00:00' }), '/occurredAt'],
      ['occurredAt a date', ok('RECEIVED', { occurredAt: '2026-12-01' }), '/occurredAt'],
      ['birth date not a date', ok('RECEIVED', { patient: { mrn: avery.mrn, birthDate: '12/04/1988' } }), '/patient/birthDate'],
      ['patient without mrn', ok('RECEIVED', { patient: { birthDate: avery.birthDate } }), '/patient/mrn'],
      ['deaSchedule CVI', ok('RECEIVED', { medication: { rxnorm: '1', display: 'x', quantity: 1, unit: 'u', daysSupply: 1, deaSchedule: 'CVI' } }), '/medication/deaSchedule'],
      ['medication without deaSchedule', ok('RECEIVED', { medication: { rxnorm: '1', display: 'x', quantity: 1, unit: 'u', daysSupply: 1 } }), '/medication/deaSchedule'],
      ['SHIPPED without tracking number', ok('SHIPPED', { shipment: { carrier: 'UPS' } }), '/shipment/trackingNumber'],
      ['OUT_FOR_DELIVERY without shipment', ok('OUT_FOR_DELIVERY', { shipment: undefined }), '/shipment'],
      ['DELIVERED without signature', ok('DELIVERED', { signature: undefined }), '/signature'],
      ['method NONE though obtained', ok('DELIVERED', { signature: { required: true, obtained: true, method: 'NONE' } }), '/signature/method'],
      ['method PAPER though not obtained', ok('DELIVERED', { signature: { required: true, obtained: false, method: 'PAPER' } }), '/signature/method'],
      ['EXCEPTION without reason', ok('EXCEPTION', { reason: undefined }), '/reason'],
      ['RETURNED without reason', ok('RETURNED', { reason: undefined }), '/reason'],
      // Null stands for absent only where a field is optional: what the status requires must be there.
      ['SHIPPED with a null tracking number', ok('SHIPPED', { shipment: { ...shipment, trackingNumber: null } }), '/shipment/trackingNumber'],
      ['OUT_FOR_DELIVERY with a null shipment', ok('OUT_FOR_DELIVERY', { shipment: null }), '/shipment'],
      ['DELIVERED with a null signature', ok('DELIVERED', { signature: null }), '/signature'],
      ['EXCEPTION with a null reason', ok('EXCEPTION', { reason: null }), '/reason'],
      ['RETURNED with a null reason', ok('RETURNED', { reason: null }), '/reason'],
      ['a null carrier', ok('SHIPPED', { shipment: { ...shipment, carrier: null } }), '/shipment/carrier'],
      ['a null signature method', ok('DELIVERED', { signature: { required: true, obtained: true, method: null } }), '/signature/method'],
      ['a null reason text', ok('EXCEPTION', { reason: { code: 'OTHER', text: null } }), '/reason/text'],
      ['a null status', ok('RECEIVED', { status: null }), '/status'],
      ['reason text over 500', ok('EXCEPTION', { reason: { code: 'OTHER', text: 'x'.repeat(501) } }), '/reason/text'],
      ['unknown reason code', ok('EXCEPTION', { reason: { code: 'ALIENS', text: 'y' } }), '/reason/code'],
      ['note over 1000', ok('RECEIVED', { note: 'n'.repeat(1001) }), '/note'],
      ['extra property', ok('RECEIVED', { priority: 'high' }), '/priority'],
      ['extra shipment property', ok('SHIPPED', { shipment: { ...shipment, weight: 2 } }), '/shipment/weight'],
      ['estimatedDelivery not a date', ok('SHIPPED', { shipment: { ...shipment, estimatedDelivery: 'tomorrow' } }), '/shipment/estimatedDelivery'],
      ['a NUL in the note', ok('RECEIVED', { note: 'before\u0000after' }), '/note'],
      ['source not the URL', ok('RECEIVED', { source: 'faraway-pharmacy' }), '/source'],
      ['occurredAt an hour ahead', ok('RECEIVED', { occurredAt: new Date(Date.now() + 3600_000).toISOString() }), '/occurredAt'],
    ];
    const before = await inboxCount();
    for (const [name, body, path] of corpus) {
      const response = await postEvent(h, source, secret, JSON.parse(JSON.stringify(body)) as object);
      expect([name, response.status]).toEqual([name, 422]);
      expect([name, response.body.violations?.map((each) => each.path)]).toEqual([name, expect.arrayContaining([path])]);
      expect(JSON.stringify(response.body)).not.toContain('x'.repeat(50));
    }
    expect(await inboxCount()).toBe(before);
  });

  it('409 when the MRN or birth date is not the prescription patient’s; nothing stored', async () => {
    const before = await inboxCount();
    const wrongMrn = await postEvent(h, source, secret, deliveryEvent({ ...base, mrn: 'IOP-1002' }, nextEventId(), 'RECEIVED', at(5)));
    const wrongBirth = await postEvent(h, source, secret, deliveryEvent({ ...base, birthDate: '1988-04-13' }, nextEventId(), 'RECEIVED', at(5)));
    // The second program's MRN scheme does not name Avery as IOP-1001 either way: only an IOP's own MRN counts.
    expect([wrongMrn.status, wrongBirth.status]).toEqual([409, 409]);
    expect(await inboxCount()).toBe(before);
  });

  it('never answers fuzzed bodies with a 5xx', async () => {
    const valid = deliveryEvent(base, 'evt-fuzz-0000', 'SHIPPED', at(5));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value)),
          fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
          // A valid body with one field replaced by anything.
          fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.jsonValue()).map(([key, value]) => JSON.stringify({ ...valid, eventId: 'evt-fuzz-0001', [key]: value })),
        ),
        async (raw) => {
          const response = await postEvent(h, source, secret, raw);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('optional fields sent as null', () => {
  const absentAsNull = {
    pharmacyOrderId: null,
    note: null,
    shipment: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', service: null, estimatedDelivery: null },
    signature: { required: true, obtained: true, method: 'ELECTRONIC', signerName: null, capturedAt: null, relationship: null, leftAt: null, driverRelease: null },
    reason: null,
  };

  it('are accepted and read as absent: nothing null is kept, no estimated date makes a delivery late', async () => {
    const rx = await prescriptionFor();
    const received = deliveryEvent(rx.base, nextEventId(), 'RECEIVED', at(30), { pharmacyOrderId: null, note: null, shipment: null, signature: null, reason: null });
    const shipped = deliveryEvent(rx.base, nextEventId(), 'SHIPPED', at(20), { ...absentAsNull, signature: null });
    const delivered = deliveryEvent(rx.base, nextEventId(), 'DELIVERED', at(10), absentAsNull);
    for (const body of [received, shipped, delivered]) expect((await postEvent(h, source, secret, body)).status).toBe(202);
    await settled();
    const delivery = await deliveryOf(rx.id);
    expect(delivery).toMatchObject({ status: 'DELIVERED', reason: null, lateAfter: null });
    expect(delivery!.shipment).toEqual({ carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
    expect(delivery!.signature).toEqual({ required: true, obtained: true, method: 'ELECTRONIC' });
    const details = (await historyOf(rx.id)).map((event) => event.detail);
    expect(details.map((detail) => detail.status)).toEqual(['RECEIVED', 'SHIPPED', 'DELIVERED']);
    expect(JSON.stringify(details)).not.toContain('null');
  });

  it('the published schema says so: null where optional, never where the status requires the field', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/ingest/pharmacy/schema.json' });
    expect(response.statusCode).toBe(200);
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv, ['date', 'date-time']);
    const validate = ajv.compile(response.json<object>());
    const base = { source, rxNumber: 'RX-123456', ...avery };
    expect(validate(deliveryEvent(base, nextEventId(), 'DELIVERED', at(5), absentAsNull))).toBe(true);
    expect(validate(deliveryEvent(base, nextEventId(), 'RECEIVED', at(5), { shipment: null, signature: null, reason: null }))).toBe(true);
    for (const required of [{ signature: null }, { shipment: { ...absentAsNull.shipment, trackingNumber: null } }, { shipment: null }]) {
      expect(validate(deliveryEvent(base, nextEventId(), 'DELIVERED', at(5), { ...absentAsNull, ...required }))).toBe(false);
    }
    expect(validate(deliveryEvent(base, nextEventId(), 'RETURNED', at(5), { reason: null }))).toBe(false);
  });
});

describe('events in order, out of order, duplicated, conflicting', () => {
  it('applies events in order; the history keeps each, ordered by when it happened', async () => {
    const rx = await prescriptionFor();
    for (const [status, minutesAgo] of [['RECEIVED', 50], ['PROCESSING', 40], ['SHIPPED', 30], ['OUT_FOR_DELIVERY', 20], ['DELIVERED', 10]] as const) {
      const response = await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), status, at(minutesAgo)));
      expect(response.status).toBe(202);
    }
    await settled();
    expect((await deliveryOf(rx.id))?.status).toBe('DELIVERED');
    expect((await historyOf(rx.id)).map((event) => event.status)).toEqual(['RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED']);

    const view = await h.graphql(PrescriptionDeliveriesDocument, { id: world.patients[0].id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(view.errors).toBeUndefined();
    const shown = view.data!.patient.medications!.find((each) => each.id === rx.id)!.deliveries!;
    expect(shown[0]).toMatchObject({ status: 'DELIVERED', fillNumber: 0, provenance: { organizationId: pharmacyId }, categories: ['MEDICATIONS'] });
    expect(shown[0].history.map((event) => event.status)).toEqual(['RECEIVED', 'PROCESSING', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
  });

  it('out of order and late: the latest event sets the status, an older one never moves it back, a terminal one stays', async () => {
    const rx = await prescriptionFor();
    const post = async (status: string, minutesAgo: number) => (await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), status, at(minutesAgo)))).status;
    expect(await post('OUT_FOR_DELIVERY', 20)).toBe(202);
    expect(await post('RECEIVED', 50)).toBe(202);
    await settled();
    expect((await deliveryOf(rx.id))?.status).toBe('OUT_FOR_DELIVERY');
    expect(await post('SHIPPED', 30)).toBe(202);
    await settled();
    expect((await deliveryOf(rx.id))?.status).toBe('OUT_FOR_DELIVERY');
    expect(await post('DELIVERED', 10)).toBe(202);
    expect(await post('EXCEPTION', 5)).toBe(202);
    await settled();
    expect((await deliveryOf(rx.id))?.status).toBe('DELIVERED');
    expect((await historyOf(rx.id)).map((event) => event.status)).toEqual(['RECEIVED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION']);
  });

  it('the same eventId with the same body is answered 200 and changes nothing; with another body 409, the first kept', async () => {
    const rx = await prescriptionFor();
    const body = deliveryEvent(rx.base, nextEventId(), 'SHIPPED', at(30));
    expect((await postEvent(h, source, secret, body)).status).toBe(202);
    await settled();
    const again = await postEvent(h, source, secret, body);
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    const conflicting = await postEvent(h, source, secret, { ...body, status: 'PROCESSING', shipment: undefined });
    expect(conflicting.status).toBe(409);
    await settled();
    const history = await historyOf(rx.id);
    expect(history.map((event) => event.status)).toEqual(['SHIPPED']);
    expect((await deliveryOf(rx.id))?.status).toBe('SHIPPED');
  });

  it('an unknown prescription, or another pharmacy’s, is accepted (202) and held for review; nothing tells them apart', async () => {
    const elsewhere = await prescriptionFor({ pharmacy: otherPharmacy.id });
    const unknown = await postEvent(h, source, secret, deliveryEvent({ ...elsewhere.base, rxNumber: 'RX-999999' }, nextEventId(), 'RECEIVED', at(5)));
    const othersRx = await postEvent(h, source, secret, deliveryEvent(elsewhere.base, nextEventId(), 'RECEIVED', at(5)));
    // Even naming another patient: the pharmacy learns nothing of a prescription not routed to it.
    const othersRxWrongPatient = await postEvent(h, source, secret, deliveryEvent({ ...elsewhere.base, mrn: 'IOP-1003' }, nextEventId(), 'RECEIVED', at(5)));
    expect([unknown.status, othersRx.status, othersRxWrongPatient.status]).toEqual([202, 202, 202]);
    expect(unknown.body.status).toBe(othersRx.body.status);
    await settled();
    const held = await h.orm.em.fork().find(InboxMessage, { id: { $in: [unknown.body.messageId!, othersRx.body.messageId!] } });
    expect(held.map((message) => message.state)).toEqual([InboxState.HELD, InboxState.HELD]);
    expect(await h.orm.em.fork().count(MatchReview, { inboxMessage: { $in: held } })).toBe(2);
    expect(await deliveryOf(elsewhere.id)).toBeNull();
  });
});

describe('held for review', () => {
  it('an event held because its prescription was not routed yet is applied when an IOP admin links it after routing; before, linking is refused', async () => {
    const rx = await prescriptionFor();
    const em = h.orm.em.fork();
    // Not routed yet (waiting for a consent, say): unknown to the pharmacy.
    await em.nativeUpdate(Prescription, { id: rx.id }, { routing: PrescriptionRouting.AWAITING_CONSENT });
    const posted = await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'RECEIVED', at(5)));
    expect(posted.status).toBe(202);
    await settled();
    const review = await until(() => h.orm.em.fork().findOne(MatchReview, { inboxMessage: posted.body.messageId! }), (found) => found !== null);
    const admin = await h.token(world.claims[Role.ADMIN]);
    const early = await h.graphql(LinkMatchReviewDocument, { reviewId: review!.id, patientId: world.patients[0].id }, admin);
    expect(early.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await deliveryOf(rx.id)).toBeNull();
    await h.orm.em.fork().nativeUpdate(Prescription, { id: rx.id }, { routing: PrescriptionRouting.ROUTED });
    const linked = await h.graphql(LinkMatchReviewDocument, { reviewId: review!.id, patientId: world.patients[0].id }, admin);
    expect(linked.errors).toBeUndefined();
    expect((await deliveryOf(rx.id))?.status).toBe('RECEIVED');
    expect((await h.orm.em.fork().findOneOrFail(InboxMessage, { id: posted.body.messageId! })).state).toBe(InboxState.PROCESSED);
  });
});

describe('alerts', () => {
  const noticesOf = async (claims: TokenClaims) =>
    (await h.graphql(MyNotificationsDocument, {}, await h.token(claims))).data!.myNotifications.edges.map((edge) => edge.node);

  it('EXCEPTION and RETURNED alert the prescriber at once, once per delivery and kind; the care team acknowledges', async () => {
    const rx = await prescriptionFor();
    await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'SHIPPED', at(40)));
    await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'EXCEPTION', at(30)));
    await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'EXCEPTION', at(20)));
    await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'RETURNED', at(10)));
    await settled();
    const alerts = await h.orm.em.fork().find(MedicationAlert, { prescription: rx.id }, { orderBy: { kind: 'asc' } });
    expect(alerts.map((alert) => alert.kind)).toEqual(['DELIVERY_EXCEPTION', 'DELIVERY_RETURNED']);

    const prescriber = world.claims[Role.IOP_CLINICIAN];
    const notices = await until(() => noticesOf(prescriber), (items) => alerts.every((alert) => items.some((item) => item.subjectId === alert.id)));
    expect(notices.filter((item) => item.kind === 'medication.alert' && alerts.some((alert) => alert.id === item.subjectId))).toHaveLength(2);
    expect(notices.find((item) => item.subjectId === alerts[0].id)).toMatchObject({ subjectType: 'MEDICATION_ALERT' });
    // The therapist is not the prescriber: not told of these.
    expect((await noticesOf(world.therapist)).some((item) => alerts.some((alert) => alert.id === item.subjectId))).toBe(false);

    const token = await h.token(prescriber);
    const opened = await h.graphql(MedicationAlertDocument, { id: alerts[0].id }, token);
    expect(opened.data!.medicationAlert).toMatchObject({ kind: 'DELIVERY_EXCEPTION', urgency: 'ROUTINE', acknowledged: false, prescriptionId: rx.id });
    expect((await h.graphql(MyMedicationAlertsDocument, {}, token)).data!.myMedicationAlerts.map((alert) => alert.id)).toEqual(expect.arrayContaining(alerts.map((alert) => alert.id)));

    const first = await h.graphql(AcknowledgeMedicationAlertDocument, { alertId: alerts[0].id }, await h.token(world.therapist));
    expect(first.data!.acknowledgeMedicationAlert.alert).toMatchObject({ acknowledged: true, acknowledgedById: world.therapist.userId });
    const again = await h.graphql(AcknowledgeMedicationAlertDocument, { alertId: alerts[0].id }, token);
    expect(again.data!.acknowledgeMedicationAlert.alert).toMatchObject({ acknowledgedById: world.therapist.userId, acknowledgedAt: first.data!.acknowledgeMedicationAlert.alert.acknowledgedAt });
    expect((await h.graphql(MyMedicationAlertsDocument, {}, token)).data!.myMedicationAlerts.map((alert) => alert.id)).not.toContain(alerts[0].id);
  });

  it('another program, a PCP without consent and the pharmacy cannot open or acknowledge an alert: NOT_FOUND as an unknown id', async () => {
    // The second program's own patient, prescribed there: the first program knows nothing of it.
    const em = h.orm.em.fork();
    await em.persist(new PatientIdentifier(em.getReference(Patient, second.ownPatientId), em.getReference(Organization, second.iopId), 'SEC-1')).flush();
    const rx = await prescriptionFor({ patientId: second.ownPatientId, prescriber: second.clinician });
    await postEvent(h, source, secret, deliveryEvent({ ...rx.base, mrn: 'SEC-1', birthDate: '1970-01-01' }, nextEventId(), 'EXCEPTION', at(10)));
    await settled();
    const alert = await until(() => h.orm.em.fork().findOne(MedicationAlert, { prescription: rx.id }), (found) => found !== null);
    const unknownId = '00000000-0000-4000-8000-000000000000';
    for (const outsider of [world.claims[Role.IOP_CLINICIAN], world.claims[Role.PCP], world.claims[Role.PHARMACIST]]) {
      const token = await h.token(outsider);
      const refused = await h.graphql(MedicationAlertDocument, { id: alert!.id }, token);
      const unknown = await h.graphql(MedicationAlertDocument, { id: unknownId }, token);
      expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(refused.errors?.[0].message.replace(alert!.id, unknownId)).toBe(unknown.errors?.[0].message);
    }
    const ack = await h.graphql(AcknowledgeMedicationAlertDocument, { alertId: alert!.id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(ack.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const own = await h.graphql(MedicationAlertDocument, { id: alert!.id }, await h.token(second.clinician));
    expect(own.data!.medicationAlert.kind).toBe('DELIVERY_EXCEPTION');
    // Its prescriber, in the second program, is the one told.
    await until(() => noticesOf(second.clinician), (items) => items.some((item) => item.subjectId === alert!.id));
  });

  it('a scheduled drug delivered without a signature is accepted and alerts the care team; with one, no alert', async () => {
    const rx = await prescriptionFor({ drugName: 'Lorazepam 1 mg tablet', deaSchedule: DeaSchedule.IV });
    const unsigned = deliveryEvent({ ...rx.base, deaSchedule: 'CIV' }, nextEventId(), 'DELIVERED', at(10), {
      signature: { required: true, obtained: false, method: 'NONE', leftAt: 'Front porch', driverRelease: true },
    });
    expect((await postEvent(h, source, secret, unsigned)).status).toBe(202);
    const signedRx = await prescriptionFor({ drugName: 'Lorazepam 1 mg tablet', deaSchedule: DeaSchedule.IV });
    expect((await postEvent(h, source, secret, deliveryEvent({ ...signedRx.base, deaSchedule: 'CIV' }, nextEventId(), 'DELIVERED', at(10)))).status).toBe(202);
    await settled();
    expect((await deliveryOf(rx.id))?.status).toBe('DELIVERED');
    const alerts = await h.orm.em.fork().find(MedicationAlert, { prescription: { $in: [rx.id, signedRx.id] } });
    expect(alerts.map((alert) => [alert.prescription.id, alert.kind])).toEqual([[rx.id, 'CONTROLLED_DELIVERY_UNSIGNED']]);
    await until(() => noticesOf(world.therapist), (items) => items.some((item) => item.subjectId === alerts[0].id));
    const listed = await h.graphql(PatientMedicationAlertsDocument, { id: world.patients[0].id }, await h.token(world.therapist));
    expect(listed.data!.patient.medicationAlerts).toContainEqual(expect.objectContaining({ id: alerts[0].id, kind: 'CONTROLLED_DELIVERY_UNSIGNED' }));
  });

  it('a late MOUD delivery alerts the care team urgently and the on-call at once, once however many sweeps', async () => {
    const rx = await prescriptionFor({ drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', deaSchedule: DeaSchedule.III });
    const yesterday = new Date(Date.now() - 24 * 3600_000).toISOString().slice(0, 10);
    const shipped = deliveryEvent({ ...rx.base, deaSchedule: 'CIII' }, nextEventId(), 'SHIPPED', at(60 * 30), {
      shipment: { carrier: 'USPS', trackingNumber: '9400100000000000000000', estimatedDelivery: yesterday },
    });
    expect((await postEvent(h, source, secret, shipped)).status).toBe(202);
    await settled();
    // The reconciler's sweep (every 0.5 s here) finds it: no job in Redis carries it.
    const alert = await until(() => h.orm.em.fork().findOne(MedicationAlert, { prescription: rx.id, kind: MedicationAlertKind.DELIVERY_LATE }), (found) => found !== null);
    expect(alert).toMatchObject({ urgency: 'URGENT', categories: ['MEDICATIONS', 'SUD'] });
    const onCall = world.claims[Role.ADMIN];
    await until(() => noticesOf(onCall), (items) => items.some((item) => item.subjectId === alert!.id));
    expect((await noticesOf(world.therapist)).some((item) => item.subjectId === alert!.id)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await h.orm.em.fork().count(MedicationAlert, { prescription: rx.id, kind: MedicationAlertKind.DELIVERY_LATE })).toBe(1);
    expect(await new DeliveryService().alertLate(h.orm.em.fork())).toBe(0);
  });
});

describe('who sees deliveries', () => {
  it('both programs treating the patient see the pharmacy’s deliveries of a prescription that is not Part 2; a PCP without a consent does not', async () => {
    const rx = await prescriptionFor();
    expect((await postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'SHIPPED', at(10)))).status).toBe(202);
    await settled();
    for (const reader of [world.claims[Role.IOP_CLINICIAN], second.clinician]) {
      const view = await h.graphql(PrescriptionDeliveriesDocument, { id: world.patients[0].id }, await h.token(reader));
      const shown = (view.data?.patient.medications ?? []).find((each) => each.id === rx.id);
      expect(shown?.deliveries?.map((each) => [each.status, each.provenance.organizationId])).toEqual([['SHIPPED', pharmacyId]]);
    }
    const pcp = await h.graphql(PrescriptionDeliveriesDocument, { id: world.patients[0].id }, await h.token(world.claims[Role.PCP]));
    expect(pcp.data?.patient?.medications ?? null).toBeNull();
  });
});

describe('setDeliveryStatus', () => {
  it('a pharmacist of the pharmacy sets a status with the webhook’s rules; another pharmacy gets NOT_FOUND', async () => {
    const rx = await prescriptionFor();
    const pharmacist = await h.token(world.claims[Role.PHARMACIST]);
    const set = await h.graphql(
      SetDeliveryStatusDocument,
      { prescriptionId: rx.id, input: { fillNumber: 0, status: 'SHIPPED', occurredAt: at(10), shipment: { carrier: 'UPS', trackingNumber: '1Z2' } } },
      pharmacist,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setDeliveryStatus.delivery).toMatchObject({ status: 'SHIPPED', history: [{ status: 'SHIPPED', origin: 'PHARMACIST' }] });

    const invalid = await h.graphql(SetDeliveryStatusDocument, { prescriptionId: rx.id, input: { fillNumber: 0, status: 'SHIPPED', occurredAt: at(5) } }, pharmacist);
    expect(invalid.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const noOffset = await h.graphql(SetDeliveryStatusDocument, { prescriptionId: rx.id, input: { fillNumber: 0, status: 'RECEIVED', occurredAt: '2026-12-01T10:00:00' } }, pharmacist);
    expect(noOffset.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const older = await h.graphql(SetDeliveryStatusDocument, { prescriptionId: rx.id, input: { fillNumber: 0, status: 'RECEIVED', occurredAt: at(20) } }, pharmacist);
    expect(older.data!.setDeliveryStatus.delivery.status).toBe('SHIPPED');

    const other = await h.graphql(SetDeliveryStatusDocument, { prescriptionId: rx.id, input: { fillNumber: 0, status: 'RECEIVED', occurredAt: at(1) } }, await h.token(otherPharmacy.pharmacist));
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const clinician = await h.graphql(SetDeliveryStatusDocument, { prescriptionId: rx.id, input: { fillNumber: 0, status: 'RECEIVED', occurredAt: at(1) } }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(clinician.data ?? null).toBeNull();
    expect((await historyOf(rx.id)).map((event) => event.status)).toEqual(['RECEIVED', 'SHIPPED']);
  });
});

describe('bursts for one patient', () => {
  it('twenty pharmacist updates and webhook events at once on one delivery end consistent: every event kept once, the latest status', async () => {
    const rx = await prescriptionFor();
    const pharmacist = await h.token(world.claims[Role.PHARMACIST]);
    const updates = Array.from({ length: 10 }, (_, index) =>
      h.graphql(SetDeliveryStatusDocument, { prescriptionId: rx.id, input: { fillNumber: 1, status: index % 2 ? 'PROCESSING' : 'RECEIVED', occurredAt: at(60 - index) } }, pharmacist),
    );
    const posts = Array.from({ length: 10 }, (_, index) =>
      postEvent(h, source, secret, deliveryEvent(rx.base, nextEventId(), 'OUT_FOR_DELIVERY', at(30 - index), { fillNumber: 1 })),
    );
    const [graphql, webhooks] = await Promise.all([Promise.all(updates), Promise.all(posts)]);
    expect(graphql.filter((result) => result.errors)).toEqual([]);
    expect(webhooks.map((response) => response.status)).toEqual(Array(10).fill(202));
    await settled();
    const delivery = await deliveryOf(rx.id, 1);
    expect(delivery?.status).toBe('OUT_FOR_DELIVERY');
    const events = await h.orm.em.fork().find(DeliveryEvent, { delivery }, { orderBy: { occurredAt: 'desc' } });
    expect(events).toHaveLength(20);
    expect(delivery?.statusOccurredAt).toEqual(events[0].occurredAt);
    expect(await h.orm.em.fork().count(Delivery, { prescription: rx.id })).toBe(1);
  });
});

describe('webhook sources and secrets', () => {
  it('the pharmacy admin rotates (both secrets verify), retires the old (refused from the next webhook on); others may not', async () => {
    const pharmacyAdminUser = new User('admin@corner-rx.example', 'Rx Admin');
    const em = h.orm.em.fork();
    await em.persist([pharmacyAdminUser, new Membership(pharmacyAdminUser, em.getReference(Organization, pharmacyId), Role.ADMIN)]).flush();
    const pharmacyAdmin = await h.token({ userId: pharmacyAdminUser.id, role: Role.ADMIN, organizationId: pharmacyId });

    const created = await h.graphql(CreateWebhookSourceDocument, { organizationId: pharmacyId, key: 'corner-pharmacy-2' }, pharmacyAdmin);
    expect(created.errors).toBeUndefined();
    const { source: made, secret: first, secretId: firstId } = created.data!.createWebhookSource;
    expect(made).toMatchObject({ key: 'corner-pharmacy-2', organizationId: pharmacyId });
    const taken = await h.graphql(CreateWebhookSourceDocument, { organizationId: pharmacyId, key: 'corner-pharmacy-2' }, pharmacyAdmin);
    expect(taken.errors?.[0].extensions?.code).toBe('CONFLICT');
    const byPharmacist = await h.graphql(RotateWebhookSecretDocument, { sourceId: made.id }, await h.token(world.claims[Role.PHARMACIST]));
    expect(byPharmacist.data ?? null).toBeNull();

    const rx = await prescriptionFor();
    const body = (secretName: string) => deliveryEvent({ ...rx.base, source: 'corner-pharmacy-2' }, `evt-rot-${secretName}-000`, 'RECEIVED', at(5));
    expect((await postEvent(h, 'corner-pharmacy-2', first, body('a'))).status).toBe(202);
    const rotated = await h.graphql(RotateWebhookSecretDocument, { sourceId: made.id }, pharmacyAdmin);
    const next = rotated.data!.rotateWebhookSecret.secret;
    expect((await postEvent(h, 'corner-pharmacy-2', next, body('b'))).status).toBe(202);
    expect((await postEvent(h, 'corner-pharmacy-2', first, body('c'))).status).toBe(202);
    expect((await postEvent(h, 'corner-pharmacy-2', first, body('d'), { secrets: [next, first] })).status).toBe(202);
    const retired = await h.graphql(RetireWebhookSecretDocument, { secretId: firstId }, pharmacyAdmin);
    expect(retired.data!.retireWebhookSecret.secret.retiredAt).not.toBeNull();
    // Every API process hears of the retirement on commit (LISTEN) and forgets the secrets it kept.
    let attempt = 0;
    const refused = await until(() => postEvent(h, 'corner-pharmacy-2', first, body(`e${(attempt += 1)}`)), (response) => response.status === 401, 2000);
    expect(refused.status).toBe(401);
    expect((await postEvent(h, 'corner-pharmacy-2', next, body('f'))).status).toBe(202);
    const last = await h.graphql(RetireWebhookSecretDocument, { secretId: rotated.data!.rotateWebhookSecret.secretId }, pharmacyAdmin);
    expect(last.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the hub operator creates a source and rotates its secret from the command line; bad input changes nothing', async () => {
    const admin = (...args: string[]) =>
      new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolve) => {
        const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: h.config.DATABASE_URL, WEBHOOK_SECRETS_KEY: h.config.WEBHOOK_SECRETS_KEY };
        execFile('npm', ['run', '-s', 'admin', '--', ...args], { env }, (error, stdout, stderr) => resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
      });
    const created = await admin('create-webhook-source', '--organization', otherPharmacy.id, '--key', 'faraway-cli');
    expect(created.exitCode).toBe(0);
    const { key, secret: printed } = JSON.parse(created.stdout) as { key: string; secret: string };
    expect(key).toBe('faraway-cli');
    const rotated = await admin('rotate-webhook-secret', '--key', 'faraway-cli');
    const { secret: rotatedSecret } = JSON.parse(rotated.stdout) as { secret: string };
    const rx = await prescriptionFor({ pharmacy: otherPharmacy.id });
    for (const [index, each] of [printed, rotatedSecret].entries()) {
      expect((await postEvent(h, 'faraway-cli', each, deliveryEvent({ ...rx.base, source: 'faraway-cli' }, `evt-cli-000${index}`, 'RECEIVED', at(5)))).status).toBe(202);
    }
    const sources = await h.orm.em.fork().count(WebhookSource, {});
    for (const args of [['create-webhook-source', '--organization', otherPharmacy.id, '--key', 'Bad Key'], ['create-webhook-source', '--organization', 'faraway', '--key', 'faraway-two'], ['rotate-webhook-secret', '--key', 'nobody-here']]) {
      const refused = await admin(...args);
      expect([args, refused.exitCode]).toEqual([args, 1]);
    }
    expect(await h.orm.em.fork().count(WebhookSource, {})).toBe(sources);
  }, 60_000);
});
