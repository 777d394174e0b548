import { randomUUID } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { Batcher, togetherOrAlone } from '../../db/batcher';
import { isStorageOutage } from '../../db/storage-outage';
import type { JobName, QueueName } from '../../jobs/queues';
import type { ImportNote } from './inbound-format';
import { contentHashOf, InboxState, type InboundMessage } from './inbox-message.entity';

/** Headers worth keeping with a message; credentials and cookies never are. */
const keptHeaders = ['content-type', 'content-length', 'user-agent', 'x-request-id', 'x-forwarded-for', 'date'];

export function headersToKeep(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of keptHeaders) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

/** A message as the inbox filed it: what the sender is answered from (never its content). */
export interface FiledMessage {
  id: string;
  state: InboxState;
  error: string | null;
  notes: ImportNote[] | null;
  /** The character set its bytes are read in. */
  charset: string;
}

/** An inbound message and its format's verdict on it. */
export interface Admission extends InboundMessage {
  /** Why its format cannot import it (it is filed REJECTED with this reason), or null. */
  refusal: string | null;
}

export type Reception =
  /** Filed now: queued for import, or REJECTED (refused by its format, or under an id already accepted with other content). */
  | { kind: 'new'; message: FiledMessage }
  /** The same bytes were received before under the same id and dealt with: nothing changed. */
  | { kind: 'duplicate'; message: FiledMessage }
  /** The same bytes were received before and are still waiting or failed: queued for import again. */
  | { kind: 'requeued'; message: FiledMessage };

/** The reason a message is filed REJECTED when its id was already given to an accepted message with other content. */
export const reusedIdReason = 'The message id was already used for a different message';

const importJob: { queue: QueueName; name: JobName<'inbound-messages'> } = { queue: 'inbound-messages', name: 'message.received' };

interface Pending {
  admission: Admission;
  contentHash: string;
  /**
   * What its identity is decided under, one at a time across every API process (an advisory
   * lock): the sender's id, or the bytes when it has none.
   */
  identity: string;
}

interface Filed extends FiledMessage {
  contentHash: string;
  /** Its import job is in this transaction already. */
  queued: boolean;
}

function identityOf(admission: Admission, contentHash: string): string {
  const sender = `${admission.source}|${admission.sourceOrganizationId ?? ''}`;
  // The key API processes before group commit locked, so that both kinds decide together during a rolling deploy.
  return admission.sourceMessageId === null ? `inbox-bytes|${sender}|${contentHash}` : `inbox|${sender}|${admission.sourceMessageId}`;
}

const filedColumns = 'm.id, m.state, m.error, m.notes, m.charset, m.content_hash as "contentHash"';

/**
 * The messages filed earlier under the identities of `batch`. One query per shape of identity,
 * each matched on the identity's unique index (`is null` where a part is missing; `=` never
 * matches a null).
 */
async function filedEarlier(trx: Knex.Transaction, batch: Pending[]): Promise<Map<string, Filed[]>> {
  const byShape = new Map<string, Pending[]>();
  for (const pending of batch) {
    const shape = `${pending.admission.sourceOrganizationId === null ? 'no-org' : 'org'}|${pending.admission.sourceMessageId === null ? 'no-id' : 'id'}`;
    byShape.set(shape, [...(byShape.get(shape) ?? []), pending]);
  }
  const filed = new Map<string, Filed[]>();
  for (const [shape, members] of byShape) {
    const [organization, messageId] = shape.split('|');
    const keys = members.map(({ admission, contentHash, identity }) => ({
      identity,
      source: admission.source,
      organization: admission.sourceOrganizationId,
      message_id: admission.sourceMessageId,
      content_hash: contentHash,
    }));
    const { rows } = await trx.raw<{ rows: (Filed & { identity: string })[] }>(
      `select distinct on (m.id) k.identity, ${filedColumns}
       from jsonb_to_recordset(?::jsonb) as k(identity text, source text, organization uuid, message_id text, content_hash text)
       join inbox_message m on m.source = k.source
        and ${organization === 'org' ? 'm.source_organization_id = k.organization' : 'm.source_organization_id is null'}
        and ${messageId === 'id' ? 'm.source_message_id = k.message_id' : 'm.source_message_id is null and m.content_hash = k.content_hash'}`,
      [JSON.stringify(keys)],
    );
    for (const { identity, ...row } of rows) filed.set(identity, [...(filed.get(identity) ?? []), { ...row, queued: false }]);
  }
  return filed;
}

