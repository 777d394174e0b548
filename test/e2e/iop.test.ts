import { Role } from '../../src/auth/roles';
import { listDemoUsers } from '../../src/auth/demo-tokens';
import { CriticalAlert } from '../../src/modules/labs/critical-alert.entity';
import { MedicationAlert } from '../../src/modules/pharmacy/medication-alert.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { lithium, sendHl7Message } from '../helpers/ingest';
import { until } from '../helpers/workers';
import { expectAccessible, saveScreenshot, signInAs, startPortal, type Portal } from './browser';

// The IOP staff's pages: critical results (live, acknowledged), notifications that open their
// subject, consents and medication reconciliation, on the demo story.
let portal: Portal;
const prescriber = 'prescriber@harbor-iop.example';

beforeAll(async () => {
  portal = await startPortal();
}, 60_000);
afterAll(async () => {
  await portal?.close();
});

const alertsSection = (page: import('playwright-core').Page) => page.locator('section[aria-labelledby="critical-alerts-title"]');

test('a critical result appears on the dashboard as it arrives, its notification opens it, and it is acknowledged', async () => {
  const page = await portal.newPage();
  await signInAs(page, prescriber);
  await page.waitForURL('**/app/iop');
  await page.getByRole('heading', { name: 'My patients' }).waitFor();
  await alertsSection(page).getByText(/No critical result|Acknowledge/).first().waitFor();
  await expect(alertsSection(page).getByText('Avery Demo').count()).resolves.toBe(0);

  // The lab's result for Avery (the README's HL7 example: the demo patient's name, birth date, phone and postal code match).
  const lab = (await listDemoUsers(portal.harness.orm.em.fork())).find((user) => user.role === Role.LAB)!;
  const { ack } = await sendHl7Message(portal.harness, await portal.harness.token(lab), lithium('E2E-CRIT-1', '1.9', 'HH'));
  expect(ack).toBe('AA');
  const avery = await portal.harness.orm.em.fork().findOneOrFail(Patient, { givenName: 'Avery', familyName: 'Demo' });
  const [alert] = await until(() => portal.harness.orm.em.fork().find(CriticalAlert, { patient: avery.id }), (alerts) => alerts.length === 1);

  // Live: the card appears without reloading the page.
  const card = alertsSection(page).locator(`[data-alert-id="${alert.id}"]`);
  await card.waitFor({ timeout: 15_000 });
  await expect(card.innerText()).resolves.toMatch(/Lithium.*1\.9 mmol\/L \(HH\)/s);
  await expect(card.innerText()).resolves.toContain('Avery Demo');

  // The prescriber's notification opens the alert itself.
  const notifications = page.locator('section[aria-labelledby="notifications-title"]');
  const opened = await until(
    async () => {
      await page.reload();
      await notifications.getByRole('link').first().waitFor();
      return notifications.getByRole('link', { name: 'Open critical: result' }).count();
    },
    (count) => count > 0,
  );
  expect(opened).toBeGreaterThan(0);
  await expectAccessible(page);
  await saveScreenshot(page, 'iop-home', { phone: true });
  await notifications.getByRole('link', { name: 'Open critical: result' }).first().click();
  await page.waitForURL(`**/app/iop/alerts/${alert.id}`);
  await page.getByRole('heading', { name: 'Critical lab result' }).waitFor();
  await page.getByRole('button', { name: /^Acknowledge/ }).waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'iop-alert', { phone: true });

  await page.getByRole('button', { name: /^Acknowledge/ }).click();
  await page.getByText(/^Acknowledged /).waitFor();
  await expect(portal.harness.orm.em.fork().findOneOrFail(CriticalAlert, { id: alert.id })).resolves.toMatchObject({ status: 'ACKNOWLEDGED' });

  // Acknowledged, it leaves the dashboard's list.
  await page.goto('/app/iop');
  await page.getByRole('heading', { name: 'My patients' }).waitFor();
  await alertsSection(page).getByText(/No critical result|Acknowledge/).first().waitFor();
  await expect(alertsSection(page).locator(`[data-alert-id="${alert.id}"]`).count()).resolves.toBe(0);
  expect(portal.pageErrors).toEqual([]);
  expect(portal.offsiteRequests).toEqual([]);
}, 60_000);

test("requests a consent and sees its state; the patient's medication reconciliation opens", async () => {
  const page = await portal.newPage({ width: 375 });
  await signInAs(page, prescriber);
  await page.waitForURL('**/app/iop');
  const avery = page.getByRole('list', { name: 'Actions for Avery Demo' });
  await avery.getByRole('link', { name: 'Consents' }).click();
  await page.getByRole('heading', { name: 'Consents of Avery Demo' }).waitFor();
  const before = await page.locator('.consents > li').count();

  await page.getByLabel('Share with').selectOption({ label: 'Downtown Behavioral Health Clinic (local provider)' });
  await page.getByLabel(/substance use disorder/).check();
  await page.getByRole('button', { name: 'Request consent' }).click();
  await page.getByRole('status').getByText('Consent requested').waitFor();
  await page.locator('.consents > li').nth(before).waitFor();
  const newest = page.locator('.consents > li').first();
  await expect(newest.innerText()).resolves.toMatch(/requested, awaiting the patient’s signature[\s\S]*Downtown Behavioral Health Clinic: demographics, diagnoses, medications, substance use disorder/);
  await expectAccessible(page);
  await saveScreenshot(page, 'iop-consents-375');

  await page.goto('/app/iop');
  await avery.getByRole('link', { name: /Medication reconciliation/ }).click();
  await page.getByRole('heading', { name: 'Medication reconciliation: Avery Demo' }).waitFor();
  await page.locator('.cards > li').first().waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'iop-medications-375');
  expect(portal.pageErrors).toEqual([]);
}, 60_000);

test("the late MOUD delivery's notification opens its medication alert, which the prescriber acknowledges", async () => {
  const page = await portal.newPage();
  await signInAs(page, prescriber);
  await page.waitForURL('**/app/iop');
  const notifications = page.locator('section[aria-labelledby="notifications-title"]');
  const openAlert = notifications.getByRole('link', { name: 'Open medication: alert' }).first();
  await openAlert.waitFor();
  await openAlert.click();
  await page.waitForURL('**/app/iop/medication-alerts/*');
  await page.getByRole('heading', { name: 'Medication alert' }).waitFor();
  const alertId = page.url().split('/').pop()!;
  const card = page.locator(`[data-medication-alert-id="${alertId}"]`);
  await expect(card.innerText()).resolves.toMatch(/Delivery late \(Urgent\)/);
  await expectAccessible(page);
  await saveScreenshot(page, 'iop-medication-alert');

  await card.getByRole('button', { name: 'Acknowledge' }).click();
  await card.getByText(/^Acknowledged /).waitFor();
  await expect(portal.harness.orm.em.fork().findOneOrFail(MedicationAlert, { id: alertId })).resolves.toMatchObject({ acknowledgedAt: expect.any(Date) });
  // The patient it is about opens from the alert.
  await card.getByRole('link', { name: 'Open the patient' }).click();
  await page.waitForURL('**/app/patients/*');
  expect(portal.pageErrors).toEqual([]);
}, 60_000);
