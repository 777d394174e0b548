import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { SourceAuthenticator } from '../../auth/source-authenticator';
import { togetherOrAlone } from '../../db/batcher';
import { runPrepared } from '../../db/prepared';
import { insertEntities, type PlainStatement } from '../../db/insert-entities';
import { outboxDoneStatement } from '../../jobs/outbox-reconciler';
import { DomainError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import { formatOf } from './formats';
import type { BatchOutcome, ImportNote, ImportOutcome, InboundFormat, MarkingOf } from './inbound-format';
import { awaitsQueuedImport, InboxMessage, InboxState, markProcessedStatement, type StoredMessage } from './inbox-message.entity';
import { InboxService, reusedIdReason, type FiledMessage } from './inbox.service';

/** What an ingest route needs. */
export interface IngestDependencies {
  orm: MikroORM;
  sources: SourceAuthenticator;
  logger: Logger;
}

/** How the transport saw a message: kept with it, credentials never. */
export interface Transport {
  contentType: string;
  headers: Record<string, string>;
}

export type Acceptance<Refusal> =
  /** Stored (now or before) and queued for import: acknowledge it. */
  | { kind: 'accepted'; message: FiledMessage; resend: boolean }
  /**
   * The same bytes came before, were accepted and dealt with since (`message.state` says how, for
   * the hub: a sender is answered as for any accepted message, whatever became of it).
   */
  | { kind: 'duplicate'; message: FiledMessage }
  /** It cannot be imported: kept as REJECTED for review, and the sender is told why. */
  | { kind: 'refused'; message: FiledMessage; refusal: Refusal }
  /** Its id was already given to an accepted message with other content. */
  | { kind: 'conflict'; message: FiledMessage };

/** A message that can never be imported: REJECTED, with the reason. */
export type Rejection = { status: 'REJECTED'; reason: string };

/** What a batch's import came to for one message; `outboxDone` when its jobs' outbox rows were marked done in the import's transaction. */
export type BatchResult = (BatchOutcome | Rejection) & { outboxDone?: true };

const inbox = new InboxService();

/**
 * Whether a stored message was refused when it arrived (its sender was told so then), as opposed
 * to rejected later, in patient review or by its import: the bytes are read again, as then.
 */
export function refusedOnReceipt(format: InboundFormat, message: InboxMessage): boolean {
  return message.state === InboxState.REJECTED && (message.error === reusedIdReason || format.read(message.raw).refusal !== null);
}

/** Queues a stored message's import, in the unit of work that stores or changes it. */
function queueImport(em: EntityManager, message: InboxMessage): void {
  addToOutbox(em, 'inbound-messages', 'message.received', { inboxMessageId: message.id });
}

/**
 * The one path every inbound message takes, whatever its format: read and validate the bytes →
 * commit them raw with their import job (or their refusal) → answer the sender → the worker
 * imports it (or holds it for patient review). Resends, conflicts, failures and reprocessing
 * follow the same rules for every format.
 */
export class IngestService {
  async accept<Refusal>(
    em: EntityManager,
    format: InboundFormat<Refusal>,
    sourceOrganizationId: string,
    raw: Buffer,
    transport: Transport,
  ): Promise<Acceptance<Refusal>> {
    const reading = format.read(raw);
    const reception = await inbox.receive(em, {
      source: format.source,
      sourceOrganizationId,
      sourceMessageId: reading.messageId,
      ...transport,
      raw,
      charset: reading.charset,
      refusal: reading.refusal === null ? null : format.reasonOf(reading.refusal),
    });
    const { message } = reception;
    if (reading.refusal !== null) return { kind: 'refused', message, refusal: reading.refusal };
    if (message.state === InboxState.REJECTED && message.error === reusedIdReason) return { kind: 'conflict', message };
    if (reception.kind === 'duplicate') return { kind: 'duplicate', message };
    return { kind: 'accepted', message, resend: reception.kind === 'requeued' };
  }

  /** Queues a failed or waiting message again; the import it gets is idempotent. */
  async requeue(em: EntityManager, messageId: string): Promise<InboxMessage> {
    return em.fork().transactional(async (tx) => {
      const message = await tx.findOneOrFail(InboxMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (message.state === InboxState.FAILED) message.markForReprocessing();
      if (message.state === InboxState.RECEIVED) queueImport(tx, message);
      return message;
    });
  }

  /**
   * Imports a stored message (for the reviewer's patient, when given) in one transaction, keeping
   * the notes of what was not taken for the sender to read. A message that can never be imported
   * (its content breaks a rule) is REJECTED with the reason instead of being retried.
   */
  async importMessage(em: EntityManager, messageId: string, reviewedPatientId?: string): Promise<ImportOutcome | Rejection> {
    try {
      return await em.transactional(async (tx) => {
        const message = await tx.findOneOrFail(InboxMessage, { id: messageId });
        const outcome = await formatOf(message.source).import(tx, message, reviewedPatientId);
        if ('notes' in outcome) message.keepNotes(outcome.notes);
        return outcome;
      });
    } catch (error) {
      if (!(error instanceof DomainError) || reviewedPatientId !== undefined) throw error;
      await em.fork().nativeUpdate(
        InboxMessage,
        { id: messageId, state: { $in: [InboxState.RECEIVED, InboxState.FAILED] } },
        { state: InboxState.REJECTED, error: error.message, processedAt: new Date() },
      );
      return { status: 'REJECTED', reason: error.message };
    }
  }

  /**
   * Imports many stored messages (the queue's, in the order their jobs came) in one transaction,
   * each format's together where the format can (`importMany`), with the rules of
   * `importMessage`; a message of another format is IMPORT_ALONE, for its caller to import. A
   * message whose patient's imports run elsewhere is left for later (RETRY_LATER). If anything
   * fails, the whole batch is rolled back and each message is imported alone, in a transaction of
   * its own: one message's failure (or rejection) is its own, never its batch's.
   * `outboxJobIds` are the queue's jobs of each message: the outbox rows of a message the batch
   * imported (or found dealt with) are marked done in its transaction, and its outcome says so
   * (`outboxDone`); the caller marks the others once their effect is committed.
   */
  async importMessages(
    em: EntityManager,
    messageIds: string[],
    outboxJobIds: ReadonlyMap<string, string[]> = new Map(),
  ): Promise<Map<string, PromiseSettledResult<BatchResult>>> {
    const ids = [...new Set(messageIds)];
    const together = async (batch: string[]) => {
      const outcomes = await em.fork().transactional((tx) => this.importTogether(tx, batch, outboxJobIds));
      return batch.map((id) => outcomes.get(id)!);
    };
    const results = await togetherOrAlone<string, BatchResult>(ids, together, (id) => this.importMessage(em.fork(), id));
    return new Map(ids.map((id, index) => [id, results[index]]));
  }

  private async importTogether(tx: EntityManager, ids: string[], outboxJobIds: ReadonlyMap<string, string[]>): Promise<Map<string, BatchResult>> {
    // Locked in id order, so two batches that share a message (a redelivered job) never deadlock. Plain rows: a batch reads no entity.
    const locked = await runPrepared<Omit<StoredMessage, 'receivedAt'> & { receivedAt: string }>(
      tx,
      `select id, source, source_organization_id as "sourceOrganizationId", raw, charset, state, received_at as "receivedAt"
       from inbox_message where id = any($1::uuid[]) order by id for update`,
      [ids],
    );
    // The ORM's connection returns times as text.
    const byId = new Map(locked.map((row): [string, StoredMessage] => [row.id, { ...row, receivedAt: new Date(row.receivedAt) }]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw new Error(`Inbox message ${missing} not found`);
    const outcomes = new Map<string, BatchResult>();
    const waiting = new Map<InboundFormat, StoredMessage[]>();
    for (const message of ids.map((id) => byId.get(id)!)) {
      // A redelivered job, a resend: dealt with already.
      if (!awaitsQueuedImport(message.state)) outcomes.set(message.id, { status: 'SKIPPED', state: message.state });
      else waiting.set(formatOf(message.source), [...(waiting.get(formatOf(message.source)) ?? []), message]);
    }
    const jobIdsOf = (messages: { id: string }[]) => messages.flatMap((message) => outboxJobIds.get(message.id) ?? []);
    const markedInWrite = new Set<string>();
    const marking: MarkingOf = (imported) => {
      for (const { message } of imported) markedInWrite.add(message.id);
      return markingStatements(imported, jobIdsOf(imported.map(({ message }) => message)));
    };
    const imported: { message: StoredMessage; notes: ImportNote[] }[] = [];
    for (const [format, messages] of waiting) {
      if (format.importMany) {
        for (const [id, outcome] of await format.importMany(tx, messages, marking)) {
          outcomes.set(id, outcome);
          if (outcome.status === 'PROCESSED') imported.push({ message: byId.get(id)!, notes: outcome.notes });
        }
      } else {
        for (const message of messages) outcomes.set(message.id, { status: 'IMPORT_ALONE' });
      }
    }
    // Those a format did not mark in its own write, and the outbox rows of messages dealt with before.
    const unmarked = imported.filter(({ message }) => !markedInWrite.has(message.id));
    const skipped = ids.filter((id) => outcomes.get(id)?.status === 'SKIPPED').map((id) => byId.get(id)!);
    const rest = markingStatements(unmarked, jobIdsOf([...unmarked.map(({ message }) => message), ...skipped]));
    if (rest.length > 0) await insertEntities(tx, [], rest);
    for (const id of ids) {
      const outcome = outcomes.get(id)!;
      if ((outcome.status === 'PROCESSED' || outcome.status === 'SKIPPED') && outboxJobIds.has(id)) outcomes.set(id, { ...outcome, outboxDone: true });
    }
    return outcomes;
  }
}

/** Marks messages imported, and the outbox rows of their jobs done. */
function markingStatements(imported: { message: StoredMessage; notes: ImportNote[] }[], jobIds: string[]): PlainStatement[] {
  const outboxDone = outboxDoneStatement(jobIds);
  return [...(imported.length > 0 ? [markProcessedStatement(imported)] : []), ...(outboxDone ? [outboxDone] : [])];
}
