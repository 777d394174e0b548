import { InboxMessage, InboxSource, InboxState } from '../src/modules/inbox/inbox-message.entity';
import { headersToKeep, InboxService } from '../src/modules/inbox/inbox.service';
import { startHarness, type Harness } from './helpers/harness';

let h: Harness;
const inbox = new InboxService();

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const oru = ['MSH|^~\\&|LAB|REGIONAL|CAREBRIDGE|IOP|20261126120000||ORU^R01|MSG-0001|P|2.5.1', 'PID|1||12345^^^LAB||Doe^Jane'].join('\r');

function inbound(sourceMessageId: string | null, body = oru) {
  return {
    source: InboxSource.HL7V2,
    sourceOrganizationId: '00000000-0000-4000-8000-0000000000aa',
    sourceMessageId,
    contentType: 'x-application/hl7-v2+er7',
    headers: { 'content-type': 'x-application/hl7-v2+er7' },
    body,
  };
}

it('stores the message exactly as received, committed before it returns', async () => {
  const { message, duplicate } = await inbox.receive(h.orm.em.fork(), inbound('MSG-0001'));
  expect(duplicate).toBe(false);
  // Read back over a separate connection: it is committed, not just in a unit of work.
  const [row] = await h.orm.em.getConnection().execute<{ body: string; state: string }[]>(
    'select body, state from inbox_message where id = ?',
    [message.id],
  );
  expect(row).toEqual({ body: oru, state: 'RECEIVED' });
});

it('keeps a resent message (same source and message id) once, returning the stored one', async () => {
  const first = await inbox.receive(h.orm.em.fork(), inbound('MSG-0002'));
  const again = await inbox.receive(h.orm.em.fork(), inbound('MSG-0002', `${oru}\rOBX|1`));
  expect(again).toMatchObject({ duplicate: true });
  expect(again.message.id).toBe(first.message.id);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0002' })).toBe(1);
  const racing = await Promise.all([1, 2, 3].map(() => inbox.receive(h.orm.em.fork(), inbound('MSG-0003'))));
  expect(new Set(racing.map((result) => result.message.id)).size).toBe(1);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0003' })).toBe(1);
});

it('recognises a resend from a source with no organization', async () => {
  const anonymous = { ...inbound('MSG-0005'), sourceOrganizationId: null };
  const results = await Promise.all([1, 2, 3].map(() => inbox.receive(h.orm.em.fork(), anonymous)));
  expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0005' })).toBe(1);
});

it('keeps every message without a source id, even identical ones', async () => {
  await inbox.receive(h.orm.em.fork(), inbound(null));
  await inbox.receive(h.orm.em.fork(), inbound(null));
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: null })).toBe(2);
});

it('moves through its processing states explicitly and refuses to leave a final one', async () => {
  const { message } = await inbox.receive(h.orm.em.fork(), inbound('MSG-0004'));
  message.markFailed('patient not matched');
  expect(message).toMatchObject({ state: InboxState.FAILED, error: 'patient not matched' });
  message.markProcessed();
  expect(message).toMatchObject({ state: InboxState.PROCESSED, error: null });
  expect(() => message.markRejected('late')).toThrow('An inbox message that is PROCESSED cannot become REJECTED');
  expect(message.state).toBe(InboxState.PROCESSED);
});

it('keeps only harmless headers: never credentials or cookies', () => {
  expect(
    headersToKeep({ 'content-type': 'application/fhir+json', authorization: 'Bearer secret', cookie: 'a=b', 'x-request-id': 'r1' }),
  ).toEqual({ 'content-type': 'application/fhir+json', 'x-request-id': 'r1' });
});
