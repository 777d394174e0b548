import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { ClinicalRecord, ClinicalRecordKind } from '../src/modules/clinical/clinical-record.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { CreatePatientFromMatchReviewDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/** What a clinician sees of FHIR dates given with less than a day, and of records a source updated. */
let h: Harness;
let world: World;
let pcp: string;
let clinician: string;
let admin: string;
let workers: { stop(): Promise<void> };

const corpus = (file: string) => readFileSync(join(__dirname, 'fixtures', 'fhir', 'corpus', file), 'utf8');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pcp = await h.token(world.claims[Role.PCP]);
  clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  admin = await h.token(world.claims[Role.ADMIN]);
  await h.orm.em.fork().nativeUpdate(Patient, { givenName: 'Avery', familyName: 'Demo' }, { phone: '555-010-1234' });
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

/** Sends a Bundle and waits for the worker to import it. */
const send = (body: string) => sendFhirBundle(h, pcp, body);

const imported = async (body: string) => (await send(body)).message?.state;

const diagnosesQuery = `query ($id: ID!) { patient(id: $id) { diagnoses { icd10Code onsetDate dateAsGiven datePrecision diagnosisStatus supersededAt } } }`;

interface Diagnoses {
  patient: { diagnoses: { icd10Code: string; onsetDate: string | null; dateAsGiven: string | null; datePrecision: string | null; diagnosisStatus: string }[] };
}

it('shows a month-only onset as the source gave it, and only the current version of an updated record', async () => {
  const avery = await h.orm.em.fork().findOneOrFail(Patient, { givenName: 'Avery', familyName: 'Demo' });
  expect(await imported(corpus('02-transaction-urn-uuid.json'))).toBe('PROCESSED');
  expect(await imported(corpus('07-conditional-update.json').replace('2019-06-15', '2019-07'))).toBe('PROCESSED');

  const view = await h.graphql<Diagnoses, { id: string }>(diagnosesQuery, { id: avery.id }, clinician);

  expect(view.errors).toBeUndefined();
  expect(view.data!.patient.diagnoses).toEqual([
    { icd10Code: 'F41.1', onsetDate: '2019-07-01', dateAsGiven: '2019-07', datePrecision: 'MONTH', diagnosisStatus: 'ACTIVE', supersededAt: null },
  ]);
  const versions = await h.orm.em.fork().find(ClinicalRecord, { patient: avery.id, kind: ClinicalRecordKind.DIAGNOSIS }, { orderBy: { createdAt: 'asc' } });
  expect(versions.map((version) => [version.dateAsGiven, version.isCurrent])).toEqual([
    ['2019-06', false],
    ['2019-07', true],
  ]);
  expect(versions[0].supersededById).toBe(versions[1].id);
});

it('holds a Bundle whose patient has only a birth year, and registers that patient from the review with the year alone', async () => {
  const bundle = corpus('12-year-only-birthdate.json')
    .replace(/"identifier": \[[^\]]*\],/, '')
    .replace(/Avery/g, 'Quinn')
    .replace(/Demo/g, 'Newcomer')
    .replace('"1988"', '"1951"')
    .replace('corpus-12', 'year-only-newcomer');

  const { response, message } = await send(bundle);

  expect(response.statusCode).toBe(202);
  expect(message?.state).toBe('HELD');
  const review = await h.orm.em.fork().findOneOrFail(MatchReview, { demographics: { familyName: 'Newcomer' } });
  expect(review.demographics.birthDate).toBe('1951');
  const created = await h.graphql(CreatePatientFromMatchReviewDocument, { reviewId: review.id }, admin);
  expect(created.errors).toBeUndefined();
  const patient = await h.orm.em.fork().findOneOrFail(Patient, { id: created.data!.createPatientFromMatchReview.review.patientId! });
  expect(patient).toMatchObject({ familyName: 'Newcomer', birthDate: '1951-01-01', birthDatePrecision: 'YEAR', birthDateAsGiven: '1951' });
  expect(await h.orm.em.fork().count(ClinicalRecord, { patient })).toBe(1);
});

it('keeps a business identifier too long for the key column as its hash, so its update still finds it', async () => {
  const longValue = `order-${'7'.repeat(190)}`;
  const condition = (status: string) =>
    corpus('07-conditional-update.json')
      .replaceAll('prob-42', longValue)
      .replace('"remission"', `"${status}"`)
      .replace(/"code": "active"/, `"code": "${status}"`)
      .replace('corpus-07', `long-identifier-${status}`);

  expect(await imported(condition('active'))).toBe('PROCESSED');
  expect(await imported(condition('resolved'))).toBe('PROCESSED');

  const versions = await h.orm.em.fork().find(ClinicalRecord, { sourceRecordId: { $like: 'Condition#key:%' } }, { orderBy: { createdAt: 'asc' } });
  expect(versions.map((version) => version.isCurrent)).toEqual([false, true]);
  expect(versions[1]).toMatchObject({ diagnosisStatus: 'RESOLVED' });
});

it('makes the earlier version current again when the Bundle that updated the record is unlinked from the patient', async () => {
  const avery = await h.orm.em.fork().findOneOrFail(Patient, { givenName: 'Avery', familyName: 'Demo' });
  const before = await h.orm.em.fork().findOneOrFail(ClinicalRecord, { patient: avery.id, sourceRecordId: { $like: 'Condition?identifier=%|prob-42' }, supersededAt: null });
  const { message } = await send(corpus('07-conditional-update.json').replace('2019-06-15', '2020-01').replace('corpus-07', 'update-to-unlink'));
  expect(message?.state).toBe('PROCESSED');
  expect((await h.orm.em.fork().findOneOrFail(ClinicalRecord, { id: before.id })).isCurrent).toBe(false);

  const unlinked = await h.graphql(`mutation ($id: ID!) { unlinkInboundMessage(inboxMessageId: $id) { review { status } } }`, { id: message!.id }, admin);
  expect(unlinked.errors).toBeUndefined();
  const current = await h.orm.em.fork().find(ClinicalRecord, { patient: avery.id, sourceRecordId: before.sourceRecordId, supersededAt: null });
  expect(current.map((record) => record.id)).toEqual([before.id]);
});
