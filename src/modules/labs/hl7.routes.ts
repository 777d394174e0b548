import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Hl7Message, Hl7Segment, type AckCode } from '@medplum/core';
import { authenticate } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { DomainError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import { InboxSource, InboxState } from '../inbox/inbox-message.entity';
import { headersToKeep, InboxService } from '../inbox/inbox.service';
import type { IngestDependencies } from '../sources/fhir.routes';
import { readOru } from './oru';

const hl7ContentType = 'x-application/hl7-v2+er7';

/** An HL7 text with any line ending, in the standard segment separator. */
const normalized = (text: string) => text.replace(/\r\n|\n/g, '\r').replace(/\r+$/, '');

function hl7Timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The ACK: built from the message by @medplum/core, or by hand when there is no readable MSH. */
export function acknowledgement(text: string, code: AckCode, reason?: string): string {
  const err = reason ? `ERR||||${code === 'AA' ? 'I' : 'E'}||||${reason.replace(/[|^~\\&\r\n]/g, ' ')}` : undefined;
  try {
    const message = Hl7Message.parse(normalized(text));
    return message.buildAck({ ackCode: code, errSegment: err ? Hl7Segment.parse(err) : undefined }).toString();
  } catch {
    return [`MSH|^~\\&|CAREBRIDGE|CAREBRIDGE|||${hl7Timestamp()}||ACK|${randomUUID()}|P|2.5.1`, `MSA|${code}|`, ...(err ? [err] : [])].join('\r');
  }
}

/**
 * POST /ingest/hl7: a lab sends an ORU^R01. The raw message is committed to the inbox (with the
 * job that will process it, in the same transaction) before the ACK: AA when accepted, AE when
 * it cannot be used (kept as REJECTED for review), AR when the sender may not send.
 */
export function hl7Routes({ orm, verifier }: IngestDependencies) {
  const inbox = new InboxService();

  return async function routes(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser([hl7ContentType, 'application/hl7-v2', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    const reply = (response: FastifyReply, status: number, text: string, code: AckCode, reason?: string) =>
      response.code(status).type(hl7ContentType).send(acknowledgement(text, code, reason));

    app.post('/ingest/hl7', async (request, response) => {
      const text = typeof request.body === 'string' ? request.body : '';
      const em = orm.em.fork();
      let user;
      try {
        user = await authenticate(em, verifier, request.headers.authorization);
      } catch (error) {
        if (error instanceof DomainError) return reply(response, 401, text, 'AR', error.message);
        throw error;
      }
      if (!user) return reply(response, 401, text, 'AR', 'Authentication required');
      if (user.role !== Role.LAB || !user.organizationId) return reply(response, 403, text, 'AR', 'Only a lab sends results');

      let controlId: string | null = null;
      let problem: string | null = null;
      try {
        controlId = readOru(text).controlId;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        problem = error.message;
        try {
          controlId = Hl7Message.parse(normalized(text)).header.getComponent(10, 1) || null;
        } catch {
          controlId = null;
        }
      }
      const { message, duplicate } = await inbox.receive(
        em,
        {
          source: InboxSource.HL7V2,
          sourceOrganizationId: user.organizationId,
          sourceMessageId: controlId?.slice(0, 200) ?? null,
          contentType: request.headers['content-type'] ?? hl7ContentType,
          headers: headersToKeep(request.headers),
          body: text,
        },
        // Kept as REJECTED for review, or committed together with the job that processes it.
        (unit, stored) => (problem ? stored.markRejected(problem) : addToOutbox(unit, 'lab-results', 'oru.received', { inboxMessageId: stored.id })),
      );
      if (duplicate && message.state === InboxState.REJECTED) return reply(response, 400, text, 'AE', message.error ?? 'rejected');
      if (!duplicate && problem) return reply(response, 400, text, 'AE', problem);
      return reply(response, 200, text, 'AA');
    });
  };
}
