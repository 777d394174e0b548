import { Referral, ReferralStatus } from '../../src/modules/referrals/referral.entity';
import { expectAccessible, saveScreenshot, signInAs, startPortal, type Portal } from './browser';

// The referral loop in two browsers: IOP staff write, preview (asking for the missing consent) and
// send a referral; the local provider acknowledges and accepts it; the sender's page follows live.
let portal: Portal;
const service = 'Outpatient psychiatry evaluation (portal test)';

beforeAll(async () => {
  portal = await startPortal();
}, 60_000);
afterAll(async () => {
  await portal?.close();
});

test('IOP staff send a referral and the local provider accepts it; the sender sees each move as it happens', async () => {
  const sender = await portal.newPage();
  await signInAs(sender, 'prescriber@harbor-iop.example');
  await sender.waitForURL('**/app/iop');
  await sender.getByRole('list', { name: 'Actions for Avery Demo' }).getByRole('link', { name: 'Send a referral' }).click();
  await sender.getByRole('heading', { name: 'New referral for Avery Demo' }).waitFor();
  await sender.getByLabel('Refer to').locator('option', { hasText: 'Downtown Behavioral Health Clinic' }).waitFor({ state: 'attached' });
  await sender.getByLabel('Refer to').selectOption({ label: 'Downtown Behavioral Health Clinic (local provider)' });
  await sender.getByLabel('Urgency').selectOption('URGENT');
  await sender.getByLabel('Requested service').fill(service);
  await sender.getByLabel('Reason').fill('Persistent depressive symptoms despite IOP');
  await sender.getByLabel('Clinical question').fill('Would an SSRI switch help?');
  await sender.getByRole('button', { name: 'Preview the packet' }).click();

  // No consent names the clinic: the preview says what is withheld and why, and asks for the consent in one click.
  await sender.getByRole('heading', { name: 'Packet preview for Downtown Behavioral Health Clinic' }).waitFor();
  const withheld = sender.locator('.packet-withheld');
  await withheld.waitFor();
  await expect(withheld.innerText()).resolves.toMatch(/medications: the patient has not consented[\s\S]*diagnoses: the patient has not consented|diagnoses: the patient has not consented[\s\S]*medications: the patient has not consented/);
  await expectAccessible(sender);
  await saveScreenshot(sender, 'referral-preview', { phone: true });
  await sender.getByRole('button', { name: 'Request consent' }).click();
  await sender.getByText(/Consent requested \(requested\)/).waitFor();

  await sender.getByRole('button', { name: 'Send referral' }).click();
  await sender.waitForURL(/\/app\/referrals\/[0-9a-f-]{36}$/);
  const referralId = sender.url().split('/').pop()!;
  await sender.locator('.facts').getByText('sent, awaiting acknowledgement').waitFor();
  await expect(portal.harness.orm.em.fork().findOneOrFail(Referral, { id: referralId })).resolves.toMatchObject({ status: 'REQUESTED' });

  // The local provider, in another browser: the referral is in their list (their home).
  const recipient = await portal.newPage({ width: 375 });
  await signInAs(recipient, 'LOCAL_PROVIDER');
  await recipient.waitForURL('**/app/referrals');
  await recipient.getByRole('heading', { name: 'Referrals received' }).waitFor();
  await recipient.getByRole('link', { name: service }).waitFor();
  await expectAccessible(recipient);
  await saveScreenshot(recipient, 'referral-list-375');
  await recipient.getByRole('link', { name: service }).click();
  await recipient.waitForURL(`**/app/referrals/${referralId}`);
  await recipient.getByRole('button', { name: 'Acknowledge receipt' }).click();
  await recipient.getByRole('button', { name: 'Accept' }).click();
  await recipient.getByRole('button', { name: 'Book the appointment' }).waitFor();
  await expectAccessible(recipient);
  await saveScreenshot(recipient, 'referral-accepted-375');

  // The sender's page was not reloaded: the moves arrived through referralUpdated.
  await sender.locator('.facts').getByText('accepted', { exact: true }).waitFor({ timeout: 15_000 });
  await expect(sender.locator('.timeline').innerText()).resolves.toMatch(/sent, awaiting acknowledgement[\s\S]*received[\s\S]*accepted/);
  await expectAccessible(sender);
  await saveScreenshot(sender, 'referral-timeline');
  const stored = await portal.harness.orm.em.fork().findOneOrFail(Referral, { id: referralId });
  expect(stored.status).toBe('ACCEPTED');
  expect(portal.pageErrors).toEqual([]);
  expect(portal.offsiteRequests).toEqual([]);
}, 90_000);

test('a move on an out-of-date version is refused with CONFLICT, said so, and changes nothing', async () => {
  const page = await portal.newPage();
  await signInAs(page, 'LOCAL_PROVIDER');
  // The demo story's referral, booked for next week. It changes elsewhere before this page hears of it
  // (its version moves on in the database, with no live event), then the clinic reschedules it here.
  const booked = await portal.harness.orm.em.fork().findOneOrFail(Referral, { status: ReferralStatus.IN_PROGRESS });
  await page.goto(`/app/referrals/${booked.id}`);
  await page.getByRole('button', { name: 'Reschedule' }).waitFor();
  await portal.harness.orm.em.fork().nativeUpdate(Referral, { id: booked.id }, { version: booked.version + 1 });
  await page.getByLabel('Appointment (date and time)').fill('2030-01-10T15:00');
  await page.getByRole('button', { name: 'Reschedule' }).click();
  const refusal = page.locator('[data-code="CONFLICT"]');
  await refusal.waitFor();
  await expect(refusal.innerText()).resolves.toMatch(/^Not done: .*Someone else may have changed it meanwhile/);
  await expect(portal.harness.orm.em.fork().findOneOrFail(Referral, { id: booked.id })).resolves.toMatchObject({ status: 'IN_PROGRESS', version: booked.version + 1 });
  await expectAccessible(page);
}, 60_000);
