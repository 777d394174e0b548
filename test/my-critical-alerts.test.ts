import { Role } from '../src/auth/roles';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { AcknowledgeCriticalAlertDocument, IopCriticalAlertsDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { lithium, sendHl7Message } from './helpers/ingest';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

// `myCriticalAlerts`: the IOP home's list of critical results awaiting acknowledgement.
let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };

const alertsOf = (patientId: string) => h.orm.em.fork().find(CriticalAlert, { patient: patientId }, { orderBy: { createdAt: 'asc' } });

async function myAlerts(token: string) {
  const result = await h.graphql(IopCriticalAlertsDocument, {}, token);
  expect(result.errors).toBeUndefined();
  return result.data!.myCriticalAlerts;
}

/** A critical lithium result for `patient`, matched by the lab's own identifier `labId`. */
async function criticalResultFor(patient: Patient, labId: string, controlId: string): Promise<CriticalAlert> {
  const em = h.orm.em.fork();
  em.persist(new PatientIdentifier(em.getReference(Patient, patient.id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), labId, 'REGLAB'));
  await em.flush();
  const birthDate = patient.birthDate.replace(/-/g, '');
  const message = lithium(controlId, '1.9', 'HH').replace(/\rPID\|[^\r]*/, `\rPID|1||${labId}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${birthDate}`);
  await sendHl7Message(h, await h.token(world.claims[Role.LAB]), message);
  const alerts = await until(() => alertsOf(patient.id), (found) => found.length === 1);
  expect(alerts).toHaveLength(1);
  return alerts[0];
}

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  // The second program also treats the world's first patient (and has a patient of its own).
  second = await addSecondProgram(h.orm.em.fork(), world);
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

it("lists the unacknowledged critical results of my care teams' patients, newest first, and each program only its own patients'", async () => {
  const onlyFirstProgram = await criticalResultFor(world.patients[2], 'L-602', 'CRIT-FIRST-ONLY');
  const shared = await criticalResultFor(world.patients[0], 'L-600', 'CRIT-SHARED');

  const prescriber = await h.token(world.claims[Role.IOP_CLINICIAN]);
  const mine = await myAlerts(prescriber);
  expect(mine.map((alert) => alert.id)).toEqual([shared.id, onlyFirstProgram.id]);
  expect(mine[0]).toMatchObject({ patientId: world.patients[0].id, status: 'OPEN', labResult: { valueNumeric: 1.9, unit: 'mmol/L', abnormalFlag: 'HH' } });

  // The other program's clinician treats the shared patient only; the lab's result is no program's Part 2 record.
  const otherProgram = await myAlerts(await h.token(second.clinician));
  expect(otherProgram.map((alert) => alert.id)).toEqual([shared.id]);

  // Acknowledged, it leaves the list of everyone who answers for it.
  const acknowledged = await h.graphql(AcknowledgeCriticalAlertDocument, { alertId: shared.id }, prescriber);
  expect(acknowledged.data?.acknowledgeCriticalAlert.alert.status).toBe('ACKNOWLEDGED');
  expect((await myAlerts(prescriber)).map((alert) => alert.id)).toEqual([onlyFirstProgram.id]);
  expect(await myAlerts(await h.token(second.clinician))).toEqual([]);
}, 30_000);

it('is for IOP clinicians: partners, patients and admins are refused', async () => {
  for (const role of [Role.PCP, Role.PHARMACIST, Role.LOCAL_PROVIDER, Role.PATIENT, Role.ADMIN]) {
    const result = await h.graphql(IopCriticalAlertsDocument, {}, await h.token(world.claims[role]));
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions?.code).toMatch(/^(FORBIDDEN|UNAUTHORIZED)$/);
  }
});
