import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { liveConnection, postGraphQL } from '../api/client';
import { claimsOf, currentToken } from '../auth/token';

function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false;
  }
}

type FetcherResult = ReturnType<GraphiQLProps['fetcher']>;

/**
 * Queries and mutations over POST /graphql, subscriptions over graphql-ws; both with the portal
 * session's token. GraphiQL only shows results as JSON, so the wire's results are given as they are.
 */
const fetcher: GraphiQLProps['fetcher'] = ({ query, variables, operationName }) => {
  const body = { query, variables: variables as Record<string, unknown> | undefined, operationName };
  return isSubscription(query, operationName)
    ? (liveConnection().iterate(body) as unknown as FetcherResult)
    : (postGraphQL(body).catch((error: unknown) => ({ errors: [{ message: error instanceof Error ? error.message : String(error) }] })) as FetcherResult);
};

function SignedInAs() {
  const token = currentToken();
  const claims = token ? claimsOf(token) : null;
  return (
    <p className="graphiql-session">
      {claims ? `Requests carry the portal session's token (${claims.role}).` : 'Not signed in: '}
      {!claims && <a href="/app/">sign in to the portal</a>}
      {!claims && ' and come back, or add an Authorization header below.'}
    </p>
  );
}

const root = document.getElementById('graphiql');
if (!root) throw new Error('graphiql.html has no #graphiql element');
createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={'{\n  me {\n    displayName\n  }\n}\n'}>
      <GraphiQL.Logo>
        CareBridge GraphiQL
        <SignedInAs />
      </GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
