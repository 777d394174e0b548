import { randomUUID } from 'node:crypto';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { queueNames } from '../src/jobs/queues';
import { adminSessionCookie, adminSessionCookieFor } from '../src/modules/queued-work/queue-dashboard.routes';
import { SetMembershipActiveDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { addStaffMember, seedWorld, type World } from './helpers/world';

/** The queue dashboard (Bull Board) at /admin/queues: IOP admins only, by bearer token or the admin session cookie. */
let h: Harness;
let world: World;
/** Job data only an admin may see: it must never reach anyone else. */
const marker = `enrollment-${randomUUID()}`;
const queuesJson = '/admin/queues/api/queues?activeQueue=notifications&status=latest&page=1&jobsPerPage=10';

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  await h.queues.get('notifications').add('patient.enrolled', { enrollmentId: marker }, { jobId: `dashboard-${randomUUID()}` });
});
afterAll(() => h.close());

const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });
const bearer = async (claims: TokenClaims, expiresIn?: string | number) => ({ authorization: `Bearer ${await h.token(claims, expiresIn)}` });

function expectNothingShown(body: string) {
  expect(body).not.toContain(marker);
  for (const name of queueNames) expect(body).not.toContain(name);
}

it('shows an IOP admin every queue of the project and the jobs in them', async () => {
  const response = await get(queuesJson, await bearer(world.claims[Role.ADMIN]));
  expect(response.statusCode).toBe(200);
  const body = response.json<{ queues: { name: string; readOnlyMode: boolean; jobs: { data: unknown }[] }[] }>();
  expect(body.queues.map((queue) => queue.name).sort()).toEqual([...queueNames].sort());
  expect(body.queues.every((queue) => queue.readOnlyMode)).toBe(true);
  const notifications = body.queues.find((queue) => queue.name === 'notifications');
  expect(notifications?.jobs.map((job) => job.data)).toContainEqual({ enrollmentId: marker });
});

it('serves the page and its files with no external font or CDN, under a self-only CSP', async () => {
  const headers = await bearer(world.claims[Role.ADMIN]);
  const page = await get('/admin/queues', headers);
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  expect(page.body).toContain('<base href="/admin/queues/"');
  expect(page.body).not.toMatch(/https?:\/\//);
  const assets = [...page.body.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((match) => match[1]);
  expect(assets.length).toBeGreaterThan(2);
  for (const asset of assets) expect((await get(`/admin/queues/${asset}`, headers)).statusCode).toBe(200);
});

it('refuses other roles (403), no token and a bad or expired one (401), on the page, the API and static files alike', async () => {
  const page = await get('/admin/queues');
  const asset = /src="(static\/js\/main[^"]+)"/.exec((await get('/admin/queues', await bearer(world.claims[Role.ADMIN]))).body)![1];
  for (const url of ['/admin/queues', '/admin/queues/queue/notifications', queuesJson, `/admin/queues/${asset}`]) {
    for (const role of [Role.PCP, Role.IOP_CLINICIAN, Role.PHARMACIST, Role.PATIENT]) {
      const refused = await get(url, await bearer(world.claims[role]));
      expect(refused.statusCode).toBe(403);
      expectNothingShown(refused.body);
    }
    const anonymous = await get(url);
    expect(anonymous.statusCode).toBe(401);
    expectNothingShown(anonymous.body);
    expect((await get(url, { authorization: 'Bearer not.a.token' })).statusCode).toBe(401);
    const expired = await get(url, await bearer(world.claims[Role.ADMIN], Math.floor(Date.now() / 1000) - 60));
    expect(expired.statusCode).toBe(401);
    expectNothingShown(expired.body);
  }
  expectNothingShown(page.body);
});

it("refuses a partner organization's admin: the hub's queues are worked by IOP admins", async () => {
  const pharmacyAdmin = await addStaffMember(h.orm.em, world.claims[Role.PHARMACIST].organizationId!, Role.ADMIN);
  const refused = await get(queuesJson, await bearer(pharmacyAdmin.claims));
  expect(refused.statusCode).toBe(403);
  expectNothingShown(refused.body);
});

