import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import type { Prescription } from '../src/modules/medications/prescription.entity';
import { MedicationAlert, MedicationAlertKind } from '../src/modules/pharmacy/medication-alert.entity';
import { PharmacyService } from '../src/modules/pharmacy/pharmacy.service';
import {
  CancelPrescriptionDocument,
  ConfirmDispensedDocument,
  MedicationAlertDocument,
  MyMedicationAlertsDocument,
  MyNotificationsDocument,
  PatientMedicationAlertsDocument,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { addRoutedPrescription, type RoutedPrescriptionInit } from './helpers/routed-prescriptions';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Late refills: the reconciler's sweep (every 0.5 s here) alerts the care team of a refill more
 * than REFILL_LATE_DAYS (7 here) past due, once per prescription and expected fill, on the real
 * database and workers.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };
let pharmacist: TokenClaims;
const lateAfterDays = 7;
const sweep = () => new PharmacyService().alertLateRefills(h.orm.em.fork(), lateAfterDays);

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  h = await startHarness({ OUTBOX_RECONCILE_SECONDS: '0.5', REFILL_LATE_DAYS: String(lateAfterDays) });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  pharmacist = world.claims[Role.PHARMACIST];
  await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [pharmacist.organizationId!], categories: ['DEMOGRAPHICS', 'MEDICATIONS', 'SUD'] }));
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

function route(init: Partial<RoutedPrescriptionInit> = {}): Promise<Prescription> {
  return addRoutedPrescription(h.orm.em, {
    patientId: world.patients[0].id,
    programId: world.iopId,
    pharmacyId: pharmacist.organizationId!,
    prescriberId: world.claims[Role.IOP_CLINICIAN].userId,
    // The consent signed before the tests names the pharmacy: routed by the routing module itself.
    underConsent: true,
    ...init,
  });
}

/** The pharmacist confirms a fill of 30 days' supply handed over `days` ago. */
async function filled(prescription: Prescription, days: number, fillNumber = 0): Promise<void> {
  const input = { prescriptionRef: prescription.rxNumber!, fillNumber, quantity: 30, daysSupply: 30, ndc: '0002-3227-30', lotNumber: 'LOT-7', dispensedOn: daysAgo(days) };
  const result = await h.graphql(ConfirmDispensedDocument, { input }, await h.token(pharmacist));
  expect(result.errors).toBeUndefined();
}

const refillAlertsOf = (prescription: Prescription) =>
  h.orm.em.fork().find(MedicationAlert, { prescription: prescription.id, kind: MedicationAlertKind.REFILL_LATE }, { orderBy: { createdAt: 'asc' } });
const noticesOf = async (claims: TokenClaims) =>
  (await h.graphql(MyNotificationsDocument, {}, await h.token(claims))).data!.myNotifications.edges.map((edge) => edge.node);
/** Long enough for several of the reconciler's sweeps. */
const severalSweeps = () => new Promise((resolve) => setTimeout(resolve, 1500));

