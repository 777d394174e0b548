import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxState } from '../src/modules/ingest/inbox-message.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { readFhirOutcome, sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * Mutated valid Bundles (fields dropped, duplicated or retyped, empty strings, odd dates, huge
 * strings, unicode, the patient's own name moved elsewhere): never a 5xx, never a partial write,
 * never the patient's name or birth date in a log line or in the answer.
 */
const corpus = join(__dirname, 'fixtures', 'fhir', 'corpus');
const validBundles = [
  '01-collection-year-onset.json',
  '02-transaction-urn-uuid.json',
  '03-batch-observations.json',
  '04-phq9-gad7-scores.json',
  '10-medication-statement-by-fullurl.json',
].map((file) => readFileSync(join(corpus, file), 'utf8'));
// What the corpus says about its patient, Avery Demo, born 1988-04-12.
const phi = ['Avery', '1988-04-12', '010-1234'];

let h: Harness;
let world: World;
let pcp: string;
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pcp = await h.token(world.claims[Role.PCP]);
  await h.orm.em.fork().nativeUpdate(Patient, { givenName: 'Avery', familyName: 'Demo' }, { phone: '555-010-1234' });
  // The workers log to the app's logger, so their lines are checked too.
  workers = startTestWorkers(h, h.logger);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const oddDates = ['2019-02-29', '2020-02-30', '2019-13', '2019-00', '0000', '2019-06-01T10:00', '2019-06-01T10:00:00', '2019-06-01T24:00:00Z', '+2019-06-01', '2019-6-1', '99999-01-01', '2019-06-01T10:00:00+25:00'];
const oddStrings = ['', ' ', '\u0000', '\u0007bell', '\ud800', 'é\u0301', '👩‍⚕️🏥', '\u202eevil', 'Ω'.repeat(400), 'x'.repeat(100_000), ...phi];

/** A change to one place in the Bundle. */
const mutation: fc.Arbitrary<Change> = fc.oneof(
  fc.constant({ kind: 'drop' as const }),
  fc.constant({ kind: 'duplicate' as const }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.constantFrom<Json>(...oddDates, ...oddStrings, 0, -1, 1.5, 1e308, true, null, {}, [], [{}], { value: 'x' }) }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.string({ unit: 'binary', maxLength: 40 }) }),
);

type Change = { kind: 'drop' | 'duplicate' } | { kind: 'replace'; value: Json };

/** Applies the change at the place the path of choices leads to (each choice picks a key or an index). */
function mutate(bundle: Json, choices: number[], change: Change): void {
  let parent = bundle as Record<string, Json> | Json[];
  let key: string | number | undefined;
  for (const choice of choices) {
    const current: Json = key === undefined ? parent : (parent as Record<string | number, Json>)[key];
    if (typeof current !== 'object' || current === null) break;
    const keys: (string | number)[] = Array.isArray(current) ? current.map((_, index) => index) : Object.keys(current);
    if (keys.length === 0) break;
    if (key !== undefined) parent = current;
    key = keys[choice % keys.length];
  }
  if (key === undefined) return;
  const holder = parent as Record<string | number, Json>;
  if (change.kind === 'replace') holder[key] = change.value;
  else if (change.kind === 'drop' && Array.isArray(parent)) parent.splice(key as number, 1);
  else if (change.kind === 'drop') delete holder[key];
  else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
  else holder[key] = [holder[key], structuredClone(holder[key])];
}

let sent = 0;

it('a mutated Bundle is refused or imported whole, never a 5xx or a failed import, never quoting the patient', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...validBundles), fc.array(fc.nat(), { minLength: 1, maxLength: 7 }), mutation, async (text, choices, change) => {
      const bundle = JSON.parse(text) as Json;
      mutate(bundle, choices, change);
      sent += 1;
      // A Bundle id of its own, so each run is a new message, not a resend.
      if (typeof bundle === 'object' && bundle !== null && !Array.isArray(bundle) && typeof bundle.id === 'string') bundle.id = `property-${sent}`;
      const before = await h.orm.em.fork().find(ClinicalRecord, {});
      const logged = h.logLines.length;

      const { response, message } = await sendFhirBundle(h, pcp, JSON.stringify(bundle));
      const outcome = message ? await readFhirOutcome(h, pcp, message.id) : undefined;

      expect(response.statusCode).toBeLessThan(500);
      // Imported, held or refused for a reason: never an import that failed.
      expect(message?.state).not.toBe(InboxState.FAILED);
      const after = await h.orm.em.fork().find(ClinicalRecord, {});
      const snapshot = (records: ClinicalRecord[]) => records.map((record) => `${record.id}:${String(record.supersededAt?.getTime())}`).sort();
      if (message?.state !== InboxState.PROCESSED) {
        expect(snapshot(after)).toEqual(snapshot(before));
      } else {
        // Imported: earlier records are all still there; whatever is new came in with this Bundle.
        const earlier = new Set(before.map((record) => record.id));
        expect(after.filter((record) => earlier.has(record.id))).toHaveLength(before.length);
        const added = after.filter((record) => !earlier.has(record.id));
        expect(new Set(added.map((record) => record.inboxMessageId)).size).toBeLessThanOrEqual(1);
      }
      for (const value of phi) {
        expect(response.body).not.toContain(value);
        expect(outcome?.body ?? '').not.toContain(value);
        expect(h.logLines.slice(logged).join('\n')).not.toContain(value);
      }
    }),
    { numRuns: 60 },
  );
});
