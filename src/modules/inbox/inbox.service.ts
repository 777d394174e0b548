import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InboxMessage, type InboundMessage } from './inbox-message.entity';

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

export class InboxService {
  /**
   * Stores an inbound message durably (committed before this returns, in one transaction with
   * `withMessage`'s work), so the caller may then acknowledge it. A message whose source id was
   * already received returns the stored one and does nothing else.
   */
  async receive(
    em: EntityManager,
    inbound: InboundMessage,
    /** Work that must commit with the message (e.g. its processing job in the outbox). */
    withMessage?: (em: EntityManager, message: InboxMessage) => void,
  ): Promise<{ message: InboxMessage; duplicate: boolean }> {
    const existing = await this.findDuplicate(em, inbound);
    if (existing) return { message: existing, duplicate: true };
    const message = new InboxMessage(inbound);
    try {
      const unit = em.fork();
      unit.persist(message);
      withMessage?.(unit, message);
      await unit.flush();
      return { message, duplicate: false };
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const raced = await this.findDuplicate(em, inbound);
      if (!raced) throw error;
      return { message: raced, duplicate: true };
    }
  }

  private async findDuplicate(em: EntityManager, inbound: InboundMessage): Promise<InboxMessage | null> {
    if (inbound.sourceMessageId === null) return null;
    return em.fork().findOne(InboxMessage, {
      source: inbound.source,
      sourceOrganizationId: inbound.sourceOrganizationId,
      sourceMessageId: inbound.sourceMessageId,
    });
  }
}