/** Files new messages, with an import job for each one waiting, in one statement. */
async function fileNew(trx: Knex.Transaction, messages: { filed: Filed; admission: Admission }[]): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map(({ filed, admission }) => ({
    id: filed.id,
    source: admission.source,
    organization: admission.sourceOrganizationId,
    message_id: admission.sourceMessageId,
    content_type: admission.contentType,
    headers: admission.headers,
    raw: admission.raw.toString('base64'),
    charset: admission.charset,
    content_hash: filed.contentHash,
    state: filed.state,
    error: filed.error,
  }));
  await trx.raw(
    `with filed as (
       insert into inbox_message (id, source, source_organization_id, source_message_id, content_type, headers, raw, charset, content_hash, state, error, processed_at)
       select r.id, r.source, r.organization, r.message_id, r.content_type, r.headers, decode(r.raw, 'base64'), r.charset, r.content_hash, r.state, r.error,
              case when r.state = ? then null else now() end
       from jsonb_to_recordset(?::jsonb) as r(id uuid, source text, organization uuid, message_id text, content_type text, headers jsonb, raw text, charset text, content_hash text, state text, error text)
       returning id, state
     )
     insert into outbox_message (job_key, queue, job_name, payload)
     select gen_random_uuid(), ?, ?, jsonb_build_object('inboxMessageId', filed.id) from filed where filed.state = ?`,
    [InboxState.RECEIVED, JSON.stringify(rows), importJob.queue, importJob.name, InboxState.RECEIVED],
  );
}

/**
 * Puts messages received before (still waiting, or failed) back in the queue. A message the worker
 * finished meanwhile is left as it is; returns the ids queued.
 */
async function requeue(trx: Knex.Transaction, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await trx.raw<{ rows: { id: string }[] }>(
    `with requeued as (
       update inbox_message set state = ?, error = null, processed_at = null
       where id in (select value::uuid from jsonb_array_elements_text(?::jsonb)) and state in (?, ?)
       returning id
     ), queued as (
       insert into outbox_message (job_key, queue, job_name, payload)
       select gen_random_uuid(), ?, ?, jsonb_build_object('inboxMessageId', requeued.id) from requeued
     )
     select id from requeued`,
    [InboxState.RECEIVED, JSON.stringify(ids), InboxState.RECEIVED, InboxState.FAILED, importJob.queue, importJob.name],
  );
  return new Set(rows.map((row) => row.id));
}