describe('late refills', () => {
  it('a refill more than REFILL_LATE_DAYS past due alerts the care team once, however many sweeps; one just within does not', async () => {
    // 30 days' supply from 38 days ago: due 8 days ago, one day beyond the threshold; from 37 days ago, exactly on it.
    const late = await route({ refills: 2 });
    const onTheThreshold = await route({ refills: 2 });
    await filled(late, 38);
    await filled(onTheThreshold, 37);

    const [alert] = await until(() => refillAlertsOf(late), (found) => found.length > 0);
    expect(alert).toMatchObject({ urgency: 'ROUTINE', categories: ['MEDICATIONS'], subjectKey: `${late.id}/fill-1`, sourceOrganization: { id: pharmacist.organizationId } });
    expect(alert.reason).toBe(`Fill 1: due ${daysAgo(8)}, 8 days late (threshold ${lateAfterDays})`);
    for (const member of [world.claims[Role.IOP_CLINICIAN], world.therapist]) {
      await until(() => noticesOf(member), (items) => items.some((item) => item.subjectId === alert.id));
    }
    const opened = await h.graphql(MedicationAlertDocument, { id: alert.id }, await h.token(world.therapist));
    expect(opened.data?.medicationAlert.kind).toBe('REFILL_LATE');

    await severalSweeps();
    expect(await sweep()).toBe(0);
    expect((await refillAlertsOf(late)).map((each) => each.id)).toEqual([alert.id]);
    expect(await refillAlertsOf(onTheThreshold)).toEqual([]);
  });

  it('each expected fill is its own alert: the refill confirmed late, the next one late again, alerts again', async () => {
    const prescription = await route({ refills: 2 });
    await filled(prescription, 76);
    await until(() => refillAlertsOf(prescription), (found) => found.length === 1);
    // Refilled 38 days ago: due 8 days ago.
    await filled(prescription, 38, 1);
    const alerts = await until(() => refillAlertsOf(prescription), (found) => found.length === 2);
    expect(alerts.map((each) => each.subjectKey)).toEqual([`${prescription.id}/fill-1`, `${prescription.id}/fill-2`]);
  });

  it('a burst of sweeps at once raises one alert', async () => {
    const prescription = await route({ refills: 1 });
    await filled(prescription, 40);
    const raised = await Promise.all(Array.from({ length: 6 }, sweep));
    expect(raised.reduce((sum, each) => sum + each, 0)).toBeLessThanOrEqual(1);
    await severalSweeps();
    expect(await refillAlertsOf(prescription)).toHaveLength(1);
  });

  it('not for a prescription stopped since, nor one with no refill left', async () => {
    // Filled 30 days ago, so due today: the reconciler's sweeps leave them alone while they are set
    // up; the sweep here looks at them as of 20 days on, when each would be late were it not for the rule.
    const stopped = await route({ refills: 2 });
    await filled(stopped, 30);
    const cancelled = await h.graphql(
      CancelPrescriptionDocument,
      { input: { prescriptionId: stopped.id, reason: 'Switched to another drug' } },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    expect(cancelled.errors).toBeUndefined();
    const noRefill = await route({ refills: 0 });
    await filled(noRefill, 30);
    // A control the same sweep does alert, so the silence of the others is the rule's.
    const control = await route({ refills: 1 });
    await filled(control, 30);
    const inTwentyDays = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await new PharmacyService().alertLateRefills(h.orm.em.fork(), lateAfterDays, inTwentyDays);
    expect(await refillAlertsOf(control)).toHaveLength(1);
    expect([...(await refillAlertsOf(stopped)), ...(await refillAlertsOf(noRefill))]).toEqual([]);
  });

  it('urgent for MOUD: the care team and the on-call told at once', async () => {
    const buprenorphine = await route({ drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', refills: 3 });
    await filled(buprenorphine, 45);
    const [alert] = await until(() => refillAlertsOf(buprenorphine), (found) => found.length > 0);
    expect(alert).toMatchObject({ urgency: 'URGENT', categories: ['MEDICATIONS', 'SUD'] });
    await until(() => noticesOf(world.claims[Role.ADMIN]), (items) => items.some((item) => item.subjectId === alert.id));
    await until(() => noticesOf(world.therapist), (items) => items.some((item) => item.subjectId === alert.id));
  });

  it('Part 2: a second program treating the patient can neither open, list nor hear of an alert about the first program’s MOUD prescription', async () => {
    const naltrexone = await route({ drugName: 'Naltrexone 50 mg tablet', refills: 3 });
    await filled(naltrexone, 45);
    const [alert] = await until(() => refillAlertsOf(naltrexone), (found) => found.length > 0);
    expect(alert.categories).toContain('SUD');
    const token = await h.token(second.clinician);
    const opened = await h.graphql(MedicationAlertDocument, { id: alert.id }, token);
    expect(opened.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const listed = await h.graphql(PatientMedicationAlertsDocument, { id: world.patients[0].id }, token);
    expect((listed.data?.patient.medicationAlerts ?? []).map((each) => each.id)).not.toContain(alert.id);
    const mine = await h.graphql(MyMedicationAlertsDocument, {}, token);
    expect(JSON.stringify(mine.data)).not.toContain(alert.id);
    // Nor is it told that one exists: the first program's care team is, the second's staff are not.
    await until(() => noticesOf(world.therapist), (items) => items.some((item) => item.subjectId === alert.id));
    await severalSweeps();
    for (const outsider of [second.clinician, second.admin]) expect((await noticesOf(outsider)).map((item) => item.subjectId)).not.toContain(alert.id);
  });

  it('a second program’s prescription for the same patient gets its own alert, its care team told', async () => {
    const theirs = await route({ programId: second.iopId, prescriberId: second.clinician.userId, refills: 1, underConsent: false });
    await filled(theirs, 50);
    const [alert] = await until(() => refillAlertsOf(theirs), (found) => found.length > 0);
    await until(() => noticesOf(second.clinician), (items) => items.some((item) => item.subjectId === alert.id));
    const opened = await h.graphql(MedicationAlertDocument, { id: alert.id }, await h.token(second.clinician));
    expect(opened.data?.medicationAlert.kind).toBe('REFILL_LATE');
  });
});
