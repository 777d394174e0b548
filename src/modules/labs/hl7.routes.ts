import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { authenticateSource } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { addToOutbox } from '../../jobs/outbox';
import { InboxSource, InboxState } from '../inbox/inbox-message.entity';
import { headersToKeep, InboxService } from '../inbox/inbox.service';
import type { IngestDependencies } from '../sources/fhir.routes';
import { acknowledgement } from './hl7-ack';
import { Hl7Problem, messageControlId, readOru } from './oru';

const hl7ContentType = 'x-application/hl7-v2+er7';

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
  let problem: Hl7Problem | null = null;
  try {
    controlId = readOru(text).controlId;
  } catch (error) {
    if (!(error instanceof Hl7Problem)) throw error;
    problem = error;
    controlId = messageControlId(text);
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
    (unit, stored) => (problem ? stored.markRejected(problem.message) : addToOutbox(unit, 'lab-results', 'oru.received', { inboxMessageId: stored.id })),
  );
  if (duplicate && message.body !== text) {
    const reused = new Hl7Problem('AE', 205, 'MSH-10 message control id was already used for a different message', { segment: 'MSH', sequence: 1, field: 10 });
    return { status: 400, ack: acknowledgement(text, reused) };
  }
  if (duplicate && message.state === InboxState.REJECTED) {
    return { status: 400, ack: acknowledgement(text, problem ?? new Hl7Problem('AE', 207, 'The message was refused when first received')) };
  }
  if (!duplicate && problem) return { status: 400, ack: acknowledgement(text, problem) };
  return { status: 200, ack: acknowledgement(text) };
}

const inbox = new InboxService();

/** POST /ingest/hl7: a lab sends an ORU^R01 with a LAB token; AR for senders that may not send. */
export function hl7Routes({ orm, verifier }: IngestDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser([hl7ContentType, 'application/hl7-v2', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    const refuse = (response: FastifyReply, status: number, text: string, reason: string) =>
      response.code(status).type(hl7ContentType).send(acknowledgement(text, new Hl7Problem('AR', 207, reason)));

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
