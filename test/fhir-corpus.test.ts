import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { readFhirOutcome, sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * Replays the FHIR R4 corpus (test/fixtures/fhir/corpus, written from the R4 specification)
 * over POST /ingest/fhir in the manifest's order, checking each answer and the stored state;
 * then sends a burst of Bundles for one patient at once.
 */
interface ExpectedIssue {
  severity: string;
  expression: string;
}
interface ExpectedRecord {
  patient?: string;
  kind: string;
  match: Record<string, unknown>;
  fields: Record<string, unknown>;
}
interface Case {
  status: number;
  /** What became of the stored Bundle once the worker dealt with it. */
  inbox: 'PROCESSED' | 'HELD' | 'REJECTED';
  issues: ExpectedIssue[];
  state: 'unchanged' | { patient: string; current: Record<string, number>; superseded: number };
  records: ExpectedRecord[];
}
interface Manifest {
  patients: Record<string, { givenName: string; familyName: string; phone: string }>;
  cases: Record<string, Case>;
}

const corpus = join(__dirname, 'fixtures', 'fhir', 'corpus');
const read = (file: string) => readFileSync(join(corpus, file), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as Manifest;
// What the corpus says about Avery Demo, which no answer repeats.
const patientFacts = ['Avery', '1988-04-12', '010-1234'];

let h: Harness;
let world: World;
let pcp: string;
let pcpOrganizationId: string;
const patientIds: Record<string, string> = {};
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pcp = await h.token(world.claims[Role.PCP]);
  pcpOrganizationId = world.claims[Role.PCP].organizationId!;
  const em = h.orm.em.fork();
  for (const [name, { givenName, familyName, phone }] of Object.entries(manifest.patients)) {
    const patient = await em.findOneOrFail(Patient, { givenName, familyName });
    patient.phone = phone;
    patientIds[name] = patient.id;
  }
  await em.flush();
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

interface Outcome {
  resourceType: string;
  issue: { severity: string; expression?: string[] }[];
}

/**
 * Sends a Bundle and waits for the worker to deal with it. The outcome is the answer when the
 * Bundle was refused, else what the sender reads of it after the import.
 */
async function send(body: string) {
  const { response, message } = await sendFhirBundle(h, pcp, body);
  const read = response.statusCode === 202 && message ? await readFhirOutcome(h, pcp, message.id) : response;
  return { status: response.statusCode, state: message?.state, outcome: read.json<Outcome>(), answers: [response.body, read.body] };
}

/** Every record the primary-care source gave, as id → whether it is current. */
async function storedRecords(): Promise<Record<string, boolean>> {
  const records = await h.orm.em.fork().find(ClinicalRecord, { sourceOrganization: pcpOrganizationId });
  return Object.fromEntries(records.map((record) => [record.id, record.isCurrent]));
}

async function recordsOf(patient: string): Promise<ClinicalRecord[]> {
  return h.orm.em.fork().find(ClinicalRecord, { patient: patientIds[patient], sourceOrganization: pcpOrganizationId });
}

function countByKind(records: ClinicalRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[record.kind] = (counts[record.kind] ?? 0) + 1;
  return counts;
}

/** A stored field as the manifest writes it (instants in ISO form). */
function field(record: ClinicalRecord, name: string): unknown {
  const value = (record as unknown as Record<string, unknown>)[name];
  return value instanceof Date ? value.toISOString() : value;
}

describe('the FHIR corpus, one Bundle at a time', () => {
  it.each(Object.entries(manifest.cases))('%s', async (file, expected) => {
    const before = await storedRecords();
    const sent = await send(read(file));

    expect([sent.status, sent.state]).toEqual([expected.status, expected.inbox]);
    for (const said of patientFacts) for (const answer of sent.answers) expect(answer).not.toContain(said);
    const { outcome } = sent;
    expect(outcome.resourceType).toBe('OperationOutcome');
    for (const { severity, expression } of expected.issues) {
      expect(outcome.issue).toContainEqual(expect.objectContaining({ severity, expression: [expression] }));
    }
    // Each problem once, under the FHIRPath the manifest names.
    const errorPlaces = outcome.issue.filter((each) => each.severity === 'error' || each.severity === 'fatal').map((each) => each.expression?.[0]);
    expect(new Set(errorPlaces)).toEqual(new Set(expected.issues.filter((each) => each.severity === 'error').map((each) => each.expression)));

    if (expected.state === 'unchanged') {
      expect(await storedRecords()).toEqual(before);
    } else {
      const records = await recordsOf(expected.state.patient);
      expect(countByKind(records.filter((record) => record.isCurrent))).toEqual(expected.state.current);
      expect(records.filter((record) => !record.isCurrent)).toHaveLength(expected.state.superseded);
    }
    for (const { patient = 'avery', kind, match, fields } of expected.records) {
      const current = (await recordsOf(patient)).filter(
        (record) => record.isCurrent && field(record, 'kind') === kind && Object.entries(match).every(([name, value]) => field(record, name) === value),
      );
      expect(current).toHaveLength(1);
      const shown = Object.fromEntries(Object.keys(fields).map((name) => [name, field(current[0], name)]));
      expect(shown).toEqual(fields);
    }
  });
});

describe('a burst of Bundles for one patient at once', () => {
  it('imports each without a 5xx and leaves one current version of each record', async () => {
    const replayed = Object.entries(manifest.cases).filter(([, expected]) => expected.inbox === 'PROCESSED' && expected.state !== 'unchanged' && expected.state.patient === 'avery');
    const burst = replayed.slice(0, 10).map(([file], index) => read(file).replace(/"id": "corpus-(\d+)"/, `"id": "burst-${index}-$1"`));
    expect(burst).toHaveLength(10);
    const currentBefore = countByKind((await recordsOf('avery')).filter((record) => record.isCurrent));

    const sent = await Promise.all(burst.map(send));

    expect(sent.map(({ status, state }) => [status, state])).toEqual(burst.map(() => [202, 'PROCESSED']));
    const current = (await recordsOf('avery')).filter((record) => record.isCurrent);
    expect(countByKind(current)).toEqual(currentBefore);
    const keys = current.map((record) => `${record.kind}|${record.sourceRecordId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('links a first-time patient once when the same Bundle arrives several times at once', async () => {
    const em = h.orm.em.fork();
    const riley = await em.findOneOrFail(Patient, { givenName: 'Riley' });
    riley.phone = '555-010-3333';
    await em.flush();
    const bundle = read('29-id-reused-for-another-patient.json')
      .replace(/Jordan/g, 'Riley')
      .replace(/Sample/g, riley.familyName)
      .replace(/1995-11-03/g, riley.birthDate)
      .replace(/555-010-2222/g, '555-010-3333')
      .replace(/maple-p-2002/g, 'maple-p-3003')
      .replace(/MAPLE-2002/g, 'MAPLE-3003');
    const copies = Array.from({ length: 6 }, (_, index) => bundle.replace('"id": "corpus-29"', `"id": "riley-${index}"`));

    const sent = await Promise.all(copies.map(send));

    expect(sent.map(({ status, state }) => [status, state])).toEqual(copies.map(() => [202, 'PROCESSED']));
    const records = await h.orm.em.fork().find(ClinicalRecord, { patient: riley.id });
    expect(records.map((record) => record.sourceRecordId)).toEqual(['Condition/cond-mdd']);
  });
});
