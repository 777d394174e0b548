import { Role } from '../src/auth/roles';
import { InboxMessage, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { CriticalAlert, CriticalAlertStatus } from '../src/modules/labs/critical-alert.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Enrollment, EnrollmentStatus } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { AcknowledgeCriticalAlertDocument, MyNotificationsDocument, PatientCriticalAlertsDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { lithium } from './helpers/ingest';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let workers: { stop(): Promise<void> };

const escalationSeconds = 1.5;

async function send(body: string) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/ingest/hl7',
    headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${await h.token(world.claims[Role.LAB])}` },
    payload: body,
  });
  expect(response.body).toContain('MSA|AA|');
}

const alertsOf = (patientId: string) => h.orm.em.fork().find(CriticalAlert, { patient: patientId }, { orderBy: { createdAt: 'asc' } });

async function notificationsOf(token: string) {
  const result = await h.graphql(MyNotificationsDocument, {}, token);
  return result.data!.myNotifications.edges.map((edge) => edge.node);
}

beforeAll(async () => {
  h = await startHarness({ CRITICAL_ALERT_ESCALATION_SECONDS: String(escalationSeconds), OUTBOX_RECONCILE_SECONDS: '0.5' });
  world = await seedWorld(h.orm.em.fork());
  // The lab's identifier for the first patient is known, so its results match directly.
  const em = h.orm.em.fork();
  em.persist(new PatientIdentifier(em.getReference(Patient, world.patients[0].id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), 'L-555', 'REGLAB'));
  await em.flush();
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

it('sends a critical result to the prescriber, and escalates it to the IOP on-call when nobody acknowledges it', async () => {
  const patientId = world.patients[0].id;
  await send(lithium('CRIT-1', '1.8', 'HH'));
  const [alert] = await until(() => alertsOf(patientId), (alerts) => alerts.length === 1);
  expect(alert).toMatchObject({ status: 'OPEN', rule: expect.stringMatching(/^flag-critical@/) });

  const prescriber = await h.token(world.claims[Role.IOP_CLINICIAN]);
  const notified = await until(() => notificationsOf(prescriber), (items) => items.some((item) => item.kind === 'critical.result'));
  expect(notified).toContainEqual(expect.objectContaining({ kind: 'critical.result', subjectType: 'CRITICAL_ALERT', subjectId: alert.id }));
  const therapist = await notificationsOf(await h.token(world.therapist));
  expect(therapist.some((item) => item.kind === 'critical.result')).toBe(false);

  const escalated = await until(() => alertsOf(patientId), (alerts) => alerts[0].status === CriticalAlertStatus.ESCALATED, (escalationSeconds + 8) * 1000);
  expect(escalated[0].escalatedAt).not.toBeNull();
  const admin = await h.token(world.claims[Role.ADMIN]);
  const onCall = await until(() => notificationsOf(admin), (items) => items.some((item) => item.kind === 'critical.escalated'));
  expect(onCall).toContainEqual(expect.objectContaining({ kind: 'critical.escalated', subjectId: alert.id }));

  const view = await h.graphql(PatientCriticalAlertsDocument, { id: patientId }, prescriber);
  expect(view.data?.patient.criticalAlerts?.[0]).toMatchObject({ status: 'ESCALATED', labResult: { testName: 'Lithium [Moles/volume] in Serum or Plasma', valueNumeric: 1.8 } });
}, 30_000);

it('does not escalate an alert the prescriber acknowledged in time', async () => {
  const patientId = world.patients[0].id;
  await send(lithium('CRIT-2', '140', '', '4086-7^Valproate [Mass/volume] in Serum or Plasma^LN', 'ug/mL'));
  const alerts = await until(() => alertsOf(patientId), (items) => items.length === 2);
  const alert = alerts[1];
  expect(alert.rule).toMatch(/^valproate-above-125@/);
  const acknowledged = await h.graphql(AcknowledgeCriticalAlertDocument, { alertId: alert.id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(acknowledged.data?.acknowledgeCriticalAlert.alert.status).toBe('ACKNOWLEDGED');

  await new Promise((resolve) => setTimeout(resolve, (escalationSeconds + 1.5) * 1000));
  const [, after] = await alertsOf(patientId);
  expect(after).toMatchObject({ status: 'ACKNOWLEDGED', escalatedAt: null });
  const twice = await h.graphql(AcknowledgeCriticalAlertDocument, { alertId: alert.id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(twice.errors?.[0].extensions?.code).toBe('CONFLICT');
  const byPcp = await h.graphql(AcknowledgeCriticalAlertDocument, { alertId: alert.id }, await h.token(world.claims[Role.PCP]));
  expect(byPcp.errors?.[0].extensions?.code).toBe('FORBIDDEN');
}, 30_000);

it('sends a critical result that arrives after discharge to the last prescriber, and escalates it to that program\'s on-call', async () => {
  const patient = world.patients[1];
  const em = h.orm.em.fork();
  em.persist(new PatientIdentifier(em.getReference(Patient, patient.id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), 'L-777', 'REGLAB'));
  await em.flush();
  await h.orm.em.fork().nativeUpdate(Enrollment, { patient: patient.id }, { status: EnrollmentStatus.DISCHARGED, endedAt: new Date() });

  const birthDate = patient.birthDate.replace(/-/g, '');
  await send(lithium('CRIT-DISCHARGED', '1.9', 'HH').replace(/\rPID\|[^\r]*/, `\rPID|1||L-777^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${birthDate}`));
  const [alert] = await until(() => alertsOf(patient.id), (alerts) => alerts.length === 1);
  const prescriber = await h.token(world.claims[Role.IOP_CLINICIAN]);
  const notified = await until(() => notificationsOf(prescriber), (items) => items.some((item) => item.subjectId === alert.id));
  expect(notified).toContainEqual(expect.objectContaining({ kind: 'critical.result', subjectId: alert.id }));

  const admin = await h.token(world.claims[Role.ADMIN]);
  const onCall = await until(() => notificationsOf(admin), (items) => items.some((item) => item.subjectId === alert.id), (escalationSeconds + 8) * 1000);
  expect(onCall).toContainEqual(expect.objectContaining({ kind: 'critical.escalated', subjectId: alert.id }));
}, 30_000);

it('tells the on-call staff of a critical result whose message waits for patient review, naming the message only', async () => {
  await send(lithium('CRIT-HELD', '2.1', 'HH').replace(/\rPID\|[^\r]*/, '\rPID|1||L-999^^^REGLAB^MR||Unknown^Someone||19700101'));
  const held = await until(
    () => h.orm.em.fork().findOne(InboxMessage, { sourceMessageId: 'CRIT-HELD' }),
    (message) => message?.state === InboxState.HELD,
  );
  const admin = await h.token(world.claims[Role.ADMIN]);
  const notices = await until(() => notificationsOf(admin), (items) => items.some((item) => item.kind === 'critical.awaiting-match'));
  expect(notices).toContainEqual(expect.objectContaining({ kind: 'critical.awaiting-match', subjectType: 'INBOX_MESSAGE', subjectId: held!.id }));

  // A result within range, held the same way, tells nobody.
  await send(lithium('NORMAL-HELD', '0.9', 'N').replace(/\rPID\|[^\r]*/, '\rPID|1||L-998^^^REGLAB^MR||Unknown^Other||19700102'));
  const normal = await until(
    () => h.orm.em.fork().findOne(InboxMessage, { sourceMessageId: 'NORMAL-HELD' }),
    (message) => message?.state === InboxState.HELD,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect((await notificationsOf(admin)).some((item) => item.subjectId === normal!.id)).toBe(false);
}, 30_000);

it('escalates an alert whose delayed escalation Redis lost: the escalation is due-dated in the database', async () => {
  const patientId = world.patients[0].id;
  const before = (await alertsOf(patientId)).length;
  await send(lithium('CRIT-LOST', '1.7', 'HH'));
  const alerts = await until(() => alertsOf(patientId), (items) => items.length === before + 1);
  const alert = alerts[alerts.length - 1];
  const prescriber = await h.token(world.claims[Role.IOP_CLINICIAN]);
  await until(() => notificationsOf(prescriber), (items) => items.some((item) => item.subjectId === alert.id));
  // The delayed job is gone, as after a Redis restart without persistence.
  const escalation = h.queues.get('lab-results');
  await until(() => escalation.getJobState(`escalate-${alert.id}`), (state) => state === 'delayed');
  await escalation.remove(`escalate-${alert.id}`);
  expect(await escalation.getJobState(`escalate-${alert.id}`)).toBe('unknown');

  const escalated = await until(() => h.orm.em.fork().findOneOrFail(CriticalAlert, { id: alert.id }), (found) => found.status === CriticalAlertStatus.ESCALATED, (escalationSeconds + 8) * 1000);
  expect(escalated.status).toBe(CriticalAlertStatus.ESCALATED);
  const admin = await h.token(world.claims[Role.ADMIN]);
  const onCall = await until(() => notificationsOf(admin), (items) => items.some((item) => item.subjectId === alert.id && item.kind === 'critical.escalated'));
  expect(onCall.filter((item) => item.subjectId === alert.id && item.kind === 'critical.escalated')).toHaveLength(1);
}, 30_000);

it('raises nothing for a result within range', async () => {
  const before = (await alertsOf(world.patients[0].id)).length;
  await send(lithium('CRIT-3', '1.0', 'N'));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await alertsOf(world.patients[0].id)).toHaveLength(before);
});
