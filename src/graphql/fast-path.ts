import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { execute, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { AnsweredRequest } from './audit-plugin';
import type { GraphQLContext } from './context';
import type { ComplexityCheck } from './limits';

/** A query the full (Apollo) path parsed, validated, limit-checked and answered without an error. */
interface KnownOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's own name, as Apollo resolved it (what the audit row names). */
  operationName: string | null;
}

/** The request body the fast path takes: a single operation, no extensions (persisted queries and the like). */
interface PlainRequest {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
}

/** Distinct query texts remembered; beyond it the oldest make room (a client sends a handful). */
const maxKnownQueries = 500;
/** Distinct Accept headers whose answer's content type is remembered. */
const maxKnownAcceptHeaders = 64;

export interface FastPathDependencies {
  schema: GraphQLSchema;
  /** The same context the Apollo path gets; throwing (a refused token) sends the request to Apollo. */
  context: (request: FastifyRequest) => Promise<GraphQLContext>;
  complexity: ComplexityCheck;
  /** What Apollo's plugins do to an answer before it leaves (the audit write). */
  finishAnswer: (answered: AnsweredRequest) => Promise<void>;
  /** Counts each request by the path that answered it. */
  answeredBy: (path: 'fast' | 'apollo') => void;
}

/**
 * Answers the queries a client sends again and again without Apollo's request pipeline: a POST
 * whose query text (and operation name) the Apollo path has already answered without an error is
 * executed at once on the document Apollo parsed and validated, with the same schema, context,
 * complexity limit, audit and response format. Everything else, and every answer that would carry
 * an error, goes to Apollo, which decides it as it always has: GET, batches, mutations,
 * persisted-query extensions, content types other than JSON (Apollo's CSRF rules), Accept headers
 * not yet seen, documents not yet seen, tokens refused, variables over the cost limit, errors.
 */
export class GraphQLFastPath {
  private readonly known = new Map<string, Map<string | null, KnownOperation>>();
  /** Apollo's content type for an answer, by the request's Accept header (it depends on nothing else). */
  private readonly contentTypes = new Map<string | undefined, string>();

  constructor(private readonly deps: FastPathDependencies) {}

  /** The Apollo plugin through which the fast path learns the queries Apollo answered cleanly. */
  learner(): ApolloServerPlugin<GraphQLContext> {
    return {
      requestDidStart: async ({ request }) => {
        if (request.http?.method !== 'POST' || request.extensions !== undefined || typeof request.query !== 'string') return;
        const query = request.query;
        const requestedName = request.operationName ?? null;
        let failed = false;
        return {
          didEncounterErrors: async () => {
            failed = true;
          },
          willSendResponse: async ({ document, operation, operationName }) => {
            if (failed || !document || operation?.operation !== OperationTypeNode.QUERY) return;
            this.remember(query, requestedName, { document, operation, operationName: operationName ?? null });
          },
        };
      },
    };
  }

  /** Answers the request on the fast path where it is sure, otherwise by `apollo` (the Apollo handler for this request). */
  async respond<Answer>(request: FastifyRequest, reply: FastifyReply, apollo: () => Answer | Promise<Answer>): Promise<Answer | string> {
    const plain = this.takes(request);
    const known = plain && this.known.get(plain.query)?.get(plain.operationName);
    const contentType = this.contentTypes.get(request.headers.accept);
    if (plain && known && contentType !== undefined) {
      const answer = await this.answer(request, reply, plain, known, contentType);
      if (answer !== undefined) {
        this.deps.answeredBy('fast');
        return answer;
      }
    }
    this.deps.answeredBy('apollo');
    const answer = await apollo();
    if (plain && reply.statusCode === 200) this.rememberContentType(request.headers.accept, reply.getHeader('content-type'));
    return answer;
  }

  /** The request as the fast path takes it, or null: a POST of JSON (never a CSRF suspect) with one plain operation. */
  private takes(request: FastifyRequest): PlainRequest | null {
    if (request.method !== 'POST') return null;
    const contentType = request.headers['content-type'];
    if (contentType !== 'application/json' && !contentType?.startsWith('application/json;')) return null;
    const body = request.body as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const { query, operationName, variables } = body;
    for (const key in body) {
      if (key !== 'query' && key !== 'operationName' && key !== 'variables') return null;
    }
    if (typeof query !== 'string') return null;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
    return { query, operationName: operationName ?? null, variables: (variables as Record<string, unknown> | null) ?? undefined };
  }

  /** The answer's body, or undefined when Apollo must answer instead (nothing has been sent). */
  private async answer(request: FastifyRequest, reply: FastifyReply, plain: PlainRequest, known: KnownOperation, contentType: string): Promise<string | undefined> {
    const operationName = plain.operationName ?? undefined;
    if (this.deps.complexity(known.document, operationName, plain.variables ?? {})) return undefined;
    let contextValue: GraphQLContext;
    try {
      contextValue = await this.deps.context(request);
    } catch {
      return undefined;
    }
    const result = await Promise.resolve(execute({ schema: this.deps.schema, document: known.document, contextValue, variableValues: plain.variables, operationName })).catch(() => null);
    if (!result || result.errors) return undefined;
    const response: GraphQLResponse = {
      http: { status: undefined, headers: new HeaderMap() },
      body: { kind: 'single', singleResult: { data: result.data, extensions: result.extensions } },
    };
    await this.deps.finishAnswer({ contextValue, operationName: known.operationName, operation: known.operation, response });
    if (response.body.kind !== 'single') return undefined;
    for (const [name, value] of response.http.headers) void reply.header(name, value);
    if (!response.http.headers.has('content-type')) void reply.header('content-type', contentType);
    void reply.code(response.http.status ?? 200);
    const { errors, data, extensions } = response.body.singleResult;
    // Apollo's serialisation: its field order and trailing newline.
    return `${JSON.stringify({ errors, data, extensions })}\n`;
  }

  private remember(query: string, requestedName: string | null, operation: KnownOperation): void {
    let ofQuery = this.known.get(query);
    if (!ofQuery) {
      if (this.known.size >= maxKnownQueries) this.known.delete(this.known.keys().next().value!);
      this.known.set(query, (ofQuery = new Map<string | null, KnownOperation>()));
    }
    ofQuery.set(requestedName, operation);
  }

  private rememberContentType(accept: string | undefined, contentType: unknown): void {
    if (typeof contentType !== 'string' || this.contentTypes.has(accept)) return;
    if (this.contentTypes.size >= maxKnownAcceptHeaders) return;
    this.contentTypes.set(accept, contentType);
  }
}
