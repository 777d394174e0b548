import { createHash } from 'node:crypto';
import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BaseEntity } from '../../db/base.entity';
import { assertTransition, type Transitions } from '../../db/state-machine';
import type { ImportNote } from './inbound-format';
import type { PlainStatement } from '../../db/insert-entities';

export enum InboxSource {
  FHIR = 'FHIR',
  HL7V2 = 'HL7V2',
  PHARMACY = 'PHARMACY',
}

export enum InboxState {
  RECEIVED = 'RECEIVED',
  /** Valid, but its patient could not be matched with certainty: waiting for IOP staff. */
  HELD = 'HELD',
  PROCESSED = 'PROCESSED',
  /** Accepted, but its import failed for good (after every retry): waiting for an admin to reprocess it. */
  FAILED = 'FAILED',
  REJECTED = 'REJECTED',
}
registerEnumType(InboxSource, { name: 'InboxSource' });
registerEnumType(InboxState, { name: 'InboxState' });

const allowedTransitions: Transitions<InboxState> = {
  [InboxState.RECEIVED]: [InboxState.PROCESSED, InboxState.HELD, InboxState.FAILED, InboxState.REJECTED],
  [InboxState.HELD]: [InboxState.PROCESSED, InboxState.REJECTED],
  // Reprocessing (an admin, or the sender's resend) puts a failed message back in the queue.
  [InboxState.FAILED]: [InboxState.RECEIVED, InboxState.PROCESSED, InboxState.HELD, InboxState.FAILED, InboxState.REJECTED],
  // A message linked to the wrong patient goes back to review (its records are removed).
  [InboxState.PROCESSED]: [InboxState.HELD],
  [InboxState.REJECTED]: [],
};

/** A stored message as a batch import reads it: plain, not an entity. */
export interface StoredMessage {
  id: string;
  source: InboxSource;
  sourceOrganizationId: string | null;
  raw: Buffer;
  charset: string;
  state: InboxState;
  receivedAt: Date;
}

/** Whether the queue's import may (still) run for a message in `state`: a new or failed one. */
export const awaitsQueuedImport = (state: InboxState) => state === InboxState.RECEIVED || state === InboxState.FAILED;

/**
 * The statement marking messages a batch imported (read as `StoredMessage`, locked) PROCESSED
 * with their notes, all at once: the transition `markProcessed` makes, checked the same way.
 */
export function markProcessedStatement(imported: { message: StoredMessage; notes: ImportNote[] }[], at: Date = new Date()): PlainStatement {
  for (const { message } of imported) assertTransition(allowedTransitions, 'An inbox message', message.state, InboxState.PROCESSED);
  return {
    sql: `update inbox_message set state = ?, error = null, processed_at = ?, notes = v.notes
          from json_to_recordset(?::json) as v(id uuid, notes jsonb) where inbox_message.id = v.id`,
    params: [InboxState.PROCESSED, at, JSON.stringify(imported.map(({ message, notes }) => ({ id: message.id, notes })))],
  };
}

/** What a sender sent, as the ingest route received it. */
export interface InboundMessage {
  source: InboxSource;
  sourceOrganizationId: string | null;
  /** The sender's own id for the message (e.g. HL7 MSH-10, Bundle.identifier), when it has one. */
  sourceMessageId: string | null;
  contentType: string;
  headers: Record<string, string>;
  /** The bytes exactly as they arrived. */
  raw: Buffer;
  /** The character set the bytes are read in (WHATWG encoding label), as the sender declared it. */
  charset: string;
}

/** A message's bytes as text, read in the character set it declares (checked when it was received). */
export function textOf(raw: Buffer, charset: string): string {
  return new TextDecoder(charset).decode(raw);
}

/** The identity of a message's content: a resend of the same bytes has the same hash. */
export function contentHashOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/**
 * An inbound message exactly as it arrived (its bytes, never re-encoded), stored before the
 * sender is answered so that nothing acknowledged can be lost. A message is identified by its
 * source, the sender's id for it and the hash of its bytes: an identical resend is the same
 * message; a corrected resend under the same id is a new one.
 */