it('refuses an admin from the moment their membership is suspended, on a token it trusted before', async () => {
  const second = await addStaffMember(h.orm.em, world.iopId, Role.ADMIN);
  const headers = await bearer(second.claims);
  expect((await get(queuesJson, headers)).statusCode).toBe(200);
  const suspended = await h.graphql(SetMembershipActiveDocument, { membershipId: second.membershipId, active: false }, await h.token(world.claims[Role.ADMIN]));
  expect(suspended.data?.setMembershipActive.membership.active).toBe(false);
  const started = Date.now();
  let response = await get(queuesJson, headers);
  while (response.statusCode === 200 && Date.now() - started < 1000) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    response = await get(queuesJson, headers);
  }
  expect(response.statusCode).toBe(401);
  expectNothingShown(response.body);
  expect((await get('/admin/queues', await bearer(second.claims))).statusCode).toBe(401);
});

describe('the admin session cookie', () => {
  const cookieOf = (setCookie: string | string[] | undefined) => String(setCookie).split(';')[0];

  it('lets an admin open the dashboard by navigation, and signing out clears it', async () => {
    const signedIn = await h.app.inject({ method: 'POST', url: '/admin/session', headers: await bearer(world.claims[Role.ADMIN]) });
    expect(signedIn.statusCode).toBe(204);
    const setCookie = String(signedIn.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${adminSessionCookie}=[\\w-]+\\.[\\w-]+\\.[\\w-]+;`));
    expect(setCookie).toContain('Path=/admin');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('Secure');
    const cookie = { cookie: `theme=dark; ${cookieOf(setCookie)}` };
    expect((await get('/admin/queues', cookie)).statusCode).toBe(200);
    const json = await get(queuesJson, cookie);
    expect(json.statusCode).toBe(200);
    expect(json.body).toContain(marker);

    const signedOut = await h.app.inject({ method: 'DELETE', url: '/admin/session', headers: cookie });
    expect(signedOut.statusCode).toBe(204);
    expect(String(signedOut.headers['set-cookie'])).toMatch(new RegExp(`^${adminSessionCookie}=; Max-Age=0; Path=/admin`));
    expect((await get('/admin/queues', { cookie: cookieOf(signedOut.headers['set-cookie']) })).statusCode).toBe(401);
  });

  it('is not set for anyone but an IOP admin, and a cookie holding another role’s token opens nothing', async () => {
    const asPcp = await h.app.inject({ method: 'POST', url: '/admin/session', headers: await bearer(world.claims[Role.PCP]) });
    expect(asPcp.statusCode).toBe(403);
    expect(asPcp.headers['set-cookie']).toBeUndefined();
    const anonymous = await h.app.inject({ method: 'POST', url: '/admin/session' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['set-cookie']).toBeUndefined();

    const pcpCookie = { cookie: `${adminSessionCookie}=${await h.token(world.claims[Role.PCP])}` };
    const refused = await get(queuesJson, pcpCookie);
    expect(refused.statusCode).toBe(403);
    expectNothingShown(refused.body);
  });

  it('lasts as long as the token, and is Secure in production', async () => {
    const token = await h.token(world.claims[Role.ADMIN], '10m');
    const now = Date.now();
    expect(adminSessionCookieFor(token, { secure: true, now })).toMatch(/; Max-Age=(599|600); Path=\/admin; HttpOnly; SameSite=Strict; Secure$/);
    expect(adminSessionCookieFor(token, { secure: false, now: now + 3_600_000 })).toContain('Max-Age=0;');
  });
});

it('is read-only: the board changes nothing in the queues (failed jobs are retried through retryFailedJob)', async () => {
  const headers = await bearer(world.claims[Role.ADMIN]);
  const [job] = await h.queues.get('notifications').getJobs(['waiting']);
  const retried = await h.app.inject({ method: 'PUT', url: `/admin/queues/api/queues/notifications/${job.id}/promote`, headers });
  expect(retried.statusCode).toBe(405);
  const emptied = await h.app.inject({ method: 'PUT', url: '/admin/queues/api/queues/notifications/empty', headers });
  expect(emptied.statusCode).toBe(405);
  expect(await h.queues.get('notifications').getJobCounts('waiting')).toEqual({ waiting: 1 });
});
