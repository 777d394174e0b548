import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { contentHashOf, InboxMessage, InboxState, type InboundMessage } from './inbox-message.entity';

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

export type Reception =
  /** The same bytes were received before under the same id: nothing was stored again. */
  | { kind: 'duplicate'; message: InboxMessage }
  /** A new message, stored with whatever `admit` added to its transaction. */
  | { kind: 'new'; message: InboxMessage };

/**
 * What `admit` is told about the earlier messages that carried the same id with other content:
 * an id is the sender's promise of one content, so a message accepted earlier under it makes
 * this one a conflict; earlier messages refused or failed make this one their correction.
 */
export interface EarlierUnderSameId {
  accepted: boolean;
}

export class InboxService {
  /**
   * Stores an inbound message durably (committed before this returns, in one transaction with
   * `admit`'s work: its processing job in the outbox, or its refusal), so the caller may then
   * acknowledge it. A resend of the same bytes under the same id returns the stored message and
   * does nothing else.
   */
  async receive(
    em: EntityManager,
    inbound: InboundMessage,
    admit: (em: EntityManager, message: InboxMessage, earlier: EarlierUnderSameId) => void,
  ): Promise<Reception> {
    const hash = contentHashOf(inbound.raw);
    try {
      return await em.fork().transactional(async (tx) => {
        if (inbound.sourceMessageId !== null) {
          // One sender's messages under one id are decided one at a time, so two different
          // contents sent at the same instant cannot both be accepted.
          await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
            `inbox|${inbound.source}|${inbound.sourceOrganizationId ?? ''}|${inbound.sourceMessageId}`,
          ]);
        }
        const sameId = await tx.find(
          InboxMessage,
          { source: inbound.source, sourceOrganizationId: inbound.sourceOrganizationId, sourceMessageId: inbound.sourceMessageId },
          { fields: ['id', 'state', 'contentHash'] },
        );
        const same = sameId.find((each) => each.contentHash === hash);
        if (same) return { kind: 'duplicate' as const, message: await tx.findOneOrFail(InboxMessage, { id: same.id }, { refresh: true }) };
        const message = new InboxMessage(inbound);
        tx.persist(message);
        const accepted = inbound.sourceMessageId !== null && sameId.some((each) => each.state !== InboxState.REJECTED && each.state !== InboxState.FAILED);
        admit(tx, message, { accepted });
        return { kind: 'new' as const, message };
      });
    } catch (error) {
      // Two copies of the same message without an id, stored at the same instant: the first wins.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const stored = await em.fork().findOneOrFail(InboxMessage, {
        source: inbound.source,
        sourceOrganizationId: inbound.sourceOrganizationId,
        sourceMessageId: inbound.sourceMessageId,
        contentHash: hash,
      });
      return { kind: 'duplicate', message: stored };
    }
  }
}