@ObjectType({ description: 'An inbound message as the hub filed it: its source, id, state and why; never its content.' })
@Entity()
// NULLS NOT DISTINCT: a resend from a source with no organization, or without an id of its own, is
// still the same message when its bytes are the same.
@Index({
  name: 'inbox_message_identity_unique',
  expression:
    'create unique index "inbox_message_identity_unique" on "inbox_message" ("source", "source_organization_id", "source_message_id", "content_hash") nulls not distinct',
})
@Index({ properties: ['state', 'receivedAt'] })
export class InboxMessage extends BaseEntity {
  @Field(() => InboxSource)
  @Enum({ items: () => InboxSource })
  source: InboxSource;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  sourceOrganizationId: string | null;

  @Field(() => String, { nullable: true, description: "The sender's id for the message (HL7 MSH-10, Bundle.identifier or id)." })
  @Property({ type: 'string', length: 200, nullable: true })
  sourceMessageId: string | null;

  @Property({ type: 'string', length: 200 })
  contentType: string;

  @Property({ type: 'jsonb' })
  headers: Record<string, string>;

  @Property({ type: 'blob', lazy: false })
  raw: Buffer;

  @Property({ type: 'string', length: 40 })
  charset: string;

  @Property({ type: 'string', length: 64 })
  contentHash: string;

  @Field(() => GraphQLDateTime)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  @Field(() => InboxState)
  @Enum({ items: () => InboxState })
  state: InboxState = InboxState.RECEIVED;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  processedAt: Date | null = null;

  /** What the import did not take (e.g. a resource type it does not import), for the sender to read. */
  @Property({ type: 'jsonb', nullable: true })
  notes: ImportNote[] | null = null;

  /** Why processing failed or was refused; never a copy of message content. */
  @Field(() => String, { nullable: true, description: 'Why processing failed or was refused; never a copy of the content.' })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  constructor(init: InboundMessage) {
    super();
    this.source = init.source;
    this.sourceOrganizationId = init.sourceOrganizationId;
    this.sourceMessageId = init.sourceMessageId;
    this.contentType = init.contentType;
    this.headers = init.headers;
    this.raw = init.raw;
    this.charset = init.charset;
    this.contentHash = contentHashOf(init.raw);
  }

  /** The message's text, read in its declared character set (checked when it was received). */
  get body(): string {
    return textOf(this.raw, this.charset);
  }

  private moveTo(state: InboxState, error: string | null, at: Date): void {
    assertTransition(allowedTransitions, 'An inbox message', this.state, state);
    this.state = state;
    this.error = error;
    this.processedAt = at;
  }

  /**
   * Whether an import may (still) run: a new or failed message, or, for a reviewer's link, a
   * message held for review. Anything else was already dealt with.
   */
  awaitsImport(forReview: boolean): boolean {
    return forReview ? this.state === InboxState.HELD : awaitsQueuedImport(this.state);
  }

  markProcessed(at: Date = new Date()): void {
    this.moveTo(InboxState.PROCESSED, null, at);
  }

  markFailed(reason: string, at: Date = new Date()): void {
    this.moveTo(InboxState.FAILED, reason, at);
  }

  markRejected(reason: string, at: Date = new Date()): void {
    this.moveTo(InboxState.REJECTED, reason, at);
  }

  markHeld(reason: string, at: Date = new Date()): void {
    this.moveTo(InboxState.HELD, reason, at);
  }

  /** Keeps what the import did not take, for the sender to read. */
  keepNotes(notes: ImportNote[]): void {
    this.notes = notes;
  }

  /** Back in the queue after a failure, to be imported again. */
  markForReprocessing(): void {
    assertTransition(allowedTransitions, 'An inbox message', this.state, InboxState.RECEIVED);
    this.state = InboxState.RECEIVED;
    this.error = null;
    this.processedAt = null;
  }
}
