import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { execute, Kind, OperationTypeNode, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { SignedIn } from '../auth/request-user';
import type { AnsweredRequest } from './audit-plugin';
import type { GraphQLContext } from './context';
import type { ComplexityCheck } from './limits';

/** A query the full (Apollo) path parsed, validated, limit-checked and answered without an error. */
interface KnownOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's own name, as Apollo resolved it (what the audit row names). */
  operationName: string | null;
  /** Whether its answer may be given again to the same sign-in (see `answeredFromCredentials`). */
  fromCredentials: boolean;
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

/**
 * The extensions that mark a root query field whose answer is made of the signed-in user's own
 * credentials alone (`me`: the account read with the token's check), so that the same sign-in
 * gets the same answer: `@Extensions(answeredFromCredentials)` on the resolver.
 */
export const answeredFromCredentials = { answeredFromCredentials: true } as const;

/** Answers kept per sign-in, beyond which the oldest make room (a client asks for `me` in a form or two). */
const maxAnswersPerSignIn = 8;

/** Stands for "no credentials sent" where answers are kept by sign-in. */
const anonymous = Object.freeze({});

export interface FastPathDependencies {
  schema: GraphQLSchema;
  /**
   * The request's sign-in as the Apollo path checks it (null: no credentials); throwing (a refused
   * token) sends the request to Apollo. While a token is trusted, the same object each time.
   */
  signIn: (request: FastifyRequest) => Promise<SignedIn | null>;
  /** The same context the Apollo path gets, for that sign-in. */
  context: (request: FastifyRequest, signedIn: SignedIn | null) => GraphQLContext;
  complexity: ComplexityCheck;
  /** What Apollo's plugins do to an answer before it leaves (the audit write). */
  finishAnswer: (answered: AnsweredRequest) => Promise<void>;
  /** Counts each request by the path that answered it (`remembered`: an answer from the credentials sent again). */
  answeredBy: (path: 'fast' | 'remembered' | 'apollo') => void;
}

/**
 * Answers the queries a client sends again and again without Apollo's request pipeline: a POST
 * whose query text (and operation name) the Apollo path has already answered without an error is
 * executed at once on the document Apollo parsed and validated, with the same schema, context,
 * complexity limit, audit and response format. Everything else, and every answer that would carry
 * an error, goes to Apollo, which decides it as it always has: GET, batches, mutations,
 * persisted-query extensions, content types other than JSON (Apollo's CSRF rules), Accept headers
 * not yet seen, documents not yet seen, tokens refused, variables over the cost limit, errors.
 *
 * An operation made only of fields answered from the credentials (`me`, `__typename`), without
 * variables, is answered once per sign-in and that answer is sent again to the same sign-in, if it
 * read nothing from the database and disclosed nothing (no audit row to write). A sign-in is the
 * trusted token's entry (trusted-credentials.ts), which any change to a user, membership or
 * organization withdraws: the next request signs in afresh and is answered afresh.
 */
export class GraphQLFastPath {
  private readonly known = new Map<string, Map<string | null, KnownOperation>>();
  /** Apollo's content type for an answer, by the request's Accept header (it depends on nothing else). */
  private readonly contentTypes = new Map<string | undefined, string>();
  /** Answers given from the credentials, by sign-in (held as long as the sign-in is) and operation. */
  private readonly credentialAnswers = new WeakMap<SignedIn | typeof anonymous, Map<KnownOperation, string>>();

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
            const fromCredentials = this.answeredFromCredentials(operation);
            this.remember(query, requestedName, { document, operation, operationName: operationName ?? null, fromCredentials });
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
        this.deps.answeredBy(answer.remembered ? 'remembered' : 'fast');
        return answer.body;
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

  /** The answer's body (and whether it was remembered), or undefined when Apollo must answer instead (nothing has been sent). */
  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    plain: PlainRequest,
    known: KnownOperation,
    contentType: string,
  ): Promise<{ body: string; remembered: boolean } | undefined> {
    let signedIn: SignedIn | null;
    try {
      signedIn = await this.deps.signIn(request);
    } catch {
      return undefined;
    }
    const answersOfSignIn = known.fromCredentials ? this.credentialAnswers.get(signedIn ?? anonymous) : undefined;
    const given = answersOfSignIn?.get(known);
    if (given !== undefined) {
      void reply.header('content-type', contentType);
      return { body: given, remembered: true };
    }
    const operationName = plain.operationName ?? undefined;
    if (this.deps.complexity(known.document, operationName, plain.variables ?? {})) return undefined;
    const contextValue = this.deps.context(request, signedIn);
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
    const body = `${JSON.stringify({ errors, data, extensions })}\n`;
    const sameForTheSignIn = known.fromCredentials && errors === undefined && response.http.status === undefined && response.http.headers.size === 0
      && !contextValue.entityManagerUsed && contextValue.ledger.size === 0 && contextValue.ledger.withholdings.length === 0;
    if (sameForTheSignIn) this.keepCredentialAnswer(signedIn ?? anonymous, known, body);
    return { body, remembered: false };
  }

  /** Whether `operation` asks only for fields answered from the credentials, with nothing (variables, directives) that could vary. */
  private answeredFromCredentials(operation: OperationDefinitionNode): boolean {
    if (operation.variableDefinitions?.length) return false;
    const rootFields = this.deps.schema.getQueryType()?.getFields() ?? {};
    return operation.selectionSet.selections.every(
      (selection) =>
        selection.kind === Kind.FIELD &&
        !selection.directives?.length &&
        (selection.name.value === '__typename' || rootFields[selection.name.value]?.extensions.answeredFromCredentials === true),
    );
  }

  private keepCredentialAnswer(signIn: SignedIn | typeof anonymous, known: KnownOperation, body: string): void {
    let answers = this.credentialAnswers.get(signIn);
    if (!answers) this.credentialAnswers.set(signIn, (answers = new Map<KnownOperation, string>()));
    if (answers.size >= maxAnswersPerSignIn) answers.delete(answers.keys().next().value!);
    answers.set(known, body);
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
