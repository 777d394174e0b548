import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Hl7Message, Hl7Segment, type AckCode } from '@medplum/core';
import { authenticateSource } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { DomainError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import { InboxSource, InboxState } from '../inbox/inbox-message.entity';
import { headersToKeep, InboxService } from '../inbox/inbox.service';
import type { IngestDependencies } from '../sources/fhir.routes';
import { hasMshHeader, normalizeSegments, readOru } from './oru';

const hl7ContentType = 'x-application/hl7-v2+er7';


function hl7Timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The ACK: built from the message by @medplum/core, or by hand when there is no readable MSH. */
export function acknowledgement(text: string, code: AckCode, reason?: string): string {
  const err = reason ? `ERR||||${code === 'AA' ? 'I' : 'E'}||||${reason.replace(/[|^~\\&\r\n]/g, ' ')}` : undefined;
  try {
    // An ACK can echo the sender's MSH only when it has one, with its encoding characters.
    if (!hasMshHeader(text)) throw new Error('no MSH to answer');
    const message = Hl7Message.parse(normalizeSegments(text));
    return message.buildAck({ ackCode: code, errSegment: err ? Hl7Segment.parse(err) : undefined }).toString();
  } catch {
    return [`MSH|^~\\&|CAREBRIDGE|CAREBRIDGE|||${hl7Timestamp()}||ACK|${randomUUID()}|P|2.5.1`, `MSA|${code}|`, ...(err ? [err] : [])].join('\r');
  }
}

export interface LabMessageOutcome {
  status: 200 | 400;
  ack: string;
}

/**
 * The one way a lab message enters, over HTTP or MLLP: the raw text and the job that will process
 * it commit in one transaction before the ACK (AA); a message that cannot be used is kept as
 * REJECTED and answered AE with the reason; a resend is answered as the first was.
 */
export async function acceptLabMessage(
  orm: MikroORM,
  sourceOrganizationId: string,
  text: string,
  transport: { contentType: string; headers: Record<string, string> },
): Promise<LabMessageOutcome> {
  let controlId: string | null = null;
  let problem: string | null = null;
  try {
    controlId = readOru(text).controlId;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problem = error.message;
    try {
      controlId = Hl7Message.parse(normalizeSegments(text)).header.getComponent(10, 1) || null;
    } catch {
      // not even an MSH to read an id from
      controlId = null;
    }
  }
  const { message, duplicate } = await inbox.receive(
    orm.em.fork(),
    {
      source: InboxSource.HL7V2,
      sourceOrganizationId,
      sourceMessageId: controlId?.slice(0, 200) ?? null,
      contentType: transport.contentType,
      headers: transport.headers,
      body: text,
    },
    // Kept as REJECTED for review, or committed together with the job that processes it.
    (unit, stored) => (problem ? stored.markRejected(problem) : addToOutbox(unit, 'lab-results', 'oru.received', { inboxMessageId: stored.id })),
  );
  if (duplicate && message.body !== text) {
    return { status: 400, ack: acknowledgement(text, 'AE', `Message control id ${controlId} was already used for a different message`) };
  }
  if (duplicate && message.state === InboxState.REJECTED) return { status: 400, ack: acknowledgement(text, 'AE', message.error ?? 'rejected') };
  if (!duplicate && problem) return { status: 400, ack: acknowledgement(text, 'AE', problem) };
  return { status: 200, ack: acknowledgement(text, 'AA') };
}

const inbox = new InboxService();

/** POST /ingest/hl7: a lab sends an ORU^R01 with a LAB token; AR for senders that may not send. */
export function hl7Routes({ orm, verifier }: IngestDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser([hl7ContentType, 'application/hl7-v2', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    const refuse = (response: FastifyReply, status: number, text: string, reason: string) =>
      response.code(status).type(hl7ContentType).send(acknowledgement(text, 'AR', reason));

    app.post('/ingest/hl7', async (request, response) => {
      const text = typeof request.body === 'string' ? request.body : '';
      const source = await authenticateSource(orm.em.fork(), verifier, request.headers.authorization, Role.LAB, 'Only a lab sends results');
      if ('refused' in source) return refuse(response, source.refused, text, source.reason);
      const outcome = await acceptLabMessage(orm, source.organizationId, text, {
        contentType: request.headers['content-type'] ?? hl7ContentType,
        headers: headersToKeep(request.headers),
      });
      return response.code(outcome.status).type(hl7ContentType).send(outcome.ack);
    });
  };
}
