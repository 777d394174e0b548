import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import {
  AcknowledgeMedicationAlertDocument,
  ConfirmDispensedDocument,
  PatientMedicationAlertsDocument,
  PharmacyWorklistDocument,
  PrescribeToPharmacyDocument,
  PrescriptionDeliveriesDocument,
  PrescriptionRoutingDocument,
} from './generated/graphql';
import type { TypedDocumentString } from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { deliveryEvent, postEvent, webhookSource } from './helpers/pharmacy';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * A pharmacist's day end to end, on the real services and the real routing (no fixture writes a
 * prescription's routing here): prescribe → wait for consent → routed by the queue → worklist →
 * dispense → delivery events in order, out of order, duplicated and conflicting → alert → acknowledged.
 */
let h: Harness;
let world: World;
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness({ OUTBOX_RECONCILE_SECONDS: '0.5' });
  world = await seedWorld(h.orm.em.fork());
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

async function ask<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables, as: TokenClaims): Promise<TResult> {
  const result = await h.graphql(document, variables, await h.token(as));
  expect(result.errors).toBeUndefined();
  return result.data!;
}
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const imported = () =>
  until(() => h.orm.em.fork().count(InboxMessage, { source: InboxSource.PHARMACY, state: InboxState.RECEIVED }), (count) => count === 0, 20_000);

it('routes a MOUD prescription once a consent covers it, and follows its fill and delivery to an acknowledged alert', async () => {
  const prescriber = world.claims[Role.IOP_CLINICIAN];
  const pharmacist = world.claims[Role.PHARMACIST];
  const pharmacyId = pharmacist.organizationId!;
  const patient = await h.orm.em.fork().findOneOrFail(Patient, { id: world.patients[0].id });
  const mrn = (await h.orm.em.fork().findOneOrFail(PatientIdentifier, { patient: patient.id, organization: prescriber.organizationId! })).value;
  const { secret } = await webhookSource(h, world.claims[Role.ADMIN], pharmacyId, 'flow-pharmacy');

  // Written before any consent names the pharmacy: it waits, and the pharmacist sees nothing of it.
  const written = await ask(
    PrescribeToPharmacyDocument,
    { input: { patientId: patient.id, drugName: 'Buprenorphine/Naloxone 8 mg/2 mg film', dose: '8 mg', route: 'sublingual', sig: 'once daily', quantity: 14, refills: 1, deaSchedule: 'III', pharmacyId, homeDelivery: true } },
    prescriber,
  );
  const { id: prescriptionId } = written.prescribe.prescription;
  const rxNumber = written.prescribe.prescription.rxNumber!;
  expect(written.prescribe.prescription.routing).toBe('AWAITING_CONSENT');
  expect(rxNumber).toMatch(/^RX-\d{6}$/);
  expect((await ask(PharmacyWorklistDocument, {}, pharmacist)).pharmacyWorklist.edges.map((edge) => edge.node.id)).not.toContain(prescriptionId);

  // The patient signs a consent naming the pharmacy with medications and SUD: the queue routes it.
  await signConsent(h, world, await requestConsent(h, world, { patientId: patient.id, recipientOrganizationIds: [pharmacyId], categories: ['MEDICATIONS', 'SUD'] }));
  await until(
    async () => (await ask(PrescriptionRoutingDocument, { id: prescriptionId }, prescriber)).prescription.routing,
    (routing) => routing === 'ROUTED',
  );
  const worklist = await ask(PharmacyWorklistDocument, {}, pharmacist);
  const item = worklist.pharmacyWorklist.edges.find((edge) => edge.node.id === prescriptionId)?.node;
  expect(item).toMatchObject({ rxNumber, patient: { familyName: patient.familyName, birthDate: patient.birthDate } });

  // The pharmacist fills it (NCPDP RxFill: dispensed, fill 0).
  await ask(ConfirmDispensedDocument, { input: { prescriptionRef: rxNumber, fillNumber: 0, quantity: 14, daysSupply: 14, ndc: '12496-1208-3', lotNumber: 'LOT42', dispensedOn: new Date().toISOString().slice(0, 10) } }, pharmacist);

  // Delivery events: shipped; an older event arriving late; the same event resent; the same id with another body; delivered without a signature.
  const base = { source: 'flow-pharmacy', rxNumber, mrn, birthDate: patient.birthDate, deaSchedule: 'CIII' };
  const shipped = deliveryEvent(base, 'flow-evt-0002', 'SHIPPED', at(120));
  expect((await postEvent(h, 'flow-pharmacy', secret, shipped)).status).toBe(202);
  expect((await postEvent(h, 'flow-pharmacy', secret, deliveryEvent(base, 'flow-evt-0001', 'PROCESSING', at(180)))).status).toBe(202);
  expect((await postEvent(h, 'flow-pharmacy', secret, shipped)).status).toBeLessThan(300);
  expect((await postEvent(h, 'flow-pharmacy', secret, { ...shipped, note: 'changed' })).status).toBe(409);
  const unsigned = deliveryEvent(base, 'flow-evt-0003', 'DELIVERED', at(10), {
    signature: { required: true, obtained: false, method: 'NONE', leftAt: 'front door', driverRelease: true },
  });
  const unsignedAnswer = await postEvent(h, 'flow-pharmacy', secret, unsigned);
  expect(unsignedAnswer.body.violations ?? []).toEqual([]);
  expect(unsignedAnswer.status).toBe(202);
  expect((await postEvent(h, 'flow-pharmacy', secret, deliveryEvent(base, 'flow-evt-0004', 'OUT_FOR_DELIVERY', at(60)))).status).toBe(202);
  await imported();

  // The care team sees one delivery: DELIVERED (a later-arriving older event never moves it back), its history in time order.
  const deliveries = (await ask(PrescriptionDeliveriesDocument, { id: patient.id }, prescriber)).patient.medications!.find((each) => each.id === prescriptionId)!.deliveries!;
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0].status).toBe('DELIVERED');
  expect(deliveries[0].history.map((event) => [event.eventId, event.status])).toEqual([
    ['flow-evt-0001', 'PROCESSING'],
    ['flow-evt-0002', 'SHIPPED'],
    ['flow-evt-0004', 'OUT_FOR_DELIVERY'],
    ['flow-evt-0003', 'DELIVERED'],
  ]);

  // A scheduled drug delivered unsigned: one alert for the care team, acknowledged by the prescriber.
  const alerts = (await ask(PatientMedicationAlertsDocument, { id: patient.id }, prescriber)).patient.medicationAlerts!;
  expect(alerts.map((alert) => alert.kind)).toEqual(['CONTROLLED_DELIVERY_UNSIGNED']);
  await ask(AcknowledgeMedicationAlertDocument, { alertId: alerts[0].id }, prescriber);
  expect((await ask(PatientMedicationAlertsDocument, { id: patient.id }, prescriber)).patient.medicationAlerts!).toEqual([expect.objectContaining({ id: alerts[0].id, acknowledged: true })]);
});
