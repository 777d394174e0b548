import { InboxMessage, InboxSource, InboxState } from '../src/modules/ingest/inbox-message.entity';
import { headersToKeep, InboxService, reusedIdReason, type Admission } from '../src/modules/ingest/inbox.service';
import { readInboundText } from '../src/modules/ingest/inbound-text';
import { startHarness, type Harness } from './helpers/harness';

let h: Harness;
const inbox = new InboxService();

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const oru = ['MSH|^~\\&|LAB|REGIONAL|CAREBRIDGE|IOP|20261126120000||ORU^R01|MSG-0001|P|2.5.1', 'PID|1||12345^^^LAB||Doe^Jane'].join('\r');

function inbound(sourceMessageId: string | null, body: string | Buffer = oru, refusal: string | null = null): Admission {
  return {
    refusal,
    source: InboxSource.HL7V2,
    sourceOrganizationId: '00000000-0000-4000-8000-0000000000aa',
    sourceMessageId,
    contentType: 'x-application/hl7-v2+er7',
    headers: { 'content-type': 'x-application/hl7-v2+er7' },
    raw: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    charset: 'utf-8',
  };
}

it('stores the bytes exactly as received, committed before it returns', async () => {
  // Latin-1 bytes (é as 0xE9) are kept as they came, not re-encoded.
  const latin1 = Buffer.from(`${oru}\rNTE|1||Résultat`, 'latin1');
  const { message, kind } = await inbox.receive(h.orm.em.fork(), { ...inbound('MSG-0001', latin1), charset: 'iso-8859-1' });
  expect(kind).toBe('new');
  // Read back over a separate connection: it is committed, not just in a unit of work.
  const [row] = await h.orm.em.getConnection().execute<{ raw: Buffer; state: string }[]>('select raw, state from inbox_message where id = ?', [message.id]);
  expect(row.state).toBe('RECEIVED');
  expect(Buffer.compare(row.raw, latin1)).toBe(0);
  const stored = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message.id });
  expect(stored.body).toContain('Résultat');
});

it('keeps a resend of the same bytes under the same id once, returning the stored one', async () => {
  const first = await inbox.receive(h.orm.em.fork(), inbound('MSG-0002'));
  const again = await inbox.receive(h.orm.em.fork(), inbound('MSG-0002'));
  // Not stored again; still waiting for its import, so queued again.
  expect(again.kind).toBe('requeued');
  expect(again.message.id).toBe(first.message.id);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0002' })).toBe(1);
  const racing = await Promise.all([1, 2, 3].map(() => inbox.receive(h.orm.em.fork(), inbound('MSG-0003'))));
  expect(new Set(racing.map((result) => result.message.id)).size).toBe(1);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0003' })).toBe(1);
});

it('takes other content under an id only refused or failed as its correction, and under an accepted id as a conflict', async () => {
  const refused = await inbox.receive(h.orm.em.fork(), inbound('MSG-0006', `${oru}\rOBX|bad`, 'invalid'));
  expect(refused.message).toMatchObject({ state: InboxState.REJECTED, error: 'invalid' });
  const corrected = await inbox.receive(h.orm.em.fork(), inbound('MSG-0006', `${oru}\rOBX|good`));
  expect(corrected).toMatchObject({ kind: 'new', message: { state: InboxState.RECEIVED } });
  expect(corrected.message.id).not.toBe(refused.message.id);
  const conflicting = await inbox.receive(h.orm.em.fork(), inbound('MSG-0006', `${oru}\rOBX|other`));
  expect(conflicting).toMatchObject({ kind: 'new', message: { state: InboxState.REJECTED, error: reusedIdReason } });
});

it('decides different contents sent under one id at the same instant one at a time: only one is taken as first', async () => {
  const results = await Promise.all([1, 2, 3, 4].map((n) => inbox.receive(h.orm.em.fork(), inbound('MSG-0007', `${oru}\rOBX|${n}`))));
  expect(results.filter((result) => result.message.state === InboxState.RECEIVED)).toHaveLength(1);
  expect(results.filter((result) => result.message.error === reusedIdReason)).toHaveLength(3);
});

it('recognises a resend from a source with no organization, and one without an id of its own', async () => {
  const anonymous = { ...inbound('MSG-0005'), sourceOrganizationId: null };
  const results = await Promise.all([1, 2, 3].map(() => inbox.receive(h.orm.em.fork(), anonymous)));
  expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'MSG-0005' })).toBe(1);

  const withoutId = await Promise.all([1, 2].map(() => inbox.receive(h.orm.em.fork(), inbound(null))));
  expect(new Set(withoutId.map((result) => result.message.id)).size).toBe(1);
  await inbox.receive(h.orm.em.fork(), inbound(null, `${oru}\rOBX|1`));
  expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: null })).toBe(2);
});

