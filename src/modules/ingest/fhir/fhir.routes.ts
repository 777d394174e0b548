import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { Role } from '../../../auth/roles';
import { isUuid } from '../../../db/find';
import { fhirBundleFormat } from './bundle.format';
import { InboxMessage, InboxSource, InboxState } from '../inbox-message.entity';
import { headersToKeep, type FiledMessage } from '../inbox.service';
import { IngestService, refusedOnReceipt, type IngestDependencies } from '../ingest.service';
import { issue, operationOutcome } from './fhir-validation';

const fhirJson = 'application/fhir+json';

function reply(response: FastifyReply, status: number, issues: OperationOutcomeIssue[], message?: Pick<FiledMessage, 'id'>) {
  // Where the sender reads what became of the Bundle (it is imported after this answer).
  if (message) response.header('content-location', `/ingest/fhir/messages/${message.id}`);
  return response.code(status).type(fhirJson).send(operationOutcome(issues));
}

/**
 * What the sender reads of a stored Bundle. Whether its patient is known here decides whether it
 * is imported or held for review, and a program may not acknowledge that a patient is in it
 * (42 CFR §2.13(c)): so once read, an accepted Bundle reads the same whatever became of it
 * (imported, held, linked or rejected in review), with the notes its content alone gives. Only a
 * refusal on receipt, which the sender was told of then, and a failure of the hub's own, differ.
 */
export function outcomeOf(message: Pick<FiledMessage, 'state' | 'notes' | 'error'>, wasRefusedOnReceipt = false): OperationOutcomeIssue[] {
  const notes = (message.notes ?? []).map((note) => issue(note.severity, note.code as OperationOutcomeIssue['code'], note.text, note.expression));
  if (wasRefusedOnReceipt) return [issue('error', 'invalid', message.error ?? 'Refused')];
  switch (message.state) {
    case InboxState.RECEIVED:
      return [issue('information', 'informational', 'Accepted; waiting to be read')];
    case InboxState.FAILED:
      return [issue('error', 'exception', 'Accepted, but reading it failed; it will be reprocessed once the cause is fixed')];
    case InboxState.HELD:
    case InboxState.PROCESSED:
    case InboxState.REJECTED:
      return [issue('information', 'informational', "Accepted and read; its records are filed under the patient it names once the hub is certain who that is"), ...notes];
  }
}

/**
 * POST /ingest/fhir: a primary-care source sends a FHIR R4 Bundle about one patient. It is
 * validated, committed raw with its import job, and answered: 202 accepted (the import follows in
 * the worker; `Content-Location` names where to read its outcome), 200 for an identical resend
 * already dealt with, 400 invalid (kept as REJECTED), 409 for a Bundle id already used for other
 * content. GET /ingest/fhir/messages/:id tells the sender what became of a Bundle.
 */
export function fhirRoutes({ orm, sources }: IngestDependencies) {
  const ingest = new IngestService();

  return async function routes(app: FastifyInstance): Promise<void> {
    // The raw bytes are what the inbox keeps, so the body is read here, not by Fastify.
    app.addContentTypeParser([fhirJson, 'application/json'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    // A sender is answered with an OperationOutcome whatever went wrong, never with the input.
    app.setErrorHandler((error: { statusCode?: number }, _request, response) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) return reply(response, 503, [issue('error', 'transient', 'The Bundle could not be stored; send it again')]);
      if (status === 413) return reply(response, 413, [issue('error', 'too-long', 'The Bundle is larger than this hub accepts')]);
      if (status === 415) return reply(response, 415, [issue('error', 'not-supported', 'Send the Bundle as application/fhir+json')]);
      return reply(response, status, [issue('error', 'invalid', 'The request could not be read')]);
    });

    const authenticate = (authorization: string | undefined) => sources.authenticate(authorization, Role.PCP, 'Only a primary-care source sends FHIR records');

    app.post('/ingest/fhir', async (request, response) => {
      const source = await authenticate(request.headers.authorization);
      if ('refused' in source) return reply(response, source.refused, [issue('error', source.refused === 401 ? 'login' : 'forbidden', source.reason)]);
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const acceptance = await ingest.accept(orm.em.fork(), fhirBundleFormat, source.organizationId, raw, {
        contentType: request.headers['content-type'] ?? fhirJson,
        headers: headersToKeep(request.headers),
      });
      const { message } = acceptance;
      switch (acceptance.kind) {
        case 'refused':
          return reply(response, 400, acceptance.refusal, message);
        case 'conflict':
          return reply(response, 409, [issue('error', 'duplicate', 'The Bundle id was already used for a different Bundle')], message);
        case 'accepted':
          return reply(response, 202, outcomeOf(message), message);
        case 'duplicate':
          // Accepted before (a refused one is refused again): answered alike whatever became of it since.
          return reply(response, 200, [issue('information', 'duplicate', 'This Bundle was received before; nothing changed'), ...outcomeOf(message)], message);
      }
    });

    app.get<{ Params: { id: string } }>('/ingest/fhir/messages/:id', async (request, response) => {
      const source = await authenticate(request.headers.authorization);
      if ('refused' in source) return reply(response, source.refused, [issue('error', source.refused === 401 ? 'login' : 'forbidden', source.reason)]);
      const message = isUuid(request.params.id)
        ? await orm.em.fork().findOne(InboxMessage, { id: request.params.id, source: InboxSource.FHIR, sourceOrganizationId: source.organizationId })
        : null;
      // Another sender's Bundle is answered like one that does not exist.
      if (!message) return reply(response, 404, [issue('error', 'not-found', 'No Bundle of yours has this id')]);
      return reply(response, 200, outcomeOf(message, refusedOnReceipt(fhirBundleFormat, message)), message);
    });
  };
}
