import type { EntityManager } from '@mikro-orm/postgresql';
import type { InboundPatient } from '../patients/patient-matching';
import type { InboxMessage, InboxSource, InboxState, StoredMessage } from './inbox-message.entity';
import type { PlainStatement } from '../../db/insert-entities';

/**
 * A note on what an import did not take (a resource type not imported, a code system not read):
 * kept for the sender to read. It comes from the message's content alone, the same whether the
 * message was imported or held for patient review.
 */
export interface ImportNote {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  text: string;
  expression?: string;
}

export type ImportOutcome =
  | { status: 'PROCESSED'; patientId: string; created: number; notes: ImportNote[] }
  | { status: 'HELD'; reviewId: string; notes: ImportNote[] }
  /** The message was dealt with already (a redelivered job, a resend): nothing changed. */
  | { status: 'SKIPPED'; state: InboxState };

/**
 * What a batch's import came to for one message: an outcome; left for later (its patient's
 * imports run elsewhere); or, for a format that imports one message at a time, still to import
 * (`IngestService.importMessage`), outside the batch.
 */
export type BatchOutcome = ImportOutcome | { status: 'RETRY_LATER' } | { status: 'IMPORT_ALONE' };

/** What `importMany` came to for one message: imported (the pipeline marks it), or left for later or for `import`. */
export type BatchImportOutcome = Extract<ImportOutcome, { status: 'PROCESSED' }> | { status: 'RETRY_LATER' } | { status: 'IMPORT_ALONE' };

/** The statements that mark these messages imported (with their notes), for a format to run in its own write. */
export type MarkingOf = (imported: { message: StoredMessage; notes: ImportNote[] }[]) => PlainStatement[];

/** What a format reads from a message's bytes before anything is stored. */
export interface InboundReading<Refusal> {
  /** The sender's id for the message (HL7 MSH-10, Bundle.identifier/id), when usable. */
  messageId: string | null;
  /** The character set its bytes are read in (WHATWG label). */
  charset: string;
  /** Why the message cannot be imported, decided before it is acknowledged; null when it can. */
  refusal: Refusal | null;
}

/**
 * One inbound format (FHIR R4 Bundle, HL7 v2 ORU^R01; next, pharmacy webhooks): how to read its
 * bytes, how to import a stored message, and who it says its patient is. Everything else —
 * storing, dedupe, resend, queueing, failure, reprocessing and review — is the pipeline's, the
 * same for every format.
 */
export interface InboundFormat<Refusal = unknown> {
  source: InboxSource;
  read(raw: Buffer): InboundReading<Refusal>;
  /** The refusal as stored with the message: a reason, never the content. */
  reasonOf(refusal: Refusal): string;
  /** Imports a stored message for its matched patient (or the reviewer's choice) inside `em`'s transaction. */
  import(em: EntityManager, message: InboxMessage, reviewedPatientId?: string): Promise<ImportOutcome>;
  /**
   * Imports many stored messages of this format, locked and awaiting import, inside `em`'s
   * transaction, with the rules of `import` and fewer statements; the pipeline marks those it
   * imported. What it cannot settle in the batch (a patient to review) it leaves to `import`
   * (IMPORT_ALONE). Formats without it are imported one by one.
   * `marking` gives the pipeline's statements that mark messages imported: a format that writes
   * its records in one statement runs them in it (one round trip fewer); the pipeline marks the
   * messages a format did not ask about itself.
   */
  importMany?(em: EntityManager, messages: StoredMessage[], marking?: MarkingOf): Promise<Map<string, BatchImportOutcome>>;
  /** Who the message says its patient is, for review and unlinking. */
  patientOf(message: InboxMessage): InboundPatient;
  /** Whether the message carries a critical result, which must reach a person even while no patient is matched. */
  carriesCriticalResult?(message: InboxMessage): boolean;
}
