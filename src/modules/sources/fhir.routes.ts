import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../../auth/jwt';
import { authenticateSource } from '../../auth/request-user';
import { Role } from '../../auth/roles';
import { DomainError } from '../../errors';
import { InboxMessage, InboxSource, InboxState } from '../inbox/inbox-message.entity';
import { hasForbiddenControl, readInboundText, usableIdentifier } from '../inbox/inbound-text';
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

/** FHIR forbids control characters in strings (other than tab, CR and LF); JSON can still carry them escaped. */
function controlCharacterIssues(value: unknown, path: string): OperationOutcomeIssue[] {
  if (typeof value === 'string') {
    return hasForbiddenControl(value)
      ? [issue('error', 'invalid', 'A string contains control characters that FHIR does not allow', path)]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((each, index) => controlCharacterIssues(each, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, each]) => controlCharacterIssues(each, `${path}.${key}`));
  }
  return [];
}

/** The Bundle, or the errors that refuse it; decided before anything about earlier Bundles, so no answer hides them. */
function readBundle(raw: Buffer): { bundle: Bundle } | { invalid: OperationOutcomeIssue[] } {
  // FHIR's JSON format is UTF-8 (a byte order mark is allowed and skipped).
  const read = readInboundText(raw, 'utf-8');
  if ('problem' in read) return { invalid: [issue('error', 'structure', read.problem)] };
  const parsed = parseJson(read.text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { invalid: [issue('error', 'structure', 'The body is not a JSON object')] };
  const invalid = [
    ...((parsed as Bundle).resourceType === 'Bundle' ? [] : [issue('error', 'structure', 'Expected a Bundle')]),
    ...controlCharacterIssues(parsed, 'Bundle'),
    ...fhirIssues(parsed).filter((each) => each.severity === 'error' || each.severity === 'fatal'),
  ];
  return invalid.length > 0 ? { invalid } : { bundle: parsed as Bundle };
}

/** The sender's id for a Bundle: `Bundle.identifier`, else `Bundle.id`; usable only when printable and not too long. */
function bundleIdOf(raw: Buffer): string | null {
  const parsed = parseJson(raw.toString('utf8')) as Partial<Bundle> | undefined;
  if (typeof parsed !== 'object' || parsed === null) return null;
  const id: unknown = parsed.identifier?.value ?? parsed.id;
  return typeof id === 'string' ? usableIdentifier(id) : null;
}

const reusedId = 'Bundle id already used for a different Bundle';

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
    app.addContentTypeParser([fhirJson, 'application/json'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.post('/ingest/fhir', async (request, response) => {
      const em = orm.em.fork();
      const source = await authenticateSource(em, verifier, request.headers.authorization, Role.PCP, 'Only a primary-care source sends FHIR records');
      if ('refused' in source) return reply(response, source.refused, [issue('error', source.refused === 401 ? 'login' : 'forbidden', source.reason)]);
      const sourceOrganizationId = source.organizationId;

      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const read = readBundle(raw);
      const bundleId = bundleIdOf(raw);
      const { kind, message } = await inbox.receive(
        em,
        {
          source: InboxSource.FHIR,
          sourceOrganizationId,
          sourceMessageId: bundleId,
          contentType: request.headers['content-type'] ?? fhirJson,
          headers: headersToKeep(request.headers),
          raw,
          charset: 'utf-8',
        },
        // Kept as REJECTED for review when it cannot be used; otherwise imported below.
        (_unit, stored, earlier) => {
          if ('invalid' in read) stored.markRejected(`invalid FHIR: ${read.invalid.length} issue(s)`);
          else if (earlier.accepted) stored.markRejected(reusedId);
        },
      );
      if ('invalid' in read) return reply(response, 400, read.invalid);
      if (message.state === InboxState.REJECTED && message.error === reusedId) {
        return reply(response, 409, [issue('error', 'duplicate', `Bundle id ${String(bundleId)} was already used for a different Bundle`)]);
      }
      if (message.state === InboxState.REJECTED) {
        return reply(response, 400, [issue('error', 'invalid', `This Bundle was already refused: ${message.error ?? 'invalid'}`)]);
      }
      if (kind === 'duplicate' && (message.state === InboxState.PROCESSED || message.state === InboxState.HELD)) {
        return reply(response, 200, [issue('information', 'duplicate', `Bundle already received (${message.state}); nothing changed`)]);
      }
      // A new Bundle, or one stored earlier whose import did not finish (RECEIVED, FAILED): import it now.
      const parsed = read.bundle;

      const setState = async (mark: (stored: InboxMessage) => void) => {
        const fork = orm.em.fork();
        mark(await fork.findOneOrFail(InboxMessage, { id: message.id }));
        await fork.flush();
      };
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
