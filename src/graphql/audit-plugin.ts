import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GraphQLContext } from './context';

/**
 * Writes the request's disclosures as audit rows before the response is sent. If that write
 * fails the data must not leave unaudited: the response is replaced by an error.
 */
export function auditPlugin(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, operation, response }) {
          const { disclosures, user, em, requestId } = contextValue;
          if (!user || disclosures.size === 0) return;
          // Operation names have no length limit; the audit column does.
          const operationLabel = `${operation?.operation ?? 'unknown'} ${operationName ?? 'anonymous'}`.slice(0, 200);
          try {
            await disclosures.flush(em, { user, operation: operationLabel, requestId });
          } catch (error) {
            logger.error({ err: error, requestId }, 'audit write failed; response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The request could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
              };
              response.http.status = 500;
            }
          }
        },
      };
    },
  };
}
