import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxSource } from '../src/modules/ingest/inbox-message.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { PatientViewDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { readFhirOutcome, sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let pcp: string;
let workers: { stop(): Promise<void> };

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'fhir', name), 'utf8');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pcp = await h.token(world.claims[Role.PCP]);
  // The PCP knows Avery by a phone number the IOP also has: a certain demographic match.
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

/** Sends a Bundle and waits for the worker to import it; answers with what the sender reads of it then. */
async function send(body: string, token: string | null = pcp, contentType = 'application/fhir+json') {
  const { response, message } = await sendFhirBundle(h, token, body, contentType);
  return { response, statusCode: response.statusCode, message, outcome: async () => (await readFhirOutcome(h, token!, message!.id)).json<{ issue: { details: { text: string } }[] }>() };
}

const recordCount = () => h.orm.em.fork().count(ClinicalRecord, { sourceOrganization: world.claims[Role.PCP].organizationId! });
const inboxCount = () => h.orm.em.fork().count(InboxMessage, { source: InboxSource.FHIR });

describe('POST /ingest/fhir', () => {
  it('refuses senders that are not an authenticated primary-care source, storing nothing', async () => {
    const anonymous = await send(fixture('pcp-bundle.json'), null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
    const lab = await send(fixture('pcp-bundle.json'), await h.token(world.claims[Role.LAB]));
    expect(lab.statusCode).toBe(403);
    expect(await inboxCount()).toBe(0);
  });

  it('imports a Bundle for a patient matched with certainty, with provenance, warning about what it does not import', async () => {
    const response = await send(fixture('pcp-bundle.json'));
    expect(response.statusCode).toBe(202);
    expect(response.response.headers['content-type']).toMatch(/application\/fhir\+json/);
    const outcome = await response.outcome();
    // What the sender reads says nothing of the patient's match (42 CFR §2.13(c)); the chart below shows the import.
    expect(outcome.issue[0]).toMatchObject({ severity: 'information', code: 'informational' });
    expect(outcome.issue.slice(1)).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'not-supported', expression: ['Bundle.entry[2].resource'] }),
      expect.objectContaining({ severity: 'warning', code: 'not-supported', expression: ['Bundle.entry[7].resource'] }),
    ]);

    const [stored] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'maple-export-0001' });
    expect(stored.state).toBe('PROCESSED');
    expect(stored.body).toBe(fixture('pcp-bundle.json'));
    const remembered = await h.orm.em.fork().findOne(PatientIdentifier, { value: 'MAPLE-1001' });
    expect(remembered?.patient.id).toBe(world.patients[0].id);

    const view = await h.graphql(PatientViewDocument, { id: world.patients[0].id }, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(view.errors).toBeUndefined();
    const diabetes = view.data!.patient.diagnoses!.find((diagnosis) => diagnosis.icd10Code === 'E11.9');
    expect(diabetes).toMatchObject({
      diagnosisText: 'Type 2 diabetes',
      categories: ['DIAGNOSES'],
      provenance: { system: 'maple-street-ehr', recordId: 'Condition/cond-dm2', organization: { kind: 'PRIMARY_CARE' } },
    });
    expect(view.data!.patient.medications!.map((medication) => medication.drugName)).toContain('Lisinopril 10 mg tablet');
    expect(view.data!.patient.allergies).toEqual([expect.objectContaining({ substance: 'Penicillin', reaction: 'Hives', criticality: 'HIGH' })]);
    expect(view.data!.patient.labResults).toEqual([
      expect.objectContaining({
        testName: 'HbA1c',
        loincCode: '4548-4',
        valueNumeric: 7.2,
        unit: '%',
        referenceLow: 4,
        referenceHigh: 5.6,
        abnormalFlag: 'H',
        resultStatus: 'FINAL',
        categories: ['LABS'],
      }),
    ]);
    expect(view.data!.patient.encounters).toEqual([expect.objectContaining({ encounterType: 'Annual physical', encounterStatus: 'finished' })]);
  });

  it("lets only the Bundle's sender read what became of it", async () => {
    const [stored] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'maple-export-0001' });
    const own = await readFhirOutcome(h, pcp, stored.id);
    expect(own.statusCode).toBe(200);
    const em = h.orm.em.fork();
    const practice = new Organization('Other Practice', OrganizationKind.PRIMARY_CARE);
    const doctor = new User('doctor@other-practice.example', 'Other Doctor');
    await em.persist([practice, doctor, new Membership(doctor, practice, Role.PCP)]).flush();
    const otherPractice = await h.token({ userId: doctor.id, role: Role.PCP, organizationId: practice.id });
    expect((await readFhirOutcome(h, otherPractice, stored.id)).statusCode).toBe(404);
    expect((await readFhirOutcome(h, await h.token(world.claims[Role.LAB]), stored.id)).statusCode).toBe(403);
  });

  it('answers a resend of the same Bundle without importing it again', async () => {
    const before = await recordCount();
    const again = await send(fixture('pcp-bundle.json'));
    expect(again.statusCode).toBe(200);
    expect(again.response.json().issue[0]).toMatchObject({ code: 'duplicate' });
    const renamed = await send(fixture('pcp-bundle.json').replace('maple-export-0001', 'maple-export-0002'));
    expect(renamed.message?.state).toBe('PROCESSED');
    expect(await recordCount()).toBe(before);
  });

  it('refuses invalid FHIR with an OperationOutcome naming each problem, keeping the raw Bundle as REJECTED', async () => {
    const before = await recordCount();
    const response = await send(fixture('invalid-bundle.json'));
    expect(response.statusCode).toBe(400);
    const expressions = response.response.json().issue.map((each: { expression?: string[] }) => each.expression?.[0]);
    expect(expressions).toEqual(
      expect.arrayContaining(['Bundle.entry[0].resource.birthDate', 'Bundle.entry[0].resource.favouriteColour', 'Bundle.entry[1].resource.onsetDateTime']),
    );
    const [stored] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'maple-export-bad' });
    expect(stored).toMatchObject({ state: 'REJECTED', body: fixture('invalid-bundle.json') });
    expect(await recordCount()).toBe(before);
  });

  it('refuses a body that is not JSON, and a Bundle about two patients, writing no record', async () => {
    const before = await recordCount();
    const inboxBefore = await inboxCount();
    const notJson = await send('{"resourceType": "Bundle", ');
    expect(notJson.statusCode).toBe(400);
    const two = await send(fixture('two-patients-bundle.json'));
    expect(two.statusCode).toBe(400);
    expect(two.response.json().issue[0].details.text).toBe('The Bundle must contain exactly one Patient');
    expect(await inboxCount()).toBe(inboxBefore + 2);
    expect(await recordCount()).toBe(before);
  });

  it('holds a Bundle whose patient is unknown for review, keeping it and importing nothing', async () => {
    const before = await recordCount();
    const unknown = fixture('sibling-bundle.json').replace(/Twin/g, 'Nobody').replace('maple-export-sibling', 'maple-export-unknown');
    const response = await send(unknown);
    expect(response.statusCode).toBe(202);
    expect(response.message?.state).toBe('HELD');
    const [stored] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'maple-export-unknown' });
    expect(stored.state).toBe('HELD');
    const review = await h.orm.em.fork().findOneOrFail(MatchReview, { inboxMessage: stored.id });
    expect(review).toMatchObject({ status: 'PENDING', candidateIds: [], demographics: { familyName: 'Nobody', birthDate: '2001-05-05' } });
    expect(await recordCount()).toBe(before);
  });

  it('never merges siblings: the twin named in the Bundle is linked; a name matching neither goes to review with both', async () => {
    const em = h.orm.em.fork();
    const casey = Object.assign(new Patient('Casey', 'Twin', '2001-05-05'), { phone: '555-0150', postalCode: '02020' });
    const jordan = Object.assign(new Patient('Jordan', 'Twin', '2001-05-05'), { phone: '555-0150', postalCode: '02020' });
    await em.persistAndFlush([casey, jordan]);

    const linked = await send(fixture('sibling-bundle.json'));
    expect(linked.message?.state).toBe('PROCESSED');
    expect(await h.orm.em.fork().count(ClinicalRecord, { patient: casey.id })).toBe(1);
    expect(await h.orm.em.fork().count(ClinicalRecord, { patient: jordan.id })).toBe(0);

    const neither = fixture('sibling-bundle.json').replace('Casey', 'Sam').replace('MAPLE-2002', 'MAPLE-2003').replace('maple-export-sibling', 'maple-export-sam');
    const held = await send(neither);
    expect(held.message?.state).toBe('HELD');
    const [stored] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'maple-export-sam' });
    const review = await h.orm.em.fork().findOneOrFail(MatchReview, { inboxMessage: stored.id });
    expect([...review.candidateIds].sort()).toEqual([casey.id, jordan.id].sort());
  });

  it('links by a known identifier even when the demographics changed', async () => {
    const renamed = fixture('pcp-bundle.json')
      .replace('maple-export-0001', 'maple-export-0003')
      .replace('"family": "Demo"', '"family": "Married-Name"')
      .replace('cond-dm2', 'cond-dm2-b');
    const response = await send(renamed);
    expect(response.message?.state).toBe('PROCESSED');
    expect(await h.orm.em.fork().count(ClinicalRecord, { patient: world.patients[0].id, sourceRecordId: 'Condition/cond-dm2-b' })).toBe(1);
  });

  it('answers a JSON null, a reused Bundle id and a refused Bundle sent again with clear errors', async () => {
    expect((await send('null')).statusCode).toBe(400);
    const reused = await send(fixture('pcp-bundle.json').replace('"Type 2 diabetes"', '"Diabetes type 2"'));
    expect(reused.statusCode).toBe(409);
    expect(reused.response.json().issue[0].code).toBe('duplicate');
    const refusedAgain = await send(fixture('invalid-bundle.json'));
    expect(refusedAgain.statusCode).toBe(400);
  });

  it('does not trust a known identifier whose birth date disagrees: the Bundle is held', async () => {
    const other = fixture('pcp-bundle.json').replace('maple-export-0001', 'maple-export-dob').replace('"birthDate": "1988-04-12"', '"birthDate": "1991-02-03"');
    const response = await send(other);
    expect(response.message?.state).toBe('HELD');
  });
});
