import { Role } from '../src/auth/roles';
import { SourceAuthenticator } from '../src/auth/source-authenticator';
import { TokenVerifier } from '../src/auth/jwt';
import { createPublicKey } from 'node:crypto';
import { Membership } from '../src/modules/users/membership.entity';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

/**
 * Ingest sources are authenticated from a cache of a few seconds: a revoked source is refused at
 * the latest that long after the revocation, and a token never outlives its expiry.
 */
let h: Harness;
let world: World;
let clock: number;
let sources: SourceAuthenticator;
const ttlSeconds = 5;

beforeAll(async () => {
  h = await startHarness({ JWT_CLOCK_TOLERANCE_SECONDS: '0', SOURCE_AUTH_CACHE_SECONDS: '1' });
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

beforeEach(() => {
  clock = Date.now();
  const verifier = new TokenVerifier(h.config, createPublicKey(h.privateKey));
  sources = new SourceAuthenticator(h.orm, verifier, ttlSeconds, () => clock);
});

const labMembership = () => ({ user: world.claims[Role.LAB].userId, organization: world.claims[Role.LAB].organizationId!, role: Role.LAB });
const setLabActive = (active: boolean) => h.orm.em.fork().nativeUpdate(Membership, labMembership(), { active });
const asLab = (token: string) => sources.authenticate(`Bearer ${token}`, Role.LAB, 'Only a lab sends results');

it('checks a token once per TTL: a revoked membership is honoured until the TTL ends, and refused from then on', async () => {
  const token = await h.token(world.claims[Role.LAB]);
  const lab = { organizationId: world.claims[Role.LAB].organizationId };
  try {
    expect(await asLab(token)).toEqual(lab);
    await setLabActive(false);
    h.sqlStatements.length = 0;
    clock += ttlSeconds * 1000 - 1;
    expect(await asLab(token)).toEqual(lab);
    expect(h.sqlStatements).toEqual([]);
    clock += 2;
    expect(await asLab(token)).toEqual({ refused: 401, reason: expect.stringContaining('no active user') as string });
  } finally {
    await setLabActive(true);
  }
});

it('keeps no refusal: a source let in again is accepted at once', async () => {
  const token = await h.token(world.claims[Role.LAB]);
  await setLabActive(false);
  try {
    expect(await asLab(token)).toMatchObject({ refused: 401 });
  } finally {
    await setLabActive(true);
  }
  expect(await asLab(token)).toEqual({ organizationId: world.claims[Role.LAB].organizationId });
});

it('checks the role of a trusted token on every message', async () => {
  const token = await h.token(world.claims[Role.LAB]);
  expect(await asLab(token)).toMatchObject({ organizationId: expect.any(String) as string });
  expect(await sources.authenticate(`Bearer ${token}`, Role.PCP, 'Only a primary-care source sends FHIR records')).toEqual({
    refused: 403,
    reason: 'Only a primary-care source sends FHIR records',
  });
});

it('trusts no token past its expiry, however long the TTL', async () => {
  const longLived = new SourceAuthenticator(h.orm, new TokenVerifier(h.config, createPublicKey(h.privateKey)), 300);
  const token = await h.token(world.claims[Role.LAB], '1s');
  expect(await longLived.authenticate(`Bearer ${token}`, Role.LAB, 'labs only')).toMatchObject({ organizationId: expect.any(String) as string });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect(await longLived.authenticate(`Bearer ${token}`, Role.LAB, 'labs only')).toEqual({ refused: 401, reason: 'The token has expired' });
});

it('is what the ingest routes use, with the configured TTL (SOURCE_AUTH_CACHE_SECONDS)', async () => {
  const token = await h.token(world.claims[Role.LAB]);
  const send = async (controlId: string) => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/ingest/hl7',
      headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${token}` },
      payload: `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|20261201120000||ORU^R01|${controlId}|P|2.5.1\rPID|1||L-1^^^REGLAB^MR||Doe^Jo\rOBR|1|O1|F1|2823-3^Potassium^LN|||20261201070000|||||||||||||||20261201080000|||F\rOBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||F`,
    });
    return [response.statusCode, /\rMSA\|([A-Z]{2})\|/.exec(response.body)?.[1]];
  };
  try {
    expect(await send('CACHED-1')).toEqual([200, 'AA']);
    await setLabActive(false);
    expect(await send('CACHED-2')).toEqual([200, 'AA']);
    await new Promise((resolve) => setTimeout(resolve, h.config.SOURCE_AUTH_CACHE_SECONDS * 1000 + 50));
    expect(await send('CACHED-3')).toEqual([401, 'AR']);
  } finally {
    await setLabActive(true);
  }
});