describe('group commit: messages received at the same time share one transaction', () => {
  const sql = <T>(query: string, params: unknown[] = []) => h.orm.em.getConnection().execute<T[]>(query, params);
  /** The transactions that wrote these rows (rows written by one transaction share its xmin). */
  const transactionsOf = async (ids: string[]) => new Set((await sql<{ xmin: string }>('select xmin::text from inbox_message where id in (?)', [ids])).map((row) => row.xmin)).size;
  const importJobsOf = async (id: string) => (await sql<{ count: string }>(`select count(*) from outbox_message where payload->>'inboxMessageId' = ?`, [id]))[0].count;

  it('files a burst in one transaction, each message with its own import job committed with it', async () => {
    const burst = Array.from({ length: 40 }, (_, n) => inbound(`BURST-${n}`, `${oru}\rOBX|${n}`));
    const results = await Promise.all(burst.map((each) => inbox.receive(h.orm.em.fork(), each)));
    expect(results.every((result) => result.kind === 'new' && result.message.state === InboxState.RECEIVED)).toBe(true);
    expect(await transactionsOf(results.map((result) => result.message.id))).toBe(1);
    for (const result of results) expect(await importJobsOf(result.message.id)).toBe('1');
  });

  it('decides the same id twice in one batch as if they came one after the other', async () => {
    const results = await Promise.all(
      [
        inbound('SAME-BATCH-1'),
        inbound('SAME-BATCH-1'), // the same bytes again: the first one, not a second row
        inbound('SAME-BATCH-1', `${oru}\rOBX|other`), // other content under the id just accepted
        inbound('SAME-BATCH-2', `${oru}\rOBX|bad`, 'invalid'),
        inbound('SAME-BATCH-2', `${oru}\rOBX|good`), // the correction of the refused one
      ].map((each) => inbox.receive(h.orm.em.fork(), each)),
    );
    expect(results.map((result) => [result.kind, result.message.state, result.message.error])).toEqual([
      ['new', InboxState.RECEIVED, null],
      ['requeued', InboxState.RECEIVED, null],
      ['new', InboxState.REJECTED, reusedIdReason],
      ['new', InboxState.REJECTED, 'invalid'],
      ['new', InboxState.RECEIVED, null],
    ]);
    expect(results[1].message.id).toBe(results[0].message.id);
    expect(await transactionsOf(results.map((result) => result.message.id))).toBe(1);
    expect(await h.orm.em.fork().count(InboxMessage, { sourceMessageId: 'SAME-BATCH-1' })).toBe(2);
    // One import job for the message sent twice; none for the refused and the conflicting one.
    expect(await Promise.all(results.map((result) => importJobsOf(result.message.id)))).toEqual(['1', '1', '0', '0', '1']);
  });

  it('queues a message still waiting or failed again when the same bytes come again, and nothing else', async () => {
    const { message } = await inbox.receive(h.orm.em.fork(), inbound('RESEND-1'));
    await h.orm.em.fork().nativeUpdate(InboxMessage, { id: message.id }, { state: InboxState.FAILED, error: 'import failed' });
    const resent = await inbox.receive(h.orm.em.fork(), inbound('RESEND-1'));
    expect(resent).toMatchObject({ kind: 'requeued', message: { id: message.id, state: InboxState.RECEIVED, error: null } });
    expect(await importJobsOf(message.id)).toBe('2');
    await h.orm.em.fork().nativeUpdate(InboxMessage, { id: message.id }, { state: InboxState.PROCESSED });
    expect(await inbox.receive(h.orm.em.fork(), inbound('RESEND-1'))).toMatchObject({ kind: 'duplicate', message: { state: InboxState.PROCESSED } });
    expect(await importJobsOf(message.id)).toBe('2');
  });

  it('neither fails nor acknowledges the others of a batch when the database refuses one of them', async () => {
    await sql(`create function refuse_poison() returns trigger language plpgsql as $$
      begin if new.source_message_id like 'POISON-%' then raise exception 'refused' using errcode = '22023'; end if; return new; end $$`);
    await sql('create trigger refuse_poison before insert on inbox_message for each row execute function refuse_poison()');
    try {
      const results = await Promise.allSettled(
        ['GOOD-1', 'POISON-1', 'GOOD-2'].map((id) => inbox.receive(h.orm.em.fork(), inbound(id, `${oru}\r${id}`))),
      );
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const stored = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: { $in: ['GOOD-1', 'POISON-1', 'GOOD-2'] } }, { orderBy: { sourceMessageId: 'asc' } });
      expect(stored.map((message) => message.sourceMessageId)).toEqual(['GOOD-1', 'GOOD-2']);
      for (const message of stored) expect(await importJobsOf(message.id)).toBe('1');
    } finally {
      await sql('drop trigger refuse_poison on inbox_message; drop function refuse_poison()');
    }
  });
});

it('moves through its processing states explicitly and refuses to leave a final one', async () => {
  const message = new InboxMessage(inbound('MSG-0004'));
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
