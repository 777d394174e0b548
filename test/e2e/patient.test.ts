import { readFileSync } from 'node:fs';
import { Patient } from '../../src/modules/patients/patient.entity';
import { expectAccessible, saveScreenshot, signInAs, startPortal, type Portal } from './browser';

/** The patient's page on the demo story: Avery (the first demo patient) shares the summary with Maple Street and has a request from the local clinic waiting. */
let portal: Portal;
let averyId: string;

beforeAll(async () => {
  portal = await startPortal();
  averyId = (await portal.harness.orm.em.fork().findOneOrFail(Patient, { givenName: 'Avery' })).id;
}, 60_000);

afterAll(async () => {
  await portal?.close();
});

test('a patient reads the form and signs, sees who read the record, revokes a consent, and the PCP loses access', async () => {
  // The practice reads Avery's summary first: a disclosure Avery will see.
  const pcp = await portal.newPage();
  await signInAs(pcp, 'PCP');
  await pcp.goto(`/app/patients/${averyId}`);
  await pcp.getByRole('heading', { level: 1, name: 'Avery Demo' }).waitFor();

  const page = await portal.newPage();
  await signInAs(page, 'PATIENT');
  await page.waitForURL('**/app/me');
  const pending = page.getByRole('region', { name: 'Consents waiting for you' });
  const request = pending.getByRole('article').first();
  await request.waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'patient-consents', { phone: true });

  // Signing needs the form read first; the worker renders it shortly after the request.
  const sign = request.getByRole('button', { name: 'Sign' });
  await request.getByLabel('Type your full name to sign').fill('Avery Demo');
  await request.getByRole('checkbox').check();
  expect(await sign.isDisabled()).toBe(true);
  const formLink = request.getByRole('link', { name: 'Open the consent form (PDF)' });
  for (let attempt = 0; attempt < 20 && !(await formLink.isVisible()); attempt++) {
    await request.getByRole('button', { name: /Read the consent form/ }).click();
    await formLink.or(request.getByText('The form is still being prepared')).first().waitFor();
    if (!(await formLink.isVisible())) await page.waitForTimeout(500);
  }
  expect(await formLink.getAttribute('href')).toMatch(/^blob:/);
  const [download] = await Promise.all([page.waitForEvent('download'), formLink.click()]);
  expect(download.suggestedFilename()).toBe('consent-form.pdf');
  expect(readFileSync(await download.path()).subarray(0, 5).toString()).toBe('%PDF-');
  await sign.click();
  const inForce = page.getByRole('region', { name: 'Consents in force' });
  await inForce.getByRole('article', { name: /Downtown Behavioral Health Clinic/ }).waitFor();

  // Who has seen my record: the practice's read is there.
  const disclosures = page.getByRole('region', { name: 'Who has seen my record' });
  await disclosures.getByRole('cell', { name: /Maple Street Family Medicine/ }).first().waitFor();

  // Revoke the consent naming the practice.
  const practiceConsent = inForce.getByRole('article', { name: /Maple Street Family Medicine/ });
  await practiceConsent.getByRole('button', { name: 'Revoke…' }).click();
  await practiceConsent.getByRole('button', { name: 'Yes, revoke' }).click();
  await page.getByRole('region', { name: 'Ended, declined or revoked' }).getByRole('article', { name: /Maple Street Family Medicine/ }).waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'patient-record', { phone: true });

  // The practice's page, opened again, says why it no longer sees Avery.
  await pcp.reload();
  await pcp.getByRole('alert').getByText(/No consent in force lets you see DEMOGRAPHICS/).waitFor();
  await pcp.goto('/app/pcp');
  await pcp.getByRole('list', { name: 'Consented patients' }).getByRole('link', { name: 'Jordan Sample' }).waitFor();
  expect(await pcp.getByRole('link', { name: 'Avery Demo' }).count()).toBe(0);
  await saveScreenshot(pcp, 'pcp-after-revocation');
}, 120_000);
