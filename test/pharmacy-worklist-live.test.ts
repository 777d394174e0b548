import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { MedicationAlert } from '../src/modules/pharmacy/medication-alert.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import {
  CancelPrescriptionDocument,
  MyMedicationAlertsDocument,
  PortalPharmacyAcknowledgeAlertDocument,
  PortalPharmacyPrescriptionDocument,
  PortalPharmacyReportNotDispensedDocument,
  PortalPharmacySetDeliveryStatusDocument,
  PortalPharmacyWorklistChangedDocument,
  PortalPharmacyWorklistDocument,
  PrescribeToPharmacyDocument,
  type PortalPharmacyWorklistChangedSubscription,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { publishUntil, subscribe, subscriptionsUrl, type LiveSubscriber } from './helpers/live';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * What the pharmacist's pages read beyond the worklist: one prescription as the worklist shows it
 * (with its deliveries and alerts), the pharmacy's own acknowledgement of an alert, and the live
 * worklist (`pharmacyWorklistChanged`), published through the outbox on routing, a fill, a
 * delivery event, an alert and a cancellation, to the pharmacists of that pharmacy only.
 */
let h: Harness;
let world: World;
let workers: { stop(): Promise<void> };
let pharmacist: TokenClaims;
let otherPharmacist: TokenClaims;
let ours: LiveSubscriber<PortalPharmacyWorklistChangedSubscription>;
let theirs: LiveSubscriber<PortalPharmacyWorklistChangedSubscription>;

const eventsAbout = (subscriber: LiveSubscriber<PortalPharmacyWorklistChangedSubscription>, prescriptionId: string) =>
  subscriber.results.flatMap((result) => (result.data?.pharmacyWorklistChanged.id === prescriptionId ? [result.data.pharmacyWorklistChanged] : []));

/** The IOP prescriber writes a prescription for the demo pharmacy (routed at once under the consent signed in `beforeAll`). */
async function prescribe(drugName = 'Sertraline 50 mg tablet'): Promise<{ id: string; rxNumber: string }> {
  const result = await h.graphql(
    PrescribeToPharmacyDocument,
    {
      input: {
        patientId: world.patients[0].id,
        drugName,
        dose: '50 mg',
        route: 'oral',
        sig: 'one tablet daily',
        quantity: 30,
        refills: 1,
        pharmacyId: pharmacist.organizationId!,
        homeDelivery: true,
      },
    },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  expect(result.errors).toBeUndefined();
  expect(result.data!.prescribe.prescription.routing).toBe('ROUTED');
  return { id: result.data!.prescribe.prescription.id, rxNumber: result.data!.prescribe.prescription.rxNumber! };
}

async function notDispensed(rxNumber: string) {
  const result = await h.graphql(
    PortalPharmacyReportNotDispensedDocument,
    { input: { prescriptionRef: rxNumber, fillNumber: 0, reason: 'OUT_OF_STOCK' } },
    await h.token(pharmacist),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.reportNotDispensed.dispense;
}

const untilEvents = (subscriber: LiveSubscriber<PortalPharmacyWorklistChangedSubscription>, prescriptionId: string, done: (events: ReturnType<typeof eventsAbout>) => boolean) =>
  until(async () => eventsAbout(subscriber, prescriptionId), done, 20_000);

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pharmacist = world.claims[Role.PHARMACIST];
  const em = h.orm.em.fork();
  const otherPharmacy = new Organization('Hillside Mail-Order Pharmacy', OrganizationKind.PHARMACY);
  const user = new User('pharmacist@hillside-rx.example', 'Hillside Pharmacist');
  await em.persist([otherPharmacy, user, new Membership(user, otherPharmacy, Role.PHARMACIST)]).flush();
  otherPharmacist = { userId: user.id, role: Role.PHARMACIST, organizationId: otherPharmacy.id };
  await signConsent(
    h,
    world,
    await requestConsent(h, world, { recipientOrganizationIds: [pharmacist.organizationId!, otherPharmacy.id], categories: ['DEMOGRAPHICS', 'MEDICATIONS'] }),
  );
  const url = await subscriptionsUrl(h.app);
  ours = subscribe(url, await h.token(pharmacist), PortalPharmacyWorklistChangedDocument);
  theirs = subscribe(url, await h.token(otherPharmacist), PortalPharmacyWorklistChangedDocument);
  workers = startTestWorkers(h);
  // Both listen once the demo pharmacy's subscriber has an event published again and again (as another process would).
  const warm = await prescribe();
  await publishUntil(h, 'pharmacyWorklistChanged', [{ patientId: world.patients[0].id, recordId: warm.id }], () => eventsAbout(ours, warm.id).length > 0);
}, 60_000);

afterAll(async () => {
  await Promise.all([ours.stop(), theirs.stop()]);
  await workers.stop();
  await h.close();
});

