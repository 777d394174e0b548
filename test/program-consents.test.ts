import { Role } from '../src/auth/roles';
import type { ProvenanceInit } from '../src/modules/clinical/clinical-record.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { RevokeConsentDocument, type RequestConsentInput } from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * A consent from one program naming another (DESIGN: another program sees a program's records only
 * under "its own consent from this program"). Program A is the world's IOP and holds an SUD
 * diagnosis of the patient both programs treat; program B is the second.
 */
let h: Harness;
let world: World;
let second: SecondProgram;
let shared: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  shared = second.sharedPatientId;
  const em = h.orm.em.fork();
  const fromA: ProvenanceInit = { sourceOrganization: em.getReference(Organization, world.iopId), sourceSystem: 'urn:example:program-a' };
  em.persist(new Diagnosis(em.getReference(Patient, shared), fromA, { icd10Code: 'F11.20', text: 'Opioid use disorder' }));
  await em.flush();
});
afterAll(() => h.close());

const toProgramB = (terms: Partial<RequestConsentInput> = {}) =>
  requestConsent(h, world, { recipientOrganizationIds: [second.iopId], categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'SUD'], ...terms });

/** What program B's clinician is shown of the shared patient's diagnoses, told, and audited for. */
async function programBReads() {
  const token = await h.token(second.clinician);
  const before = await h.orm.em.fork().count(AuditEvent, { userId: second.clinician.userId });
  const response = await h.graphql<{ patient: { diagnoses: { icd10Code: string }[] | null } }, { id: string }>(
    'query($id: ID!) { patient(id: $id) { diagnoses { icd10Code } } }',
    { id: shared },
    token,
  );
  const rows = await h.orm.em.fork().find(AuditEvent, { userId: second.clinician.userId }, { orderBy: { id: 'asc' }, offset: before });
  return {
    codes: response.data?.patient.diagnoses?.map((diagnosis) => diagnosis.icd10Code) ?? [],
    withheld: (response.errors ?? []).some((error) => error.extensions?.code === 'CONSENT_REQUIRED'),
    notice: response.extensions?.redisclosureNotice as string | undefined,
    rows,
  };
}

it("keeps program A's Part 2 records from program B's staff without a consent from A naming B", async () => {
  const read = await programBReads();
  expect(read.codes).not.toContain('F11.20');
  expect(read.withheld).toBe(true);
  expect(read.rows.flatMap((row) => row.categories)).not.toContain('SUD');
});

it("opens them to program B's care team once the patient signs A's consent naming B with SUD, audited under it, until revoked", async () => {
  const consentId = await toProgramB();
  expect((await programBReads()).codes).not.toContain('F11.20');
  await signConsent(h, world, consentId);

  const read = await programBReads();
  expect(read.codes).toContain('F11.20');
  expect(read.withheld).toBe(false);
  expect(read.notice).toMatch(/42 CFR part 2/);
  expect(read.rows).toContainEqual(expect.objectContaining({ consentId, categories: expect.arrayContaining(['DIAGNOSES', 'SUD']) }));

  const revoked = await h.graphql(RevokeConsentDocument, { consentId }, await h.token(world.claims[Role.PATIENT]));
  expect(revoked.errors).toBeUndefined();
  const after = await programBReads();
  expect(after.codes).not.toContain('F11.20');
  expect(after.withheld).toBe(true);
});

it('a consent naming B without SUD, or naming only a partner, opens nothing of A\'s Part 2 records to B', async () => {
  await signConsent(h, world, await toProgramB({ categories: ['DEMOGRAPHICS', 'DIAGNOSES'] }));
  await signConsent(h, world, await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'SUD'] }));
  const read = await programBReads();
  expect(read.codes).not.toContain('F11.20');
  expect(read.withheld).toBe(true);
});

it("refuses a consent naming the requesting program itself", async () => {
  const own = await h.graphql(
    'mutation($input: RequestConsentInput!) { requestConsent(input: $input) { consent { id } } }',
    {
      input: {
        patientId: shared,
        recipientOrganizationIds: [world.iopId],
        purpose: 'TREATMENT',
        categories: ['DEMOGRAPHICS'],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  expect(own.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});
