import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { BreakGlassAccess } from '../src/modules/consent/break-glass.entity';
import { BreakGlassDocument, MyNotificationsDocument, PatientDocument, RecordDiagnosisDocument, RegisterPatientDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { addSecondProgram, seedWorld, type World } from './helpers/world';
import { Prescription } from '../src/modules/medications/prescription.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';

let h: Harness;
let world: World;
let workers: { stop(): Promise<void> };
let patientId: string;
let therapist: string;

beforeAll(async () => {
  h = await startHarness({ BREAK_GLASS_MINUTES: '30' });
  world = await seedWorld(h.orm.em.fork());
  workers = startTestWorkers(h);
  const registered = await h.graphql(
    RegisterPatientDocument,
    { input: { givenName: 'Emergency', familyName: 'Case', birthDate: '1975-05-05' } },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  patientId = registered.data!.registerPatient.patient.id;
  therapist = await h.token(world.therapist);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

it('opens one patient\'s record to a clinician for a limited time, audited with the access, and tells the privacy officer', async () => {
  expect((await h.graphql(PatientDocument, { id: patientId }, therapist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const opened = await h.graphql(BreakGlassDocument, { patientId, reason: 'Found unresponsive on video session; EMS on the way' }, therapist);
  const access = opened.data!.breakGlass.access;
  const minutes = (new Date(access.expiresAt).getTime() - Date.now()) / 60_000;
  expect(minutes).toBeGreaterThan(29);
  expect(minutes).toBeLessThanOrEqual(30);

  const response = await h.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${therapist}`, 'x-request-id': 'emergency-read' },
    payload: { query: PatientDocument.toString(), variables: { id: patientId } },
  });
  expect(response.json().data.patient.id).toBe(patientId);
  const [row] = await h.orm.em.fork().find(AuditEvent, { requestId: 'emergency-read' });
  expect(row).toMatchObject({ breakGlassId: access.id, userId: world.therapist.userId });
  // Only that patient.
  const other = await h.graphql(
    RegisterPatientDocument,
    { input: { givenName: 'Another', familyName: 'Patient', birthDate: '1980-01-01' } },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  expect((await h.graphql(PatientDocument, { id: other.data!.registerPatient.patient.id }, therapist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

  const admin = await h.token(world.claims[Role.ADMIN]);
  const kinds = await until(
    async () => (await h.graphql(MyNotificationsDocument, {}, admin)).data!.myNotifications.edges.map((edge) => edge.node.kind),
    (items) => items.includes('break-glass.opened'),
  );
  expect(kinds).toContain('break-glass.opened');

  // It ends by itself.
  await h.orm.em.fork().nativeUpdate(BreakGlassAccess, { id: access.id }, { expiresAt: new Date(Date.now() - 1000) });
  expect((await h.graphql(PatientDocument, { id: patientId }, therapist)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
}, 30_000);

it('needs a stated reason, and is for IOP clinicians only', async () => {
  const vague = await h.graphql(BreakGlassDocument, { patientId, reason: 'urgent' }, therapist);
  expect(vague.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const pcp = await h.graphql(BreakGlassDocument, { patientId, reason: 'Patient collapsed in the waiting room' }, await h.token(world.claims[Role.PCP]));
  expect(pcp.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(await h.orm.em.fork().count(BreakGlassAccess, { patient: patientId })).toBe(1);
});

describe("another program's Part 2 records in an emergency (§2.51)", () => {
  const diagnosisCodes = async (patient: string, token: string) => {
    const view = await h.graphql<{ patient: { diagnoses: { icd10Code: string }[] } }, { id: string }>(
      'query($id: ID!) { patient(id: $id) { diagnoses { icd10Code } } }',
      { id: patient },
      token,
    );
    const withheld = (view.errors ?? []).reduce((sum, error) => sum + Number(error.extensions?.withheld ?? 0), 0);
    return { codes: view.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code), withheld };
  };

  it("are opened by break-glass, for a patient outside the clinician's care and for one they share with that program; its privacy officer is told", async () => {
    const second = await addSecondProgram(h.orm.em, world);
    const secondClinician = await h.token(second.clinician);
    for (const patient of [second.ownPatientId, second.sharedPatientId]) {
      await h.graphql(RecordDiagnosisDocument, { input: { patientId: patient, icd10Code: 'F11.20', text: 'Opioid use disorder, on methadone' } }, secondClinician);
    }
    // A local opioid treatment program's dosing record for the patient outside the clinician's care.
    const em = h.orm.em.fork();
    const fromLocal = { sourceOrganization: em.getReference(Organization, world.claims[Role.LOCAL_PROVIDER].organizationId!), sourceSystem: 'urn:example:otp' };
    await em.persist(new Prescription(em.getReference(Patient, second.ownPatientId), fromLocal, { drugName: 'Methadone 60 mg', dose: '60 mg', route: 'oral', sig: 'daily' })).flush();
    const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
    // The shared patient is in the first program's care: the second program's SUD record is withheld.
    expect(await diagnosisCodes(second.sharedPatientId, clinician)).toMatchObject({ withheld: 1 });
    expect((await diagnosisCodes(second.sharedPatientId, clinician)).codes.filter((code) => code === 'F11.20')).toHaveLength(0);

    for (const patient of [second.ownPatientId, second.sharedPatientId]) {
      const opened = await h.graphql(BreakGlassDocument, { patientId: patient, reason: 'Unresponsive after a suspected overdose; EMS called' }, clinician);
      expect(opened.errors).toBeUndefined();
      expect(await diagnosisCodes(patient, clinician)).toEqual({ codes: expect.arrayContaining(['F11.20']), withheld: 0 });
    }

    const secondAdmin = await h.token(second.admin);
    const told = await until(
      async () => (await h.graphql(MyNotificationsDocument, {}, secondAdmin)).data!.myNotifications.edges.filter((edge) => edge.node.kind === 'break-glass.opened'),
      (items) => items.length === 2,
    );
    expect(told).toHaveLength(2);
    // Both jobs have run; the local provider whose record the first access opened heard of that one only.
    const local = await h.graphql(MyNotificationsDocument, {}, await h.token(world.claims[Role.LOCAL_PROVIDER]));
    expect(local.data!.myNotifications.edges.filter((edge) => edge.node.kind === 'break-glass.opened')).toHaveLength(1);
  }, 30_000);
});
