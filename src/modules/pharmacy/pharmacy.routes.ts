import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { signatureHeaderName, verifySignature } from '../webhooks/signature';
import type { WebhookSources } from '../webhooks/webhook-sources';
import { headersToKeep } from '../ingest/inbox.service';
import { IngestService } from '../ingest/ingest.service';
import type { ContractViolation } from './delivery-event.schema';
import { deliveryEventSchema } from './delivery-event.schema';
import { pharmacyDeliveryFormat, readDeliveryEvent } from './delivery.format';
import { namesPrescriptionPatient, occurredAtProblem } from './delivery.service';
import { routedPrescriptionByRef } from './prescription-ref';

export interface PharmacyRouteDependencies {
  orm: MikroORM;
  webhookSources: WebhookSources;
  /** How far ahead of the hub's clock an event's occurredAt may be. */
  maxAheadSeconds: number;
}

interface Answer {
  status: 'accepted' | 'duplicate' | 'refused';
  messageId?: string;
  reason?: string;
  violations?: ContractViolation[];
}

const send = (response: FastifyReply, code: number, answer: Answer) => response.code(code).type('application/json').send(answer);
const refuse = (response: FastifyReply, code: number, reason: string, violations?: ContractViolation[]) =>
  send(response, code, { status: 'refused', reason, ...(violations && { violations }) });

const ingest = new IngestService();

/**
 * POST /ingest/pharmacy/:source: a pharmacy's delivery event, signed with its source's secret. The
 * signature is checked over the raw bytes before anything reads them; the body is checked against
 * the contract (GET /ingest/pharmacy/schema.json) and against the prescription it names, all
 * before it is filed; then it is committed raw to the inbox with its import job and acknowledged.
 * 202 accepted (also when the prescription is unknown to this pharmacy: it waits for review), 200
 * a resend, 401 signature, 400 unreadable, 422 against the contract, 409 an event id used for
 * another body or a patient not the prescription's. Nothing the sender sends yields a 5xx: only
 * the hub's own outage does (503, send again).
 */
export function pharmacyRoutes({ orm, webhookSources, maxAheadSeconds }: PharmacyRouteDependencies) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // The signature is over the raw bytes, so the body is read here, not by Fastify.
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.setErrorHandler((error: { statusCode?: number }, _request, response) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) return refuse(response, 503, 'The event could not be stored; send it again');
      if (status === 413) return refuse(response, 413, 'The body is larger than this hub accepts');
      if (status === 415) return refuse(response, 415, 'Send the event as application/json');
      return refuse(response, 400, 'The request could not be read');
    });

    app.get('/ingest/pharmacy/schema.json', async (_request, response) => response.type('application/schema+json').send(deliveryEventSchema));

    app.post<{ Params: { source: string } }>('/ingest/pharmacy/:source', async (request, response) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers[signatureHeaderName];
      // An unknown source is answered as a wrong signature: the URL tells nobody which keys exist.
      const { source, check: signature } = await webhookSources.verify(request.params.source, (secrets) =>
        verifySignature(typeof header === 'string' ? header : undefined, raw, secrets),
      );
      if (!signature.valid) return refuse(response, 401, signature.reason);
      if (!source) return refuse(response, 401, 'Invalid signature');

      const reading = readDeliveryEvent(raw);
      if (reading.refusal?.kind === 'unreadable') return refuse(response, 400, reading.refusal.reason);
      if (reading.refusal?.kind === 'contract') return refuse(response, 422, 'The event breaks the contract', reading.refusal.violations);
      const event = reading.event!;
      if (event.source !== request.params.source) return refuse(response, 422, 'source must equal the source of the URL', [{ path: '/source', message: 'must equal the source of the URL' }]);
      const tooEarly = occurredAtProblem(event.occurredAt, { maxAheadSeconds });
      if (tooEarly) return refuse(response, 422, tooEarly, [{ path: '/occurredAt', message: 'must not be in the future' }]);
      // Decided before the answer; a ref not routed to this pharmacy is unknown (held for review), never "someone else's".
      const em = orm.em.fork();
      const prescription = await routedPrescriptionByRef(em, source.organizationId, event.prescriptionRef);
      if (prescription && !(await namesPrescriptionPatient(em, prescription, event.patient))) {
        return refuse(response, 409, "The patient (MRN and birth date) is not this prescription's patient");
      }

      const acceptance = await ingest.accept(orm.em.fork(), pharmacyDeliveryFormat, source.organizationId, raw, {
        contentType: request.headers['content-type'] ?? 'application/json',
        headers: headersToKeep(request.headers),
      });
      const messageId = acceptance.message.id;
      switch (acceptance.kind) {
        case 'refused':
          return refuse(response, 422, pharmacyDeliveryFormat.reasonOf(acceptance.refusal));
        case 'conflict':
          return refuse(response, 409, 'This eventId was already used for a different body; the first is kept');
        case 'accepted':
          return send(response, 202, { status: 'accepted', messageId });
        case 'duplicate':
          return send(response, 200, { status: 'duplicate', messageId });
      }
    });
  };
}
