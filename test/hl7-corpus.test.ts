import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Hl7Problem, readOru } from '../src/modules/ingest/hl7/oru';
import { Organization } from '../src/modules/organizations/organization.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * A corpus written from HL7 v2.5.1 (chapter 2 control, chapter 7 observation reporting): each
 * file with the ACK it must get and what must be kept of it (test/fixtures/hl7/corpus/manifest.json).
 */
interface ExpectedResult {
  sud: boolean;
  status?: string;
  effectiveAt?: string;
  [field: string]: unknown;
}
interface CorpusEntry {
  file: string;
  description: string;
  controlId: string;
  ack: 'AA' | 'AE' | 'AR';
  errorCode?: number;
  results?: ExpectedResult[];
  orders?: Record<string, unknown>[];
}

const corpusDirectory = join(__dirname, 'fixtures', 'hl7', 'corpus');
const corpus = JSON.parse(readFileSync(join(corpusDirectory, 'manifest.json'), 'utf8')) as CorpusEntry[];
const messageOf = (entry: CorpusEntry) => readFileSync(join(corpusDirectory, entry.file), 'latin1');
const accepted = corpus.filter((entry) => entry.ack === 'AA');
const refused = corpus.filter((entry) => entry.ack !== 'AA');

/** The manifest's expectation in the parser's terms (status, dates as Date) or the stored record's. */
function parsedShape({ sud: _sud, effectiveAt, ...fields }: ExpectedResult) {
  return { ...fields, ...(effectiveAt ? { effectiveAt: new Date(effectiveAt) } : {}) };
}
function storedShape(expected: ExpectedResult) {
  const { status, ...fields } = parsedShape(expected);
  return { ...fields, ...(status ? { resultStatus: status } : {}), categories: expected.sud ? ['LABS', 'SUD'] : ['LABS'] };
}

const ackParts = (ack: string) => ({
  code: /\rMSA\|([A-Z]{2})\|/.exec(ack)?.[1],
  condition: /\rERR\|[^|]*\|[^|]*\|(\d+)\^/.exec(ack)?.[1],
});

it('holds at least 40 messages, good and bad, each described', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(40);
  expect(accepted.length).toBeGreaterThanOrEqual(20);
  expect(refused.length).toBeGreaterThanOrEqual(20);
  for (const entry of corpus) expect(entry.description).not.toBe('');
});

describe('readOru over the corpus', () => {
  it.each(accepted.map((entry) => [entry.file, entry] as const))('%s parses to what the manifest says', (_file, entry) => {
    const message = readOru(messageOf(entry));
    expect(message.controlId).toBe(entry.controlId);
    expect(message.results).toHaveLength(entry.results!.length);
    entry.results!.forEach((expected, index) => expect(message.results[index]).toMatchObject(parsedShape(expected)));
    for (const [index, order] of (entry.orders ?? []).entries()) {
      expect(message.orders[index]).toMatchObject({ ...order, ...(order.statusChangedAt ? { statusChangedAt: new Date(order.statusChangedAt as string) } : {}) });
    }
  });

  it.each(refused.map((entry) => [entry.file, entry] as const))('%s is refused with the ACK code and table 0357 condition of the manifest', (_file, entry) => {
    let problem: unknown;
    try {
      readOru(messageOf(entry));
    } catch (error) {
      problem = error;
    }
    expect(problem).toBeInstanceOf(Hl7Problem);
    expect(problem).toMatchObject({ ack: entry.ack, condition: entry.errorCode });
  });
});

describe('POST /ingest/hl7 replaying the corpus one message at a time', () => {
  let h: Harness;
  let world: World;
  let lab: string;
  let workers: { stop(): Promise<void> };

  beforeAll(async () => {
    h = await startHarness();
    world = await seedWorld(h.orm.em.fork());
    lab = await h.token(world.claims[Role.LAB]);
    // The lab's number for the first patient is known, so every accepted message is imported for them.
    const em = h.orm.em.fork();
    em.persist(new PatientIdentifier(em.getReference(Patient, world.patients[0].id), em.getReference(Organization, world.claims[Role.LAB].organizationId!), 'L-555', 'REGLAB'));
    await em.flush();
    workers = startTestWorkers(h);
  });
  afterAll(async () => {
    await workers.stop();
    await h.close();
  });

  it('answers each message with the ACK of the manifest, an ERR with its condition when refused, and never echoes PHI', async () => {
    for (const entry of corpus) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/ingest/hl7',
        headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${lab}` },
        payload: messageOf(entry),
      });
      const context = `${entry.file}: ${response.body}`;
      expect({ context, status: response.statusCode, ...ackParts(response.body) }).toEqual({
        context,
        status: entry.ack === 'AA' ? 200 : 400,
        code: entry.ack,
        condition: entry.errorCode === undefined ? undefined : String(entry.errorCode),
      });
      expect(response.body).not.toMatch(/Demo|Avery|19880412|Elm St|010-1234/);
    }
  });

  it('imports every accepted message, each result as the manifest says (value, text, comparator, status, SUD label, time and its source)', async () => {
    for (const entry of accepted) {
      const message = await until(
        async () => h.orm.em.fork().findOne(InboxMessage, { source: InboxSource.HL7V2, sourceMessageId: entry.controlId }),
        (found) => found !== null && found.state !== InboxState.RECEIVED,
      );
      expect({ file: entry.file, state: message?.state }).toEqual({ file: entry.file, state: InboxState.PROCESSED });
      const stored = await h.orm.em.fork().find(LabResult, { sourceRecordId: { $like: `${entry.controlId}/%` } });
      stored.sort((a, b) => Number(a.sourceRecordId!.split('/')[1]) - Number(b.sourceRecordId!.split('/')[1]));
      expect({ file: entry.file, count: stored.length }).toEqual({ file: entry.file, count: entry.results!.length });
      entry.results!.forEach((expected, index) => expect(stored[index]).toMatchObject(storedShape(expected)));
    }
  });

  it('answers the whole corpus resent in one parallel burst as it answered each the first time, storing nothing twice', async () => {
    const identified = { source: InboxSource.HL7V2, sourceMessageId: { $ne: null } };
    const identifiedBefore = await h.orm.em.fork().count(InboxMessage, identified);
    const resultsBefore = await h.orm.em.fork().count(LabResult, {});
    const responses = await Promise.all(
      corpus.map((entry) =>
        h.app.inject({
          method: 'POST',
          url: '/ingest/hl7',
          headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${lab}` },
          payload: messageOf(entry),
        }),
      ),
    );
    expect(responses.map((response, index) => [corpus[index].file, ackParts(response.body).code])).toEqual(corpus.map((entry) => [entry.file, entry.ack]));
    // Only a message without a control id (no MSH, empty MSH-10) cannot be recognised as a resend.
    expect(await h.orm.em.fork().count(InboxMessage, identified)).toBe(identifiedBefore);
    expect(await h.orm.em.fork().count(LabResult, {})).toBe(resultsBefore);
  });

  it('keeps every refused message as REJECTED with nothing imported from it', async () => {
    for (const entry of refused) {
      expect(await h.orm.em.fork().count(LabResult, { sourceRecordId: { $like: `${entry.controlId}%` } })).toBe(0);
      const kept = await h.orm.em.fork().find(InboxMessage, { raw: Buffer.from(messageOf(entry), 'latin1') });
      expect({ file: entry.file, states: [...new Set(kept.map((message) => message.state))] }).toEqual({ file: entry.file, states: [InboxState.REJECTED] });
    }
  });
});
