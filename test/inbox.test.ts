import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { headersToKeep, InboxService, type EarlierUnderSameId } from '../src/modules/ingest/inbox.service';
import { readInboundText } from '../src/modules/ingest/inbound-text';
import { startHarness, type Harness } from './helpers/harness';

let h: Harness;
const inbox = new InboxService();

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const oru = ['MSH|^~\\&|LAB|REGIONAL|CAREBRIDGE|IOP|20261126120000||ORU^R01|MSG-0001|P|2.5.1', 'PID|1||12345^^^LAB||Doe^Jane'].join('\r');

function inbound(sourceMessageId: string | null, body: string | Buffer = oru) {
  return {
    source: InboxSource.HL7V2,
    sourceOrganizationId: '00000000-0000-4000-8000-0000000000aa',
    sourceMessageId,
    contentType: 'x-application/hl7-v2+er7',
    headers: { 'content-type': 'x-application/hl7-v2+er7' },
    raw: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    charset: 'utf-8',
  };
}

const nothing = () => undefined;

it('stores the bytes exactly as received, committed before it returns', async () => {
  // Latin-1 bytes (é as 0xE9) are kept as they came, not re-encoded.
  const latin1 = Buffer.from(`${oru}\rNTE|1||Résultat`, 'latin1');
  const { message, kind } = await inbox.receive(h.orm.em.fork(), { ...inbound('MSG-0001', latin1), charset: 'iso-8859-1' }, nothing);
  expect(kind).toBe('new');
  // Read back over a separate connection: it is committed, not just in a unit of work.
  const [row] = await h.orm.em.getConnection().execute<{ raw: Buffer; state: string }[]>('select raw, state from inbox_message where id = ?', [message.id]);
  expect(row.state).toBe('RECEIVED');
  expect(Buffer.compare(row.raw, latin1)).toBe(0);
  const stored = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id });
  expect(stored.body).toContain('Résultat');
});

it('keeps a resend of the same bytes under the same id once, returning the stored one', async () => {
  const first = await inbox.receive(h.orm.em.fork(), inbound('MSG-0002'), nothing);
  const again = await inbox.receive(h.orm.em.fork(), inbound('MSG-0002'), nothing);
  expect(again.kind).toBe('duplicate');
  expect(again.message.id).toBe(first.message.id);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0002' })).toBe(1);
  const racing = await Promise.all([1, 2, 3].map(() => inbox.receive(h.orm.em.fork(), inbound('MSG-0003'), nothing)));
  expect(new Set(racing.map((result) => result.message.id)).size).toBe(1);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0003' })).toBe(1);
});

it('tells whether other content under the same id was accepted (a conflict) or only refused or failed (a correction)', async () => {
  const seen: EarlierUnderSameId[] = [];
  const record = (_em: unknown, _message: InboxMessage, earlier: EarlierUnderSameId) => void seen.push(earlier);
  const refused = await inbox.receive(h.orm.em.fork(), inbound('MSG-0006', `${oru}\rOBX|bad`), (_em, message) => message.markRejected('invalid'));
  const corrected = await inbox.receive(h.orm.em.fork(), inbound('MSG-0006', `${oru}\rOBX|good`), record);
  expect(corrected.kind).toBe('new');
  expect(corrected.message.id).not.toBe(refused.message.id);
  const conflicting = await inbox.receive(h.orm.em.fork(), inbound('MSG-0006', `${oru}\rOBX|other`), record);
  expect(conflicting.kind).toBe('new');
  expect(seen).toEqual([{ accepted: false }, { accepted: true }]);
});

it('decides different contents sent under one id at the same instant one at a time: only one is taken as first', async () => {
  const seen: boolean[] = [];
  await Promise.all(
    [1, 2, 3, 4].map((n) => inbox.receive(h.orm.em.fork(), inbound('MSG-0007', `${oru}\rOBX|${n}`), (_em, _message, earlier) => void seen.push(earlier.accepted))),
  );
  expect(seen.filter((accepted) => !accepted)).toHaveLength(1);
});

it('recognises a resend from a source with no organization, and one without an id of its own', async () => {
  const anonymous = { ...inbound('MSG-0005'), sourceOrganizationId: null };
  const results = await Promise.all([1, 2, 3].map(() => inbox.receive(h.orm.em.fork(), anonymous, nothing)));
  expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0005' })).toBe(1);

  const withoutId = await Promise.all([1, 2].map(() => inbox.receive(h.orm.em.fork(), inbound(null), nothing)));
  expect(new Set(withoutId.map((result) => result.message.id)).size).toBe(1);
  await inbox.receive(h.orm.em.fork(), inbound(null, `${oru}\rOBX|1`), nothing);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: null })).toBe(2);
});

it('moves through its processing states explicitly and refuses to leave a final one', async () => {
  const { message } = await inbox.receive(h.orm.em.fork(), inbound('MSG-0004'), nothing);
  message.markFailed('patient not matched');
  expect(message).toMatchObject({ state: InboxState.FAILED, error: 'patient not matched' });
  message.markForReprocessing();
  expect(message).toMatchObject({ state: InboxState.RECEIVED, error: null });
  message.markProcessed();
  expect(message).toMatchObject({ state: InboxState.PROCESSED, error: null });
  expect(() => message.markRejected('late')).toThrow('An inbox message that is PROCESSED cannot become REJECTED');
  expect(() => message.markForReprocessing()).toThrow('An inbox message that is PROCESSED cannot become RECEIVED');
  expect(message.state).toBe(InboxState.PROCESSED);
});

describe('reading inbound bytes', () => {
  it('refuses bytes invalid in the declared character set, and control characters such as NUL, without quoting them', () => {
    expect(readInboundText(Buffer.from([0x4d, 0x53, 0x48, 0xff, 0xfe]), 'utf-8')).toEqual({ problem: 'The bytes are not valid utf-8' });
    expect(readInboundText(Buffer.from('MSH|Doe\u0000Jane'), 'utf-8')).toEqual({ problem: expect.not.stringContaining('Doe') as string });
    expect('problem' in readInboundText(Buffer.from('a\u0001b'), 'utf-8')).toBe(true);
    expect(readInboundText(Buffer.from('R\xe9sum\xe9\r\n\t', 'latin1'), 'iso-8859-1')).toEqual({ text: 'Résumé\r\n\t' });
  });
});

it('keeps only harmless headers: never credentials or cookies', () => {
  expect(
    headersToKeep({ 'content-type': 'application/fhir+json', authorization: 'Bearer secret', cookie: 'a=b', 'x-request-id': 'r1' }),
  ).toEqual({ 'content-type': 'application/fhir+json', 'x-request-id': 'r1' });
});
