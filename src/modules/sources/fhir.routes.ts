import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../../auth/jwt';
import { authenticateSource } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { DomainError } from '../../errors';
import { InboxMessage, InboxSource, InboxState } from '../inbox/inbox-message.entity';
import { headersToKeep, InboxService } from '../inbox/inbox.service';
import { FhirImportService } from './fhir-import.service';
import { fhirIssues, issue, operationOutcome } from './fhir-validation';

export interface IngestDependencies {
  orm: MikroORM;
  verifier: TokenVerifier;
  logger: Logger;
}

const fhirJson = 'application/fhir+json';

function reply(response: FastifyReply, status: number, issues: OperationOutcomeIssue[]) {
  return response.code(status).type(fhirJson).send(operationOutcome(issues));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * POST /ingest/fhir: a primary-care source sends a FHIR R4 Bundle about one patient. The raw body
 * is committed to the inbox before anything else; the answer is an OperationOutcome: 200 when
 * imported, 202 when held for patient review, 400 when invalid (kept as REJECTED for review).
 */
export function fhirRoutes({ orm, verifier, logger }: IngestDependencies) {
  const inbox = new InboxService();
  const importer = new FhirImportService();

  return async function routes(app: FastifyInstance): Promise<void> {
    // The raw text is what the inbox keeps, so the body is parsed here, not by Fastify.
    app.addContentTypeParser([fhirJson, 'application/json'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.post('/ingest/fhir', async (request, response) => {
      const em = orm.em.fork();
      const source = await authenticateSource(em, verifier, request.headers.authorization, Role.PCP, 'Only a primary-care source sends FHIR records');
      if ('refused' in source) return reply(response, source.refused, [issue('error', source.refused === 401 ? 'login' : 'forbidden', source.reason)]);
      const sourceOrganizationId = source.organizationId;

      const body = typeof request.body === 'string' ? request.body : '';
      const parsed = parseJson(body) as Bundle | undefined;
      const bundleId = typeof parsed === 'object' && parsed !== null ? (parsed.identifier?.value ?? parsed.id ?? null) : null;
      const { message, duplicate } = await inbox.receive(em, {
        source: InboxSource.FHIR,
        sourceOrganizationId,
        sourceMessageId: typeof bundleId === 'string' ? bundleId.slice(0, 200) : null,
        contentType: request.headers['content-type'] ?? fhirJson,
        headers: headersToKeep(request.headers),
        body,
      });
      if (duplicate && message.body !== body) {
        return reply(response, 409, [issue('error', 'duplicate', `Bundle id ${String(bundleId)} was already used for a different Bundle`)]);
      }
      if (duplicate && message.state === InboxState.REJECTED) {
        return reply(response, 400, [issue('error', 'invalid', `This Bundle was already refused: ${message.error ?? 'invalid'}`)]);
      }
      if (duplicate && (message.state === InboxState.PROCESSED || message.state === InboxState.HELD)) {
        return reply(response, 200, [issue('information', 'duplicate', `Bundle already received (${message.state}); nothing changed`)]);
      }
      // A new Bundle, or one stored earlier whose import did not finish (RECEIVED, FAILED): import it now.

      const setState = async (mark: (stored: InboxMessage) => void) => {
        const fork = orm.em.fork();
        mark(await fork.findOneOrFail(InboxMessage, { id: message.id }));
        await fork.flush();
      };
      if (typeof parsed !== 'object' || parsed === null) {
        await setState((stored) => stored.markRejected('body is not a JSON object'));
        return reply(response, 400, [issue('error', 'structure', 'The body is not a JSON object')]);
      }
      const invalid = [
        ...(parsed.resourceType === 'Bundle' ? [] : [issue('error', 'structure', 'Expected a Bundle')]),
        ...fhirIssues(parsed).filter((each) => each.severity === 'error' || each.severity === 'fatal'),
      ];
      if (invalid.length > 0) {
        await setState((stored) => stored.markRejected(`invalid FHIR: ${invalid.length} issue(s)`));
        return reply(response, 400, invalid);
      }

      try {
        const result = await importer.import(orm.em.fork(), sourceOrganizationId, message.id, parsed);
        if (result.status === 'HELD') return reply(response, 202, result.issues);
        if (result.status === 'ALREADY_DONE') return reply(response, 200, result.issues);
        const summary = issue('information', 'informational', `Imported ${result.created} record(s); ${result.unchanged} already known`);
        return reply(response, 200, [summary, ...result.issues]);
      } catch (error) {
        if (error instanceof DomainError) {
          await setState((stored) => stored.markRejected(error.message));
          return reply(response, 400, [issue('error', 'invalid', error.message)]);
        }
        logger.error({ err: error, inboxMessageId: message.id }, 'FHIR import failed');
        await setState((stored) => stored.markFailed('import failed; see the log'));
        return reply(response, 500, [issue('error', 'exception', 'The Bundle was stored but could not be imported; it will be reviewed')]);
      }
    });
  };
}
