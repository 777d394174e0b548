import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DemoUser } from '../../src/auth/demo-tokens';
import { Role } from '../../src/auth/roles';
import { Patient } from '../../src/modules/patients/patient.entity';
import { Prescription } from '../../src/modules/medications/prescription.entity';
import { expectAccessible, saveScreenshot, signInAs, startPortal, type Portal } from './browser';

/** The PCP home and the shared patient view, on the demo story: Avery and Jordan consented to share with Maple Street, Riley did not. */
let portal: Portal;
const patientIds: Record<'avery' | 'jordan' | 'riley', string> = { avery: '', jordan: '', riley: '' };

beforeAll(async () => {
  portal = await startPortal();
  const em = portal.harness.orm.em.fork();
  for (const [key, givenName] of [['avery', 'Avery'], ['jordan', 'Jordan'], ['riley', 'Riley']] as const) {
    patientIds[key] = (await em.findOneOrFail(Patient, { givenName })).id;
  }
}, 60_000);

afterAll(async () => {
  await portal?.close();
});

async function openAsPcp(): Promise<Page> {
  const page = await portal.newPage();
  await signInAs(page, 'PCP');
  await page.waitForURL('**/app/pcp');
  return page;
}

test('the PCP lists the consented patients, opens a summary, and is refused an unconsented one with the reason', async () => {
  const page = await openAsPcp();
  const list = page.getByRole('list', { name: 'Consented patients' });
  await list.getByRole('link', { name: 'Jordan Sample' }).waitFor();
  expect(await list.getByRole('link').allInnerTexts()).toEqual(expect.arrayContaining(['Avery Demo', 'Jordan Sample']));
  expect(await list.getByRole('link', { name: 'Riley Example' }).count()).toBe(0);
  await expectAccessible(page);
  await saveScreenshot(page, 'pcp-home', { phone: true });

  // Jordan's consent lists SUD: the buprenorphine shows, with the Part 2 redisclosure notice.
  await list.getByRole('link', { name: 'Jordan Sample' }).click();
  await page.getByRole('heading', { level: 1, name: 'Jordan Sample' }).waitFor();
  await page.getByRole('complementary', { name: '42 CFR Part 2 redisclosure notice' }).waitFor();
  const medications = page.locator('#medications');
  await medications.getByText(/Buprenorphine/).first().waitFor();
  for (const section of ['Problems', 'Medications (reconciled)', 'Dispenses and deliveries', 'Lab trends', 'Assessments over time', 'Crisis plan', 'Referrals']) {
    await page.getByRole('heading', { level: 2, name: section }).waitFor();
  }
  expect(await page.locator('#assessments svg.sparkline').count()).toBeGreaterThan(0);
  await expectAccessible(page);
  await saveScreenshot(page, 'patient-view-pcp', { phone: true });

  // Riley shares nothing with the practice: the page says why, never a blank.
  await page.goto('/app/pcp');
  await page.getByRole('textbox', { name: 'Patient id' }).fill(patientIds.riley);
  await page.getByRole('button', { name: 'Open' }).click();
  const refusal = page.getByRole('alert');
  await refusal.getByText(/No consent in force lets you see DEMOGRAPHICS/).waitFor();
  expect(await refusal.innerText()).toContain('consent needed for demographics');
  await expectAccessible(page);
  await saveScreenshot(page, 'pcp-refused');
}, 120_000);

test("a late MOUD delivery reported delivered updates the PCP's open summary without a reload", async () => {
  const page = await openAsPcp();
  await page.goto(`/app/patients/${patientIds.jordan}`);
  const deliveries = page.locator('#dispenses');
  const lateRow = deliveries.getByRole('row').filter({ hasText: 'delivery shipped' });
  await lateRow.getByText('late').waitFor();
  await page.waitForTimeout(500); // the subscriptions open once the summary is shown

  const em = portal.harness.orm.em.fork();
  const buprenorphine = await em.findOneOrFail(Prescription, { patient: patientIds.jordan, drugName: { $like: 'Buprenorphine%' } });
  const pharmacist = (await (await fetch(`${portal.url}/auth/dev-users`)).json() as { users: DemoUser[] }).users.find((user) => user.role === Role.PHARMACIST)!;
  const reported = await portal.harness.graphql(
    'mutation($id: ID!, $input: DeliveryStatusInput!) { setDeliveryStatus(prescriptionId: $id, input: $input) { delivery { status } } }',
    { id: buprenorphine.id, input: {
        fillNumber: 1,
        status: 'DELIVERED',
        occurredAt: new Date().toISOString(),
        shipment: { carrier: 'Harbor Courier', trackingNumber: 'HC417741' },
        signature: { required: true, obtained: true, method: 'ELECTRONIC', signerName: 'Jordan Sample' },
      } },
    await portal.harness.token(pharmacist),
  );
  expect(reported.errors).toBeUndefined();

  await page.getByRole('status').filter({ hasText: 'Medications, fills and deliveries updated' }).waitFor({ timeout: 20_000 });
  await deliveries.getByRole('row').filter({ hasText: 'delivery delivered' }).filter({ hasText: 'Buprenorphine' }).waitFor();
  expect(await deliveries.getByText('late').count()).toBe(0);
});

test('an IOP clinician opens the same view: the referral in progress, lab trends and the critical result', async () => {
  const page = await portal.newPage();
  await signInAs(page, 'IOP_CLINICIAN');
  await page.goto(`/app/patients/${patientIds.riley}`);
  await page.getByRole('heading', { level: 1, name: 'Riley Example' }).waitFor();
  await page.locator('#referrals li').first().waitFor();
  await page.locator('#critical li').first().waitFor();
  expect(await page.locator('#labs svg.sparkline').count()).toBeGreaterThan(0);
  expect(await page.locator('.withheld').count()).toBe(0);
  await expectAccessible(page);
  await saveScreenshot(page, 'patient-view-iop', { phone: true });
});

test('the PCP sends a FHIR Bundle and sees the hub accept it', async () => {
  const page = await openAsPcp();
  await page.getByLabel('Bundle file (.json)').setInputFiles(join(__dirname, '..', 'fixtures', 'fhir', 'pcp-bundle.json'));
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('status', { name: 'What the hub answered' }).getByText(/^202 — Accepted/).waitFor();
  await page.getByLabel('Bundle file (.json)').setInputFiles(join(__dirname, '..', 'fixtures', 'fhir', 'invalid-bundle.json'));
  await page.getByRole('button', { name: 'Send' }).click();
  const refused = page.getByRole('status', { name: 'What the hub answered' });
  await refused.getByText(/^400 — Refused/).waitFor();
  expect(await refused.locator('li').count()).toBeGreaterThan(0);
  await expectAccessible(page);
  await saveScreenshot(page, 'pcp-fhir-upload');
});
