import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { AuditWriter } from '../modules/audit/audit-writer';
import type { Withholding } from '../modules/audit/disclosure-ledger';
import type { Logger } from 'pino';
import type { OperationDefinitionNode } from 'graphql';
import type { GraphQLContext } from './context';
import { part2RedisclosureNotice } from '../modules/consent/data-category';

/**
 * Adds one CONSENT_REQUIRED error per patient and category the policy left records out of, so a
 * client never mistakes a filtered list for a complete one.
 */
function reportWithholdings(withholdings: Withholding[], body: GraphQLResponse['body']): void {
  if (withholdings.length === 0 || body.kind !== 'single') return;
  const notices = withholdings.map((withholding) => ({
    message: withholding.count === null ? `Left out: ${withholding.reason}` : `${withholding.count} record(s) withheld: ${withholding.reason}`,
    extensions: {
      code: 'CONSENT_REQUIRED',
      patientId: withholding.patientId,
      categories: withholding.categories,
      ...(withholding.count === null ? {} : { withheld: withholding.count }),
    },
  }));
  body.singleResult.errors = [...(body.singleResult.errors ?? []), ...notices];
}

/** What the audit needs of an answered request: Apollo's request context, or the fast path's equivalent. */
export interface AnsweredRequest {
  contextValue: GraphQLContext;
  operationName?: string | null;
  operation?: OperationDefinitionNode;
  response: GraphQLResponse;
}

/**
 * Writes the request's disclosures as audit rows before the response is sent. If that write
 * fails the data must not leave unaudited: the response is replaced by an error. Apollo's plugin
 * and the fast path (fast-path.ts) both finish every answer with it.
 */
export function auditAnswer(logger: Logger, audit: AuditWriter) {
  return async ({ contextValue, operationName, operation, response }: AnsweredRequest): Promise<void> => {
    const { ledger, user, requestId } = contextValue;
    reportWithholdings(ledger.withholdings, response.body);
    // An answer whose data is null (one refused non-null field nulls it all) disclosed nothing.
    const nothingReturned = response.body.kind === 'single' && response.body.singleResult.data == null;
    if (!user || ledger.size === 0 || nothingReturned) return;
    if (ledger.includesSud && response.body.kind === 'single') {
      response.body.singleResult.extensions = { ...response.body.singleResult.extensions, redisclosureNotice: part2RedisclosureNotice };
    }
    // Operation names have no length limit; the audit column does.
    const operationLabel = `${operation?.operation ?? 'unknown'} ${operationName ?? 'anonymous'}`.slice(0, 200);
    try {
      await ledger.flush((rows) => audit.write(rows), { user, operation: operationLabel, requestId });
    } catch (error) {
      logger.error({ err: error, requestId }, 'audit write failed; response withheld');
      if (response.body.kind === 'single') {
        response.body.singleResult = {
          errors: [{ message: 'The request could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        };
        response.http.status = 500;
      }
    }
  };
}

export function auditPlugin(answered: ReturnType<typeof auditAnswer>): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return { willSendResponse: answered };
    },
  };
}
