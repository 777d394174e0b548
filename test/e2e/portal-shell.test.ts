import type { Role } from '../../src/auth/roles';
import { expectAccessible, saveScreenshot, signInAs, portalForThisFile } from './browser';

/** Where each demo role lands after signing in (portal.md); LAB, a system account, has no pages. */
const homes: [`${Role}`, string][] = [
  ['PCP', '/app/pcp'],
  ['PHARMACIST', '/app/pharmacy'],
  ['IOP_CLINICIAN', '/app/iop'],
  ['LOCAL_PROVIDER', '/app/referrals'],
  ['PATIENT', '/app/me'],
  ['ADMIN', '/app/admin'],
  ['LAB', '/app/system-account'],
];

const portal = portalForThisFile();

test('the sign-in page lists the demo users and has no accessibility violation', async () => {
  const page = await portal().newPage();
  await page.goto('/app/');
  await page.getByRole('heading', { name: 'Sign in to CareBridge' }).waitFor();
  const buttons = page.locator('.demo-users button');
  await buttons.first().waitFor();
  expect(await buttons.allInnerTexts()).toEqual(expect.arrayContaining(['PCP (Dr. Morgan Primary, Maple Street Family Medicine)', 'PATIENT (Avery Demo)']));
  await expectAccessible(page);
  await saveScreenshot(page, 'sign-in', { phone: true });
});

test.each(homes)('a %s signs in and lands on their home', async (role, home) => {
  const page = await portal().newPage();
  const user = await signInAs(page, role);
  await page.waitForURL(`**${home}`);
  expect(new URL(page.url()).pathname).toBe(home);
  await expect(page.locator('header .who-name').innerText()).resolves.toBe(user.displayName);
  await page.getByRole('heading', { level: 1 }).waitFor();
});

test('a home page is accessible at desktop and phone width, and signing out ends the session', async () => {
  const page = await portal().newPage({ width: 375 });
  await signInAs(page, 'pcp@maple-fm.example');
  await page.waitForURL('**/app/pcp');
  await expect(page.getByRole('main').innerText()).resolves.toContain('Maple Street Family Medicine');
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to CareBridge' }).waitFor();
  await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
});

test("another role's page says it is not available; an unknown path says there is no page", async () => {
  const page = await portal().newPage();
  await signInAs(page, 'PHARMACIST');
  await page.goto('/app/admin');
  await expect(page.getByRole('alert').innerText()).resolves.toContain('not available to your role');
  await page.goto('/app/no/such/page');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
});

test('no request left the app and no page logged an error', () => {
  expect(portal().offsiteRequests).toEqual([]);
  expect(portal().pageErrors).toEqual([]);
});
