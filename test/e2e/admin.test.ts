import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../../src/auth/roles';
import { InboxMessage, InboxState } from '../../src/modules/ingest/inbox-message.entity';
import { Membership } from '../../src/modules/users/membership.entity';
import { until } from '../helpers/workers';
import { expectAccessible, saveScreenshot, signInAs, startPortal, type Portal } from './browser';

/** The admin pages: a failed message reprocessed from the portal, the queue dashboard for admins only. */
let portal: Portal;

// Each test takes 5 to 10 s on an idle machine; the margin is for a loaded one.
jest.setTimeout(120_000);

beforeAll(async () => {
  portal = await startPortal({ JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' });
}, 60_000);

afterAll(async () => {
  await portal?.close();
});

/** The lab's lithium result for Avery Demo (named by phone, as the demo story records her). */
const labMessage = readFileSync(join(__dirname, '..', 'fixtures', 'hl7', 'lithium-preliminary.hl7'), 'latin1').replace('LAB-0001', 'LAB-ADMIN-E2E');

async function labToken(): Promise<string> {
  const membership = await portal.harness.orm.em.fork().findOneOrFail(Membership, { role: Role.LAB }, { populate: ['user', 'organization'] });
  return portal.harness.token({ userId: membership.user.id, role: Role.LAB, organizationId: membership.organization.id });
}

const messageState = (id: string) => portal.harness.orm.em.fork().findOneOrFail(InboxMessage, { id }).then((message) => message.state);

test('an admin reprocesses an HL7 message whose import failed for good, once its cause is fixed: the row leaves FAILED', async () => {
  const h = portal.harness;
  const connection = h.orm.em.getConnection();
  // A real failure: the database refuses every new clinical record, so each import attempt fails.
  await connection.execute(`create function refuse_records() returns trigger language plpgsql as $$ begin raise exception 'storage unavailable'; end $$`);
  await connection.execute('create trigger refuse_records before insert on clinical_record for each row execute function refuse_records()');
  let messageId: string;
  try {
    const accepted = await h.app.inject({
      method: 'POST',
      url: '/ingest/hl7',
      headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${await labToken()}` },
      payload: labMessage,
    });
    expect(accepted.body).toContain('MSA|AA|LAB-ADMIN-E2E');
    messageId = (await h.orm.em.fork().findOneOrFail(InboxMessage, { sourceMessageId: 'LAB-ADMIN-E2E' })).id;
    expect(await until(() => messageState(messageId), (state) => state === InboxState.FAILED, 20_000)).toBe(InboxState.FAILED);
  } finally {
    // The cause is fixed.
    await connection.execute('drop trigger if exists refuse_records on clinical_record');
    await connection.execute('drop function if exists refuse_records');
  }

  const page = await portal.newPage();
  await signInAs(page, Role.ADMIN);
  await page.waitForURL('**/app/admin');
  await page.getByRole('link', { name: '1 failed inbound message to reprocess' }).click();
  await page.waitForURL('**/app/admin/failed-messages');
  const row = page.getByRole('row').filter({ hasText: messageId.slice(0, 8) });
  await row.waitFor();
  const rowText = await row.innerText();
  expect(rowText).toContain('HL7 v2 lab result');
  expect(rowText).toMatch(/import failed: /);
  // No PHI on the page: the reason is a code, the message is named by its id.
  expect(await page.getByRole('main').innerText()).not.toMatch(/Avery|Demo|1988|555|Lithium/);
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-failed-messages', { phone: true });

  await row.getByRole('button', { name: `Reprocess message ${messageId.slice(0, 8)}` }).click();
  await page.getByRole('status').filter({ hasText: 'queued for import again' }).waitFor();
  await row.waitFor({ state: 'detached' });
  await page.getByText('No failed messages.').waitFor();
  expect(await until(() => messageState(messageId), (state) => state === InboxState.PROCESSED, 20_000)).toBe(InboxState.PROCESSED);
});

test('an admin opens the queue dashboard from the portal, served with nothing from another site; signing out closes it', async () => {
  const page = await portal.newPage();
  await signInAs(page, Role.ADMIN);
  await page.waitForURL('**/app/admin');
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-home', { phone: true });
  await page.getByRole('button', { name: 'Open the queue dashboard' }).click();
  await page.waitForURL('**/admin/queues');
  await page.getByText('inbound-messages').first().waitFor();
  await page.getByText('referral-letters').first().waitFor();
  await saveScreenshot(page, 'admin-queue-dashboard');
  expect(portal.offsiteRequests).toEqual([]);
  expect(portal.pageErrors.filter((error) => error.includes('/admin/queues'))).toEqual([]);

  await page.goto('/app/admin');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to CareBridge' }).waitFor();
  // The portal ends the dashboard's cookie as it signs out.
  const afterSignOut = await until(() => page.request.get('/admin/queues/api/queues').then((response) => response.status()), (status) => status === 401);
  expect(afterSignOut).toBe(401);
});

test('a non-admin cannot open the queue dashboard, by navigation or with their own token', async () => {
  const page = await portal.newPage();
  await signInAs(page, Role.PCP);
  const navigated = await page.goto('/admin/queues');
  expect(navigated?.status()).toBe(401);
  const withToken = await page.evaluate(async () => {
    const token = sessionStorage.getItem('carebridge.token');
    const session = await fetch('/admin/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const queues = await fetch('/admin/queues/api/queues', { headers: { authorization: `Bearer ${token}` } });
    return { session: session.status, queues: queues.status, body: await queues.text() };
  });
  expect(withToken).toMatchObject({ session: 403, queues: 403 });
  expect(withToken.body).not.toContain('inbound-messages');
  expect((await page.goto('/admin/queues'))?.status()).toBe(401);

  await page.goto('/app/admin');
  await page.getByRole('heading', { name: 'Not available' }).waitFor();
});

test('the organizations, users, source credentials and failed jobs pages, with a new secret shown once', async () => {
  const page = await portal.newPage();
  await signInAs(page, Role.ADMIN);
  await page.goto('/app/admin/organizations');
  await page.getByRole('link', { name: 'Corner Community Pharmacy' }).waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-organizations', { phone: true });

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('cell', { name: 'admin@harbor-iop.example' }).waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-users');

  await page.getByRole('link', { name: 'Source credentials' }).click();
  await page.getByLabel('New source key').fill('corner-pharmacy-e2e');
  await page.getByRole('button', { name: 'Add webhook source' }).click();
  const secret = page.getByLabel('New signing secret of corner-pharmacy-e2e');
  await secret.waitFor();
  const issued = await secret.inputValue();
  expect(issued.length).toBeGreaterThan(20);
  await page.getByRole('heading', { name: 'corner-pharmacy-e2e' }).waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'admin-source-credentials', { phone: true });
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await secret.waitFor({ state: 'detached' });
  expect(await page.content()).not.toContain(issued);

  await page.getByRole('link', { name: 'Failed jobs' }).click();
  await page.getByRole('heading', { name: 'Failed jobs', level: 1 }).waitFor();
  await page.getByText(/^(No failed jobs\.|The latest \d+ failed jobs?)$/).waitFor();
  await expectAccessible(page);
});