it("tells the pharmacy's pharmacist live of a prescription routed to it, then of its fill, its delivery and its cancellation, each as pharmacyPrescription shows it", async () => {
  const token = await h.token(pharmacist);
  const { id, rxNumber } = await prescribe('Escitalopram 10 mg tablet');
  const [routed] = await untilEvents(ours, id, (events) => events.length >= 1);
  expect(routed).toMatchObject({ id, rxNumber, drugName: 'Escitalopram 10 mg tablet', dispensingStatus: 'NEW', prescriptionStatus: 'ACTIVE', fills: [] });
  expect(routed.patient.familyName).toBe(world.patients[0].familyName);

  await notDispensed(rxNumber);
  const afterFill = await untilEvents(ours, id, (events) => events.some((event) => event.dispensingStatus === 'NOT_DISPENSED' && event.alerts.length === 1));
  expect(afterFill.at(-1)!.alerts[0]).toMatchObject({ kind: 'NOT_DISPENSED', acknowledged: false, pharmacyAcknowledgedAt: null });

  const delivery = await h.graphql(
    PortalPharmacySetDeliveryStatusDocument,
    { prescriptionId: id, input: { fillNumber: 0, status: 'PROCESSING', occurredAt: new Date(Date.now() - 60_000).toISOString() } },
    token,
  );
  expect(delivery.errors).toBeUndefined();
  await untilEvents(ours, id, (events) => events.some((event) => event.deliveries.length === 1 && event.deliveries[0].history.length === 1));

  const cancelled = await h.graphql(CancelPrescriptionDocument, { input: { prescriptionId: id, reason: 'Switched to another drug' } }, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(cancelled.errors).toBeUndefined();
  const afterCancel = await untilEvents(ours, id, (events) => events.some((event) => event.prescriptionStatus === 'STOPPED'));
  expect(afterCancel.at(-1)).toMatchObject({ prescriptionStatus: 'STOPPED', stopReason: 'Switched to another drug' });

  const asRead = await h.graphql(PortalPharmacyPrescriptionDocument, { id }, token);
  expect(asRead.errors).toBeUndefined();
  expect(afterCancel.at(-1)).toEqual(asRead.data!.pharmacyPrescription);
  // Each change queued its publish in its own transaction.
  const queued = await h.orm.em.fork().find(OutboxMessage, { jobName: 'live.publish', payload: { topic: 'pharmacyWorklistChanged', recordId: id } });
  expect(queued.length).toBeGreaterThanOrEqual(4);
}, 60_000);

it("sends another pharmacy's pharmacist nothing of it, and answers them NOT_FOUND for it, as for an unknown id", async () => {
  const { id } = await prescribe('Bupropion 150 mg tablet');
  await untilEvents(ours, id, (events) => events.length >= 1);
  // The other pharmacy's subscription is open and read every event so far: it was given none of the demo pharmacy's.
  expect(theirs.failure).toBeNull();
  expect(theirs.results).toEqual([]);
  const refused = await h.graphql(PortalPharmacyPrescriptionDocument, { id }, await h.token(otherPharmacist));
  expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const unknown = await h.graphql(PortalPharmacyPrescriptionDocument, { id: '00000000-0000-4000-8000-000000000000' }, await h.token(otherPharmacist));
  expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const clinician = await h.graphql(PortalPharmacyPrescriptionDocument, { id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(clinician.errors?.[0].extensions?.code).toBe('FORBIDDEN');
}, 60_000);

it("records the pharmacy's acknowledgement of an alert apart from the care team's, once, and refuses another pharmacy's", async () => {
  const { id, rxNumber } = await prescribe('Mirtazapine 15 mg tablet');
  await notDispensed(rxNumber);
  const alert = await until(() => h.orm.em.fork().findOne(MedicationAlert, { prescription: id }), (found) => found !== null);
  const alertId = alert!.id;

  const refused = await h.graphql(PortalPharmacyAcknowledgeAlertDocument, { alertId }, await h.token(otherPharmacist));
  expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  const token = await h.token(pharmacist);
  const first = await h.graphql(PortalPharmacyAcknowledgeAlertDocument, { alertId }, token);
  expect(first.errors).toBeUndefined();
  const acknowledgedAt = first.data!.acknowledgeMedicationAlertForPharmacy.alert.pharmacyAcknowledgedAt;
  expect(acknowledgedAt).not.toBeNull();
  expect(first.data!.acknowledgeMedicationAlertForPharmacy.alert.acknowledged).toBe(false);
  const again = await h.graphql(PortalPharmacyAcknowledgeAlertDocument, { alertId }, token);
  expect(again.data!.acknowledgeMedicationAlertForPharmacy.alert.pharmacyAcknowledgedAt).toBe(acknowledgedAt);
  const stored = await h.orm.em.fork().findOneOrFail(MedicationAlert, { id: alertId });
  expect(stored).toMatchObject({ pharmacyAcknowledgedById: pharmacist.userId, acknowledgedAt: null, acknowledgedById: null });

  // The prescriber still has it to acknowledge.
  const prescriber = await h.graphql(MyMedicationAlertsDocument, {}, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(prescriber.data!.myMedicationAlerts.map((each) => each.id)).toContain(alertId);
  // The worklist shows the alert with the pharmacy's acknowledgement.
  const worklist = await h.graphql(PortalPharmacyWorklistDocument, { status: 'NOT_DISPENSED', first: 50 }, token);
  const item = worklist.data!.pharmacyWorklist.edges.find((edge) => edge.node.id === id)!.node;
  expect(item.alerts).toEqual([{ id: alertId, urgency: 'ROUTINE', pharmacyAcknowledgedAt: acknowledgedAt }]);
}, 60_000);
