import { Role } from '../src/auth/roles';
import { Organization } from '../src/modules/organizations/organization.entity';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let admin: string;

beforeAll(async () => {
  h = await startHarness({ GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '300', GRAPHQL_MAX_TOKENS: '400', GRAPHQL_MAX_ALIASES: '5' });
  world = await seedWorld(h.orm.em.fork());
  admin = await h.token(world.claims[Role.ADMIN]);
});
afterAll(() => h.close());

function post(payload: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

const createLab = 'mutation { createOrganization(input: { name: "Limit Lab", kind: LAB }) { organization { id } } }';

async function limitLabs(): Promise<number> {
  return h.orm.em.fork().count(Organization, { name: 'Limit Lab' });
}

describe('limits refuse a request before it runs, with HTTP 400 and a clear message', () => {
  it('answers an ordinary query', async () => {
    const response = await post({ query: '{ organizations(first: 10) { totalCount } }' });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.organizations.totalCount).toBe(5);
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      payload: JSON.stringify({ query: createLab, variables: { padding: 'x'.repeat(h.config.BODY_LIMIT_BYTES) } }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    expect(await limitLabs()).toBe(0);
  });

  it('refuses a query deeper than the limit', async () => {
    const deep = `query Deep { patients { edges { node { enrollments { careTeam { user { memberships { organization { id } } } } } } } } }`;
    const response = await post({ query: deep, operationName: 'Deep' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toMatch(/depth limit of 6 exceeded/i);
  });

  it('refuses a query costlier than the limit, counting page sizes', async () => {
    const response = await post({ query: '{ patients(first: 100) { edges { node { id givenName familyName birthDate } } } }' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({
      message: expect.stringMatching(/complexity of \d+ exceeds the limit of 300/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('counts each request\'s own variables: one query text, a small page accepted, a large one refused', async () => {
    const query = 'query Page($first: Int!) { patients(first: $first) { edges { node { id givenName familyName birthDate } } } }';
    for (const [first, status] of [[2, 200], [100, 400], [2, 200], [100, 400]]) {
      const response = await post({ query, variables: { first }, operationName: 'Page' });
      expect([first, response.statusCode]).toEqual([first, status]);
    }
  });

  it('refuses a document with too many tokens', async () => {
    const fields = Array.from({ length: 500 }, () => 'totalCount').join(' ');
    const response = await post({ query: `{ organizations { ${fields} } }` });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({
      message: expect.stringMatching(/more that 400 tokens/),
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: organizations { totalCount }`).join(' ');
    const response = await post({ query: `{ ${aliases} }` });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toMatch(/aliases limit of 5 exceeded/i);
  });

  it('refuses a batch of operations, running none of them', async () => {
    const response = await post([{ query: createLab }, { query: createLab }]);
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/batching/i);
    expect(await limitLabs()).toBe(0);
  });

  it('refuses a body that is not JSON, and a request with no query', async () => {
    const broken = await post('{"query": ');
    expect(broken.statusCode).toBe(400);
    const empty = await post({ variables: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].message).toMatch(/query/);
  });

  it('refuses a syntax error and an unknown field with the GraphQL codes', async () => {
    const syntax = await post({ query: '{ organizations { ' });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await post({ query: '{ organisations { totalCount } }' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('GraphQL over HTTP', () => {
  const query = encodeURIComponent('{ organizations { totalCount } }');

  it('serves a query over GET with a CSRF preflight header, and refuses a simple GET (CSRF prevention)', async () => {
    const simple = await h.app.inject({ method: 'GET', url: `/graphql?query=${query}`, headers: { authorization: `Bearer ${admin}` } });
    expect(simple.statusCode).toBe(400);
    expect(simple.body).toMatch(/CSRF/);
    const preflighted = await h.app.inject({
      method: 'GET',
      url: `/graphql?query=${query}`,
      headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.statusCode).toBe(200);
    expect(preflighted.json().data.organizations.totalCount).toBeGreaterThan(0);
  });

  it('refuses a mutation over GET, changing nothing', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent(createLab)}`,
      headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.statusCode).toBe(405);
    expect(await limitLabs()).toBe(0);
  });

  it('allows introspection outside production', async () => {
    const response = await post({ query: '{ __schema { queryType { name } } }' });
    expect(response.json().data.__schema.queryType.name).toBe('Query');
  });
});

describe('in production', () => {
  let prod: Harness;
  let token: string;

  beforeAll(async () => {
    prod = await startHarness({ NODE_ENV: 'production' });
    const prodWorld = await seedWorld(prod.orm.em.fork());
    token = await prod.token(prodWorld.claims[Role.ADMIN]);
  });
  afterAll(() => prod.close());

  function prodPost(query: string) {
    return prod.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: { query },
    });
  }

  it('refuses introspection and serves no landing page', async () => {
    const introspection = await prodPost('{ __schema { queryType { name } } }');
    expect(introspection.statusCode).toBe(400);
    expect(introspection.body).toMatch(/introspection/i);
    const landing = await prod.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(landing.body).not.toMatch(/<html/i);
  });

  it('masks unexpected errors: no message, no stack, code INTERNAL_SERVER_ERROR; the log keeps no values', async () => {
    // A table the token's check never reads (it reads users, memberships and organizations), so the
    // error is the resolver's whether or not the token is trusted already.
    await prod.orm.em.getConnection().execute('alter table "match_review" rename to "match_review_gone"');
    try {
      const response = await prodPost('{ matchReviews { totalCount } }');
      const error = response.json().errors[0];
      expect(error).toEqual({ message: 'Internal server error', path: ['matchReviews'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(response.body).not.toMatch(/match_review_gone|relation|stack/);
      const logs = prod.logLines.join('');
      expect(logs).toMatch(/unexpected error in a GraphQL operation/);
      expect(logs).not.toMatch(/match_review_gone|does not exist/);
    } finally {
      await prod.orm.em.getConnection().execute('alter table "match_review_gone" rename to "match_review"');
    }
  });

  it('gives no field suggestions that would reveal the schema', async () => {
    const response = await prodPost('{ organisations { totalCount } }');
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toMatch(/Did you mean/);
  });
});
