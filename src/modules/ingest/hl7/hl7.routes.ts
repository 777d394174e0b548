import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Role } from '../../../auth/roles';
import { hl7OruFormat } from './oru.format';
import { textOf } from '../inbox-message.entity';
import { headersToKeep } from '../inbox.service';
import { IngestService, type IngestDependencies, type Transport } from '../ingest.service';
import { acknowledgement } from './hl7-ack';
import { Hl7Problem } from './oru';

const hl7ContentType = 'x-application/hl7-v2+er7';

export interface LabMessageOutcome {
  status: 200 | 400;
  ack: string;
}

/** The bytes as ASCII text, anything else blanked: enough to answer an unreadable message's header. */
const printable = (raw: Buffer) => raw.toString('latin1').replace(/[^\x20-\x7e\r\n]/g, ' ');

const ingest = new IngestService();

const controlIdReused = new Hl7Problem('AE', 205, 'MSH-10 message control id was already used for a different message', { segment: 'MSH', sequence: 1, field: 10 });

/**
 * A lab message over HTTP or MLLP, through the one ingest path: the raw bytes and the job that
 * will import them commit in one transaction before the ACK (AA); a message that cannot be used
 * is kept as REJECTED and answered AE with the reason (never its content); a resend is answered
 * as the first was, and one whose import failed is queued again.
 */
export async function acceptLabMessage(orm: MikroORM, sourceOrganizationId: string, raw: Buffer, transport: Transport): Promise<LabMessageOutcome> {
  const acceptance = await ingest.accept(orm.em.fork(), hl7OruFormat, sourceOrganizationId, raw, transport);
  const { message } = acceptance;
  // Only what could be read is echoed: an unreadable message is answered with a header of our own.
  const text = acceptance.kind === 'refused' ? printable(raw) : textOf(raw, message.charset);
  switch (acceptance.kind) {
    case 'refused':
      return { status: 400, ack: acknowledgement(text, acceptance.refusal) };
    case 'conflict':
      return { status: 400, ack: acknowledgement(text, controlIdReused) };
    // Accepted before (a refused one is refused again): acknowledged alike whatever became of it
    // since, imported, held or rejected in review, which would tell whether the patient is known here.
    case 'duplicate':
    case 'accepted':
      return { status: 200, ack: acknowledgement(text) };
  }
}

/** POST /ingest/hl7: a lab sends an ORU^R01 with a LAB token; AR for senders that may not send. */
export function hl7Routes({ orm, sources }: IngestDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The raw bytes are what the inbox keeps; they are decoded by the message's own MSH-18.
    app.addContentTypeParser([hl7ContentType, 'application/hl7-v2', 'text/plain'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const refuse = (response: FastifyReply, status: number, text: string, reason: string) =>
      response.code(status).type(hl7ContentType).send(acknowledgement(text, new Hl7Problem('AR', 207, reason)));

    // A lab is answered with an ACK whatever went wrong: a body too large or of another type is
    // refused (AR); a message that could not be stored is AE with 503, so the lab sends it again.
    app.setErrorHandler((error: { statusCode?: number }, _request, response) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) return response.code(503).type(hl7ContentType).send(acknowledgement('', new Hl7Problem('AE', 207, 'The message could not be stored; send it again')));
      return refuse(response, status, '', status === 413 ? 'The message is larger than this hub accepts' : 'The request could not be read as an HL7 v2 message');
    });

    app.post('/ingest/hl7', async (request, response) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const source = await sources.authenticate(request.headers.authorization, Role.LAB, 'Only a lab sends results');
      if ('refused' in source) return refuse(response, source.refused, printable(raw), source.reason);
      const outcome = await acceptLabMessage(orm, source.organizationId, raw, {
        contentType: request.headers['content-type'] ?? hl7ContentType,
        headers: headersToKeep(request.headers),
      });
      return response.code(outcome.status).type(hl7ContentType).send(outcome.ack);
    });
  };
}
