import fc from 'fast-check';
import { Role } from '../src/auth/roles';
import { OutboxMessage } from '../src/jobs/outbox-message.entity';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { LabImportService } from '../src/modules/labs/lab-import.service';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

/**
 * Valid ORU^R01 messages mutated the way transports and senders damage them: whatever arrives,
 * the route answers a parseable ACK (never a 5xx), a message answered AA can be imported, a refused
 * one leaves nothing but its REJECTED copy, and no log line or ACK holds the patient's name, birth
 * date or a result value.
 */
const phi = { family: 'Quillfeather', given: 'Zebulon', birthDate: '19770707', value: '4.321', text: 'Xanthochromic' };

function validMessage(controlId: string): string {
  return [
    `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201083000-0500||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||Q-1^^^REGLAB^MR||${phi.family}^${phi.given}||${phi.birthDate}|M`,
    'ORC|RE|PQ1|FQ1',
    'OBR|1|PQ1|FQ1|14334-7^Lithium^LN|||20261130080000',
    'NTE|1|L|Order note',
    `OBX|1|NM|14334-7^Lithium [Moles/volume] in Serum or Plasma^LN||${phi.value}|mmol/L|0.6-1.2|HH|||F|||20261130080000`,
    `OBX|2|ST|5778-6^Color^LN||${phi.text} \\H\\pale\\N\\||||||F`,
    'OBX|3|SN|1920-8^AST^LN||<^10|U/L|10-40||||F',
    'OBX|4|CWE|94500-6^SARS-CoV-2 RNA^LN||10828004^Positive^SCT||||||F',
  ].join('\r');
}

type Mutation = (text: string) => string;
const characters = fc.constantFrom('|', '^', '~', '\\', '&', '\r', '\n', '#', 'é', '€', '😀', '\u0000', '\uFFFD', ' ', 'X', '9', '.');
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at) => (text: string) => text.slice(0, at % text.length) + text.slice((at % text.length) + 1)),
  fc.nat().map((at) => (text: string) => text.slice(0, (at % text.length) + 1) + text.slice(at % text.length)),
  fc.tuple(fc.nat(), characters).map(([at, character]) => (text: string) => text.slice(0, at % text.length) + character + text.slice(at % text.length)),
  fc.nat().map((at) => (text: string) => text.slice(0, at % text.length)),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (text: string) => {
    const segments = text.split('\r');
    [segments[a % segments.length], segments[b % segments.length]] = [segments[b % segments.length], segments[a % segments.length]];
    return segments.join('\r');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 100, max: 120_000 })).map(([at, length]) => (text: string) => {
    const fields = text.split('|');
    fields[at % fields.length] = 'L'.repeat(length);
    return fields.join('|');
  }),
  fc.nat().map((at) => (text: string) => {
    const segments = text.split('\r');
    segments.splice(at % segments.length, 1);
    return segments.join('\r');
  }),
);

let h: Harness;
let world: World;
let lab: string;
const importer = new LabImportService();

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  lab = await h.token(world.claims[Role.LAB]);
});
afterAll(() => h.close());

it('answers mutated messages with an AA, AE or AR ACK, imports what it accepted and keeps nothing else', async () => {
  let sequence = 0;
  const answered = { AA: 0, AE: 0, AR: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
      const controlId = `PROP-${++sequence}`;
      const body = mutations.reduce((text, mutate) => mutate(text), validMessage(controlId));
      const before = await h.orm.em.fork().count(InboxMessage, { source: InboxSource.HL7V2 });
      const outboxBefore = await h.orm.em.fork().count(OutboxMessage, {});

      const response = await h.app.inject({
        method: 'POST',
        url: '/ingest/hl7',
        headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${lab}` },
        payload: body,
      });
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).toMatch(/^MSH\|\^~\\&\|[^\r]*\rMSA\|(AA|AE|AR)\|/);
      const code = /\rMSA\|(AA|AE|AR)\|/.exec(response.body)![1] as keyof typeof answered;
      answered[code]++;
      for (const value of Object.values(phi)) expect(response.body).not.toContain(value);

      const after = await h.orm.em.fork().find(InboxMessage, { source: InboxSource.HL7V2 }, { orderBy: { receivedAt: 'desc' } });
      expect(after.length - before).toBeLessThanOrEqual(1);
      const stored = after.length > before ? after[0] : null;
      if (code === 'AA') {
        expect(response.statusCode).toBe(200);
        // Answered AA: the import runs to its end, it never fails on what was acknowledged.
        if (stored) await expect(importer.import(h.orm.em.fork(), stored.id)).resolves.toMatchObject({ status: expect.stringMatching(/PROCESSED|HELD/) });
      } else {
        expect(response.statusCode).toBe(400);
        expect(await h.orm.em.fork().count(OutboxMessage, {})).toBe(outboxBefore);
        if (stored) expect(stored.state).toBe(InboxState.REJECTED);
      }
    }),
    { numRuns: 80, seed: 20261201 },
  );
  // The mutations reach both sides: some messages stay acceptable, others are refused.
  expect(answered.AA).toBeGreaterThan(0);
  expect(answered.AE + answered.AR).toBeGreaterThan(0);
  const logs = h.logLines.join('\n');
  for (const value of Object.values(phi)) expect(logs).not.toContain(value);
});