async function refreshed(trx: Knex.Transaction, ids: string[]): Promise<Map<string, FiledMessage>> {
  const { rows } = await trx.raw<{ rows: Filed[] }>(
    `select ${filedColumns} from inbox_message m where m.id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(ids)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Decides and files a batch in one transaction, in arrival order, as if each had come alone: a
 * message filed earlier in the batch counts as filed before the next one.
 */
async function fileBatch(knex: Knex, batch: Pending[]): Promise<Reception[]> {
  return knex.transaction(async (trx) => {
    const identities = [...new Set(batch.map((pending) => pending.identity))].sort();
    // Always taken in the same order, so two batches sharing identities cannot deadlock.
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(identity, 0)) from jsonb_array_elements_text(?::jsonb) as identity', [
      JSON.stringify(identities),
    ]);
    const filed = await filedEarlier(trx, batch);
    const fresh: { filed: Filed; admission: Admission }[] = [];
    const toRequeue = new Set<Filed>();
    const decided = batch.map(({ admission, contentHash, identity }): { kind: Reception['kind']; filed: Filed } => {
      const underIdentity = filed.get(identity) ?? [];
      filed.set(identity, underIdentity);
      const same = underIdentity.find((each) => each.contentHash === contentHash);
      if (same) {
        const waiting = same.state === InboxState.RECEIVED || same.state === InboxState.FAILED;
        if (admission.refusal !== null || !waiting) return { kind: 'duplicate', filed: same };
        if (!same.queued) toRequeue.add(same);
        same.queued = true;
        return { kind: 'requeued', filed: same };
      }
      // An id is the sender's promise of one content: other content under an id already accepted
      // is a conflict; under one only refused or failed, it is the correction.
      const accepted = admission.sourceMessageId !== null && underIdentity.some((each) => each.state !== InboxState.REJECTED && each.state !== InboxState.FAILED);
      const error = admission.refusal ?? (accepted ? reusedIdReason : null);
      const message: Filed = {
        id: randomUUID(),
        state: error === null ? InboxState.RECEIVED : InboxState.REJECTED,
        error,
        notes: null,
        charset: admission.charset,
        contentHash,
        queued: error === null,
      };
      underIdentity.push(message);
      fresh.push({ filed: message, admission });
      return { kind: 'new', filed: message };
    });
    await fileNew(trx, fresh);
    const requeueIds = [...toRequeue].map((each) => each.id);
    const requeued = await requeue(trx, requeueIds);
    const finishedMeanwhile = requeueIds.filter((id) => !requeued.has(id));
    const current = finishedMeanwhile.length > 0 ? await refreshed(trx, finishedMeanwhile) : new Map<string, FiledMessage>();
    return decided.map(({ kind, filed: message }): Reception => {
      const now = current.get(message.id);
      if (now) return { kind: 'duplicate', message: now };
      const answer: FiledMessage = { id: message.id, state: kind === 'requeued' ? InboxState.RECEIVED : message.state, error: kind === 'requeued' ? null : message.error, notes: message.notes, charset: message.charset };
      return { kind, message: answer };
    });
  });
}

/** Concurrent receptions share transactions (group commit), one batcher per connection pool. */
const batchers = new WeakMap<object, Batcher<Pending, Reception>>();

/** At most this many messages share a transaction; larger bursts take several. */
const maxBatchSize = 250;
/**
 * One transaction commits while the next is being filled; more would only take connections from
 * the pool that the rest of the API shares.
 */
const maxConcurrentBatches = 2;

function batcherFor(em: EntityManager): Batcher<Pending, Reception> {
  const connection = em.getConnection();
  let batcher = batchers.get(connection);
  if (!batcher) {
    const knex = connection.getKnex();
    const fileAlone = async (pending: Pending) => (await fileBatch(knex, [pending]))[0];
    batcher = new Batcher((batch) => togetherOrAlone(batch, (pendings) => fileBatch(knex, pendings), fileAlone, isStorageOutage), {
      maxBatch: maxBatchSize,
      maxRunning: maxConcurrentBatches,
    });
    batchers.set(connection, batcher);
  }
  return batcher;
}

export class InboxService {
  /**
   * Files an inbound message durably: committed before this returns, with its import job in the
   * outbox (or as REJECTED with its reason), so the caller may then acknowledge it. Messages
   * received at the same time are filed in one transaction; each is decided as if it came alone.
   * Identity is the source, the sender's id and the SHA-256 of the bytes: the same bytes again
   * change nothing (a message still waiting or failed is queued again), other bytes under an id
   * already accepted are a conflict, and under an id only refused or failed, its correction.
   */
  async receive(em: EntityManager, admission: Admission): Promise<Reception> {
    const contentHash = contentHashOf(admission.raw);
    return batcherFor(em).add({ admission, contentHash, identity: identityOf(admission, contentHash) });
  }
}
