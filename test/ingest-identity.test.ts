import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { LabResult } from '../src/modules/labs/lab-result.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { sendFhirBundle } from './helpers/ingest';
import { startTestWorkers, until } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

/**
 * What identifies an inbound message (source, the sender's id, the hash of its bytes) and how its
 * bytes are read (FHIR JSON as UTF-8; HL7 by MSH-18), over the real routes and workers.
 */
let h: Harness;
let world: World;
let pcp: string;
let lab: string;
let workers: { stop(): Promise<void> };

const fhirFixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'fhir', name), 'utf8');
const hl7Fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'hl7', name), 'latin1');

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pcp = await h.token(world.claims[Role.PCP]);
  lab = await h.token(world.claims[Role.LAB]);
  await h.orm.em.fork().nativeUpdate(Patient, { id: world.patients[0].id }, { phone: '555-010-1234' });
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

function post(url: string, contentType: string, token: string, payload: string | Buffer) {
  return h.app.inject({ method: 'POST', url, headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, payload });
}
/** Posts a Bundle and waits for its import; the answer is the POST's. */
const sendFhir = async (payload: string | Buffer) => (await sendFhirBundle(h, pcp, payload)).response;
const sendHl7 = (payload: string | Buffer) => post('/ingest/hl7', 'x-application/hl7-v2+er7', lab, payload);
const ackCode = (ack: string) => /\rMSA\|([A-Z]{2})\|/.exec(ack)?.[1];
const phi = ['Avery', 'Demo', '1988-04-12', '19880412', 'Elm St', '010-1234'];

function expectNoPhi(...texts: string[]) {
  for (const text of [...texts, ...h.logLines]) for (const value of phi) expect(text).not.toContain(value);
}

describe('FHIR Bundle identity', () => {
  const bundle = (id: string) => JSON.parse(fhirFixture('pcp-bundle.json').replace('maple-export-0001', id)) as { entry: { resource: Record<string, unknown> }[] };

  it('processes a corrected resend of a refused Bundle under the same id, and validates before answering a reused id', async () => {
    const broken = bundle('bundle-fix-1');
    broken.entry[0].resource.birthDate = 'not a date';
    const refused = await sendFhir(JSON.stringify(broken));
    expect(refused.statusCode).toBe(400);

    const corrected = await sendFhirBundle(h, pcp, JSON.stringify(bundle('bundle-fix-1')));
    expect(corrected.response.statusCode).toBe(202);
    expect(corrected.message?.state).toBe(InboxState.PROCESSED);
    expect(await h.orm.em.fork().count(InboxMessage, { source: InboxSource.FHIR, sourceMessageId: 'bundle-fix-1' })).toBe(2);

    // The id is now taken by an accepted Bundle: other valid content is a conflict…
    const other = bundle('bundle-fix-1');
    (other.entry[0].resource as { gender?: string }).gender = 'other';
    expect((await sendFhir(JSON.stringify(other))).statusCode).toBe(409);
    // …but invalid content is answered with its validation errors, not hidden behind the conflict.
    const invalid = await sendFhir(JSON.stringify(broken));
    expect(invalid.statusCode).toBe(400);
    expect(JSON.stringify(invalid.json())).toContain('birthDate');
    // And the identical Bundle is still a no-op.
    const before = await h.orm.em.fork().count(ClinicalRecord, {});
    expect((await sendFhir(JSON.stringify(bundle('bundle-fix-1')))).statusCode).toBe(200);
    expect(await h.orm.em.fork().count(ClinicalRecord, {})).toBe(before);
  });

  it('treats a Bundle without any id, sent twice byte for byte, as one message', async () => {
    const anonymous = bundle('x') as unknown as Record<string, unknown>;
    delete anonymous.id;
    const text = JSON.stringify(anonymous);
    await sendFhir(text);
    await sendFhir(text);
    expect(await h.orm.em.fork().count(InboxMessage, { source: InboxSource.FHIR, sourceMessageId: null })).toBe(1);
  });

  it('refuses bytes that are not UTF-8 and strings carrying control characters with a 400 that quotes nothing', async () => {
    const latin1 = Buffer.from(JSON.stringify(bundle('bundle-latin1')).replace('Avery', 'Av\u00e9ry'), 'latin1');
    const notUtf8 = await sendFhir(latin1);
    expect(notUtf8.statusCode).toBe(400);
    expect(notUtf8.json().resourceType).toBe('OperationOutcome');

    const withNul = JSON.stringify(bundle('bundle-nul')).replace('"Avery"', '"Av\\u0000ery"');
    const nul = await sendFhir(withNul);
    expect(nul.statusCode).toBe(400);
    expect(JSON.stringify(nul.json())).toContain('Bundle.entry[0].resource.name[0].given[0]');
    expectNoPhi(notUtf8.body, nul.body);
    // The raw bytes are kept for review as they came.
    const kept = await h.orm.em.fork().findOneOrFail(InboxMessage, { source: InboxSource.FHIR, sourceMessageId: 'bundle-nul' });
    expect(kept).toMatchObject({ state: InboxState.REJECTED });
    expect(kept.raw.toString('utf8')).toBe(withNul);
  });
});

