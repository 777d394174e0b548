import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { Config } from '../config';

export type LimitSettings = Pick<
  Config,
  'GRAPHQL_MAX_DEPTH' | 'GRAPHQL_MAX_COMPLEXITY' | 'GRAPHQL_MAX_ALIASES' | 'GRAPHQL_MAX_DIRECTIVES' | 'isProduction'
>;

/**
 * Refuses expensive operations before they run. graphql-armor handles depth, aliases and
 * directives (HTTP 400, GRAPHQL_VALIDATION_FAILED); its cost limit ignores type-graphql's
 * `complexity`, so cost is measured by graphql-query-complexity in `complexityLimit` below. The
 * token limit is Apollo's own `parseOptions.maxTokens` (armor's throws during parsing: HTTP 500).
 */
export function armorProtection(settings: LimitSettings) {
  return new ApolloArmor({
    maxDepth: { n: settings.GRAPHQL_MAX_DEPTH },
    maxAliases: { n: settings.GRAPHQL_MAX_ALIASES },
    maxDirectives: { n: settings.GRAPHQL_MAX_DIRECTIVES },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: settings.isProduction },
  }).protect();
}

export function complexityLimit(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that do not coerce: execution refuses them next, as BAD_USER_INPUT, before any resolver runs.
            return;
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(`Query complexity of ${complexity} exceeds the limit of ${maxComplexity}`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', complexity, limit: maxComplexity, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
