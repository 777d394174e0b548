import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql';
import { currentToken, storeToken } from '../auth/token';

/** The error codes the API puts in `extensions.code` (DESIGN.md, GraphQL conventions), and the transport's own. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONSENT_REQUIRED'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR'
  | (string & {});

export interface WireError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** A GraphQL error as the portal sees it: its code, message, where it applies, and the rest of its extensions. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly path: readonly (string | number)[];
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(error: WireError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
    this.path = error.path ?? [];
    this.extensions = error.extensions ?? {};
  }

  /** Data categories a CONSENT_REQUIRED error says are missing a consent. */
  get categories(): readonly string[] {
    const categories = this.extensions.categories;
    return Array.isArray(categories) ? categories.filter((category): category is string => typeof category === 'string') : [];
  }
}

/**
 * An answer with data. `errors` are the parts left out (e.g. CONSENT_REQUIRED for a category no
 * consent covers, with the reason to show); `redisclosureNotice` is set when the answer holds
 * 42 CFR Part 2 (SUD) data and must be shown with it.
 */
export interface Answer<TResult> {
  data: TResult;
  errors: readonly ApiError[];
  redisclosureNotice: string | null;
}

export interface WireAnswer<TResult> {
  data?: TResult | null;
  errors?: WireError[];
  extensions?: Record<string, unknown>;
}

function noticeOf(extensions: Record<string, unknown> | undefined): string | null {
  return typeof extensions?.redisclosureNotice === 'string' ? extensions.redisclosureNotice : null;
}

/** An expired or withdrawn token ends the session: the portal shows the sign-in page again. */
function endSessionOn(errors: readonly ApiError[]): void {
  if (errors.some((error) => error.code === 'UNAUTHENTICATED') && currentToken()) storeToken(null);
}

/** The JSON body a GraphQL request sends. */
export interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * POSTs a GraphQL request to /graphql with the session's bearer token and returns the response
 * as sent (GraphiQL shows it raw; `request` types it). Throws NETWORK_ERROR when the server could
 * not be reached or did not answer with JSON.
 */
export async function postGraphQL<TResult = unknown>(body: GraphQLRequestBody): Promise<WireAnswer<TResult>> {
  const token = currentToken();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ message: 'The server could not be reached', extensions: { code: 'NETWORK_ERROR' } });
  }
  try {
    return (await response.json()) as WireAnswer<TResult>;
  } catch {
    throw new ApiError({ message: `The server answered ${response.status} without a GraphQL result`, extensions: { code: 'NETWORK_ERROR' } });
  }
}

/**
 * Runs a query or mutation (POST /graphql with the session's bearer token). Throws ApiError when
 * the API returns no data (the first error), or NETWORK_ERROR when it could not be reached.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [variables?: TVariables] : [variables: TVariables]
): Promise<Answer<TResult>> {
  const body = await postGraphQL<TResult>({ query: document.toString(), variables: variables ?? {} });
  const errors = (body.errors ?? []).map((error) => new ApiError(error));
  endSessionOn(errors);
  if (body.data == null) throw errors[0] ?? new ApiError({ message: 'The server answered without data' });
  return { data: body.data, errors, redisclosureNotice: noticeOf(body.extensions) };
}

let liveClient: { token: string | null; client: Client } | null = null;

/** The graphql-ws connection for the session's token (one per token, opened on first use). */
export function liveConnection(): Client {
  const token = currentToken();
  if (liveClient?.token === token) return liveClient.client;
  void liveClient?.client.dispose();
  const url = new URL('/graphql/subscriptions', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({ url: url.toString(), connectionParams: token ? { authorization: `Bearer ${token}` } : {}, lazy: true });
  liveClient = { token, client };
  return client;
}

/**
 * Subscribes (graphql-ws on /graphql/subscriptions, the session's token in connectionParams);
 * `onData` gets every event. Returns the function that ends the subscription.
 */
export function subscribe<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  onData: (answer: Answer<TResult>) => void,
  onError: (error: ApiError) => void = () => undefined,
): () => void {
  return liveConnection().subscribe<TResult>(
    { query: document.toString(), variables: variables ?? {} },
    {
      next: (result) => {
        const errors = (result.errors ?? []).map((error) => new ApiError(error as WireError));
        if (result.data == null) onError(errors[0] ?? new ApiError({ message: 'The event had no data' }));
        else onData({ data: result.data, errors, redisclosureNotice: noticeOf(result.extensions as Record<string, unknown> | undefined) });
      },
      error: (error) => onError(new ApiError({ message: error instanceof Error ? error.message : 'The live connection closed', extensions: { code: 'NETWORK_ERROR' } })),
      complete: () => undefined,
    },
  );
}