describe('HL7 message bytes and identity', () => {
  const message = (controlId: string) => hl7Fixture('lithium-preliminary.hl7').replace('LAB-0001', controlId);
  const imported = (controlId: string) =>
    until(
      () => h.orm.em.fork().findOne(InboxMessage, { source: InboxSource.HL7V2, sourceMessageId: controlId, state: { $ne: InboxState.REJECTED } }),
      (stored) => stored !== null && stored.state !== InboxState.RECEIVED,
    );

  it('answers a NUL byte, a UTF-16 body and bytes invalid in the declared set with a 4xx AE/AR that quotes nothing, keeping the bytes', async () => {
    const nul = Buffer.from(message('LAB-NUL').replace('Avery', 'Av\u0000ery'), 'latin1');
    const utf16 = Buffer.from(`\ufeff${message('LAB-UTF16')}`, 'utf16le');
    const badUtf8 = Buffer.concat([Buffer.from(message('LAB-BADUTF8').replace('|2.5.1', '|2.5.1||||||UNICODE UTF-8')), Buffer.from([0xc3, 0x28])]);
    const unsupported = Buffer.from(message('LAB-UTF32').replace('|2.5.1', '|2.5.1||||||UNICODE UTF-32'));
    for (const body of [nul, utf16, badUtf8, unsupported]) {
      const response = await sendHl7(body);
      expect(response.statusCode).toBe(400);
      expect(['AE', 'AR']).toContain(ackCode(response.body));
      expectNoPhi(response.body);
    }
    const kept = await h.orm.em.fork().findOneOrFail(InboxMessage, { sourceMessageId: 'LAB-NUL' });
    expect(kept.state).toBe(InboxState.REJECTED);
    expect(Buffer.compare(kept.raw, nul)).toBe(0);
    expect(await h.orm.em.fork().count(LabResult, { sourceRecordId: { $like: 'LAB-NUL%' } })).toBe(0);
  });

  it('reads a message in the character set MSH-18 declares', async () => {
    const latin1 = Buffer.from(
      message('LAB-8859').replace('|2.5.1', '|2.5.1||||||8859/1').replace('Preliminary \\T\\ to be verified', 'Hémolyse légère'),
      'latin1',
    );
    const response = await sendHl7(latin1);
    expect(ackCode(response.body)).toBe('AA');
    expect((await imported('LAB-8859'))?.state).toBe(InboxState.PROCESSED);
    const [result] = await h.orm.em.fork().find(LabResult, { sourceRecordId: 'LAB-8859/1' });
    expect(result.comment).toBe('Hémolyse légère');
  });

  it('imports a corrected resend of a refused message under the same control id; other content under an accepted id is AE', async () => {
    const refused = await sendHl7(message('LAB-FIX').replace('|N|||P|', '|N|||Q|'));
    expect(ackCode(refused.body)).toBe('AE');
    const corrected = await sendHl7(message('LAB-FIX'));
    expect(ackCode(corrected.body)).toBe('AA');
    expect((await imported('LAB-FIX'))?.state).toBe(InboxState.PROCESSED);
    const conflicting = await sendHl7(message('LAB-FIX').replace('|0.9|', '|1.9|'));
    expect(ackCode(conflicting.body)).toBe('AE');
    expect(conflicting.body).toContain('already used');
    expect(await h.orm.em.fork().count(LabResult, { sourceRecordId: { $like: 'LAB-FIX/%' } })).toBe(1);
  });

  it('queues a failed message again when the lab resends it', async () => {
    expect(ackCode((await sendHl7(message('LAB-RETRY'))).body)).toBe('AA');
    const first = await imported('LAB-RETRY');
    // As if every attempt had failed: the records it brought are gone and the message is FAILED.
    await h.orm.em.fork().nativeDelete(ClinicalRecord, { inboxMessageId: first!.id });
    await h.orm.em.fork().nativeUpdate(InboxMessage, { id: first!.id }, { state: InboxState.FAILED, error: 'import failed (DriverException)' });
    expect(ackCode((await sendHl7(message('LAB-RETRY'))).body)).toBe('AA');
    const again = await imported('LAB-RETRY');
    expect(again?.state).toBe(InboxState.PROCESSED);
    expect(await h.orm.em.fork().count(LabResult, { inboxMessageId: first!.id })).toBe(1);
  });
});

