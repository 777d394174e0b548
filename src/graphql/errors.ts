import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { Logger } from 'pino';
import { DomainError } from '../errors';

/** Codes a client may see; anything else is an internal error whose details stay in the log. */
const clientCodes = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'CONSENT_REQUIRED', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
]);

const httpStatusOf: Partial<Record<string, number>> = { UNAUTHENTICATED: 401 };

interface ValidationFailure {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationFailure[];
}

/** class-validator's tree of failures as a flat list of `{ field: 'a.b', constraints }`. */
function flattenValidationErrors(failures: ValidationFailure[], prefix = ''): { field: string; constraints: Record<string, string> }[] {
  return failures.flatMap((failure) => {
    const field = prefix ? `${prefix}.${failure.property}` : failure.property;
    const own = failure.constraints ? [{ field, constraints: failure.constraints }] : [];
    return [...own, ...flattenValidationErrors(failure.children ?? [], field)];
  });
}

/** Turns a service error thrown before execution (e.g. while authenticating) into a GraphQL error. */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, ...error.details, http: { status: httpStatusOf[error.code] ?? 400 } },
  });
}

/**
 * Apollo's `formatError`: service errors keep their code and message, validation errors become
 * BAD_USER_INPUT with the failed constraints; anything unexpected is logged and, in production,
 * replaced by a bare INTERNAL_SERVER_ERROR (no message, no stack).
 */
export function createErrorFormatter(logger: Logger, isProduction: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...original.details },
      };
    }
    if (original instanceof ArgumentValidationError) {
      return {
        message: 'The input is not valid',
        path: formatted.path,
        locations: formatted.locations,
        extensions: {
          code: 'BAD_USER_INPUT',
          invalid: flattenValidationErrors(original.extensions.validationErrors),
        },
      };
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
    if (clientCodes.has(code)) return formatted;
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
    if (!isProduction) return formatted;
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
