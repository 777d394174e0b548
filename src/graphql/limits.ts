import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, type GraphQLSchema } from 'graphql';
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

/** Complexities kept per parsed document (Apollo reuses one document per query text), by operation and variables. */
const complexitiesPerDocument = 64;

/**
 * The complexity limit's verdict on a document with a request's variables: the error to refuse it
 * with, or null. Variables that do not coerce get null: execution refuses them next, as
 * BAD_USER_INPUT, before any resolver runs. Apollo's plugin below and the fast path share it.
 */
export type ComplexityCheck = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>) => GraphQLError | null;

export function complexityCheck(schema: GraphQLSchema, maxComplexity: number): ComplexityCheck {
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  const complexityOf = (document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number => {
    const key = JSON.stringify([operationName ?? null, variables]);
    let ofDocument = known.get(document);
    if (!ofDocument) known.set(document, (ofDocument = new Map<string, number>()));
    const cached = ofDocument.get(key);
    if (cached !== undefined) return cached;
    const complexity = getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
    if (ofDocument.size >= complexitiesPerDocument) ofDocument.delete(ofDocument.keys().next().value!);
    ofDocument.set(key, complexity);
    return complexity;
  };
  return (document, operationName, variables) => {
    let complexity: number;
    try {
      complexity = complexityOf(document, operationName, variables);
    } catch {
      return null;
    }
    if (complexity <= maxComplexity) return null;
    return new GraphQLError(`Query complexity of ${complexity} exceeds the limit of ${maxComplexity}`, {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', complexity, limit: maxComplexity, http: { status: 400 } },
    });
  };
}

export function complexityLimit(check: ComplexityCheck): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const refusal = check(document, request.operationName ?? undefined, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}