describe('answers in the sender\'s own format whatever goes wrong', () => {
  const bundleText = fhirFixture('pcp-bundle.json');
  const big = Buffer.alloc(1_100_000, 0x20);

  it('refuses a body too large or of another type with an OperationOutcome or an AR ACK', async () => {
    const tooLarge = await post('/ingest/fhir', 'application/fhir+json', pcp, Buffer.concat([Buffer.from(bundleText.slice(0, -1)), big, Buffer.from('}')]));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-long' }] });
    const xml = await post('/ingest/fhir', 'application/fhir+xml', pcp, '<Bundle/>');
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });

    const hl7TooLarge = await sendHl7(Buffer.concat([Buffer.from(hl7Fixture('lithium-preliminary.hl7')), big]));
    expect(hl7TooLarge.statusCode).toBe(413);
    expect(ackCode(hl7TooLarge.body)).toBe('AR');
    const hl7Json = await post('/ingest/hl7', 'application/xml', lab, '<hl7/>');
    expect(hl7Json.statusCode).toBe(415);
    expect(ackCode(hl7Json.body)).toBe('AR');
  });

  it('answers a message it could not store with 503 (AE for a lab), so it is sent again, and keeps nothing half-written', async () => {
    const connection = h.orm.em.getConnection();
    await connection.execute(`create function refuse_inbox() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await connection.execute('create trigger refuse_inbox before insert on inbox_message for each row execute function refuse_inbox()');
    try {
      const before = await h.orm.em.fork().count(InboxMessage, {});
      const fhir = await post('/ingest/fhir', 'application/fhir+json', pcp, bundleText.replace('maple-export-0001', 'bundle-outage'));
      expect(fhir.statusCode).toBe(503);
      expect(fhir.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
      const hl7 = await sendHl7(hl7Fixture('lithium-preliminary.hl7').replace('LAB-0001', 'LAB-OUTAGE'));
      expect(hl7.statusCode).toBe(503);
      expect(ackCode(hl7.body)).toBe('AE');
      expect(`${fhir.body}${hl7.body}`).not.toContain('disk full');
      expectNoPhi(fhir.body, hl7.body);
      expect(await h.orm.em.fork().count(InboxMessage, {})).toBe(before);
    } finally {
      await connection.execute('drop trigger refuse_inbox on inbox_message');
      await connection.execute('drop function refuse_inbox');
    }
  });
});
