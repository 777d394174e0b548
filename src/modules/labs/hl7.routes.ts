import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { authenticateSource } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { addToOutbox } from '../../jobs/outbox';
import { LockMode } from '@mikro-orm/core';
import { InboxMessage, InboxSource, InboxState } from '../inbox/inbox-message.entity';
import { readInboundText, usableIdentifier } from '../inbox/inbound-text';
import { headersToKeep, InboxService } from '../inbox/inbox.service';
import type { IngestDependencies } from '../sources/fhir.routes';
import { acknowledgement } from './hl7-ack';
import { readEnvelope } from './hl7-envelope';
import { Hl7Problem, readOru } from './oru';

const hl7ContentType = 'x-application/hl7-v2+er7';

export interface LabMessageOutcome {
  status: 200 | 400;
  ack: string;
}

/** The bytes as ASCII text, anything else blanked: enough to answer an unreadable message's header. */
const printable = (raw: Buffer) => raw.toString('latin1').replace(/[^\x20-\x7e\r\n]/g, ' ');

/** The message's text, or why it cannot be used (read without trusting its bytes). */
function problemWith(raw: Buffer, encoding: string | null): { problem: Hl7Problem } | { text: string } {
  if (encoding === null) {
    return { problem: new Hl7Problem('AR', 103, 'MSH-18 character set is not one this receiver reads (HL7 table 0211)', { segment: 'MSH', sequence: 1, field: 18 }) };
  }
  const read = readInboundText(raw, encoding);
  if ('problem' in read) return { problem: new Hl7Problem('AE', 102, read.problem) };
  try {
    readOru(read.text);
    return read;
  } catch (error) {
    if (error instanceof Hl7Problem) return { problem: error };
    throw error;
  }
}

const controlIdReused = new Hl7Problem('AE', 205, 'MSH-10 message control id was already used for a different message', { segment: 'MSH', sequence: 1, field: 10 });

/**
 * The one way a lab message enters, over HTTP or MLLP: the raw bytes and the job that will process
 * them commit in one transaction before the ACK (AA); a message that cannot be used is kept as
 * REJECTED and answered AE with the reason (never with its content); a resend is answered as the
 * first was, and one whose import failed is queued again.
 */
export async function acceptLabMessage(
  orm: MikroORM,
  sourceOrganizationId: string,
  raw: Buffer,
  transport: { contentType: string; headers: Record<string, string> },
): Promise<LabMessageOutcome> {
  const envelope = readEnvelope(raw);
  const read = problemWith(raw, envelope.encoding);
  // Only what could be read is echoed: an unreadable message is answered with a header of our own.
  const text = 'text' in read ? read.text : printable(raw);
  const reception = await inbox.receive(
    orm.em.fork(),
    {
      source: InboxSource.HL7V2,
      sourceOrganizationId,
      sourceMessageId: usableIdentifier(envelope.controlId),
      contentType: transport.contentType,
      headers: transport.headers,
      raw,
      charset: envelope.encoding ?? 'utf-8',
    },
    (unit, stored, earlier) => {
      if ('problem' in read) stored.markRejected(read.problem.message);
      else if (earlier.accepted) stored.markRejected(controlIdReused.message);
      else addToOutbox(unit, 'lab-results', 'oru.received', { inboxMessageId: stored.id });
    },
  );
  const { message } = reception;
  if (reception.kind === 'duplicate' && message.state === InboxState.FAILED) await requeue(orm, message.id);
  // Refused for its content, or (readable but refused) for reusing a control id.
  if (message.state === InboxState.REJECTED) return { status: 400, ack: acknowledgement(text, 'problem' in read ? read.problem : controlIdReused) };
  return { status: 200, ack: acknowledgement(text) };
}

/** Puts a message whose import failed back in the queue, with a job committed in the same transaction. */
export async function requeue(orm: MikroORM, messageId: string): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    const message = await tx.findOneOrFail(InboxMessage, { id: messageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (message.state !== InboxState.FAILED) return;
    message.markForReprocessing();
    addToOutbox(tx, 'lab-results', 'oru.received', { inboxMessageId: message.id });
  });
}

const inbox = new InboxService();

/** POST /ingest/hl7: a lab sends an ORU^R01 with a LAB token; AR for senders that may not send. */
export function hl7Routes({ orm, verifier }: IngestDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The raw bytes are what the inbox keeps; they are decoded by the message's own MSH-18.
    app.addContentTypeParser([hl7ContentType, 'application/hl7-v2', 'text/plain'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const refuse = (response: FastifyReply, status: number, text: string, reason: string) =>
      response.code(status).type(hl7ContentType).send(acknowledgement(text, new Hl7Problem('AR', 207, reason)));

    app.post('/ingest/hl7', async (request, response) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const source = await authenticateSource(orm.em.fork(), verifier, request.headers.authorization, Role.LAB, 'Only a lab sends results');
      if ('refused' in source) return refuse(response, source.refused, printable(raw), source.reason);
      const outcome = await acceptLabMessage(orm, source.organizationId, raw, {
        contentType: request.headers['content-type'] ?? hl7ContentType,
        headers: headersToKeep(request.headers),
      });
      return response.code(outcome.status).type(hl7ContentType).send(outcome.ack);
    });
  };
}
