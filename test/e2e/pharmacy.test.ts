import type { Page } from 'playwright-core';
import type { TokenClaims } from '../../src/auth/jwt';
import { listDemoUsers } from '../../src/auth/demo-tokens';
import { Role } from '../../src/auth/roles';
import { User } from '../../src/modules/users/user.entity';
import { PrescribeToPharmacyDocument } from '../generated/graphql';
import { requestConsent, signConsent } from '../helpers/consents';
import type { World } from '../helpers/world';
import { expectAccessible, saveScreenshot, signInAs, startPortal, type Portal } from './browser';

/**
 * The pharmacist's pages in Chromium: the worklist updates live when a prescription is routed,
 * a fill is confirmed (refusals shown by the field, a stale report shown as a conflict with a
 * refresh), a delivery event is reported and its history shown, an alert is acknowledged; and
 * the IOP clinician's shared patient view (/app/patients/:id, open in another browser) shows the
 * fill the pharmacist confirmed without a reload. Data: the demo story, plus prescriptions the
 * demo prescriber writes through the API.
 */
let portal: Portal;
let world: World;
let patientId: string;

async function prescribe(drugName: string, deaSchedule: 'III' | null = null): Promise<{ id: string; rxNumber: string }> {
  const h = portal.harness;
  const result = await h.graphql(
    PrescribeToPharmacyDocument,
    {
      input: {
        patientId,
        drugName,
        dose: '50 mg',
        route: 'oral',
        sig: 'one tablet daily',
        quantity: 30,
        refills: 1,
        deaSchedule,
        pharmacyId: world.claims[Role.PHARMACIST].organizationId!,
        homeDelivery: true,
      },
    },
    await h.token(world.claims[Role.IOP_CLINICIAN]),
  );
  if (result.data?.prescribe.prescription.routing !== 'ROUTED') throw new Error(`not routed: ${JSON.stringify(result)}`);
  return { id: result.data.prescribe.prescription.id, rxNumber: result.data.prescribe.prescription.rxNumber! };
}

const worklistRow = (page: Page, rxNumber: string) => page.locator('.worklist-item', { hasText: rxNumber });

beforeAll(async () => {
  portal = await startPortal();
  // The demo's first user of each role, and its patient user's patient (the portal seeded the demo).
  const em = portal.harness.orm.em.fork();
  const users = await listDemoUsers(em);
  const claims = {} as Record<Role, TokenClaims>;
  for (const user of [...users].reverse()) claims[user.role] = user;
  const patientUser = await em.findOneOrFail(User, { id: claims[Role.PATIENT].userId }, { populate: ['patient'] });
  world = { claims, therapist: claims[Role.IOP_CLINICIAN], patients: [patientUser.patient!], iopId: claims[Role.IOP_CLINICIAN].organizationId! };
  patientId = patientUser.patient!.id;
  const h = portal.harness;
  await signConsent(h, world, await requestConsent(h, world, { recipientOrganizationIds: [world.claims[Role.PHARMACIST].organizationId!], categories: ['DEMOGRAPHICS', 'MEDICATIONS'] }));
}, 150_000);

afterAll(async () => {
  await portal?.close();
});

test("a pharmacist sees a prescription arrive live, confirms its fill with errors shown by the field, and the IOP clinician's patient view shows the fill live", async () => {
  const first = await prescribe('Fluvoxamine 50 mg tablet');
  // The IOP clinician has the patient's shared view open in another browser.
  const iop = await portal.newPage();
  await signInAs(iop, Role.IOP_CLINICIAN);
  await iop.goto(`/app/patients/${patientId}`);
  await iop.getByRole('table', { name: 'Fills and deliveries' }).waitFor();
  expect(await iop.getByRole('row', { name: /Fluvoxamine/ }).count()).toBe(0);

  const page = await portal.newPage();
  await signInAs(page, Role.PHARMACIST);
  await page.waitForURL('**/app/pharmacy');
  await page.getByLabel('Dispensing status').selectOption('NEW');
  await worklistRow(page, first.rxNumber).waitFor();

  // Routed while the worklist is open: it appears without a reload.
  const second = await prescribe('Buspirone 10 mg tablet');
  await worklistRow(page, second.rxNumber).waitFor({ timeout: 15_000 });
  await expectAccessible(page);
  await saveScreenshot(page, 'pharmacy-worklist', { phone: true });

  await worklistRow(page, first.rxNumber).getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: new RegExp(first.rxNumber) }).waitFor();
  await page.getByLabel('Quantity dispensed').fill('30');
  await page.getByLabel("Days' supply").fill('30');
  await page.getByLabel('NDC', { exact: true }).fill('12345');
  await page.getByLabel('Lot number', { exact: true }).fill('LOT-7');
  await page.getByRole('button', { name: 'Record the fill' }).click();
  // The API's refusal is shown by the NDC field, and the box is marked invalid.
  await page.locator('#fill-ndc-error').waitFor();
  expect(await page.locator('#fill-ndc').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#fill-ndc-error').innerText()).toContain('NDC');
  await expectAccessible(page);
  await saveScreenshot(page, 'pharmacy-fill-errors');

  await page.getByLabel('NDC', { exact: true }).fill('0002-3227-30');
  await page.getByRole('button', { name: 'Record the fill' }).click();
  await page.getByText('Fill 0 recorded as dispensed.').waitFor();
  await page.getByRole('cell', { name: /NDC 00002-3227-30, lot LOT-7/ }).waitFor();

  // The IOP clinician's view shows the fill without a reload.
  await iop.getByRole('row', { name: /Fluvoxamine 50 mg tablet.*first.*dispensed, 30 days/i }).waitFor({ timeout: 20_000 });
  await saveScreenshot(iop, 'pharmacy-fill-in-iop-view');

  // The same fill reported again is stale: a conflict, with a refresh, and what was typed kept.
  await page.getByRole('button', { name: 'Record the fill' }).click();
  await page.getByRole('button', { name: 'Refresh the prescription' }).waitFor();
  expect(await page.getByRole('alert').filter({ hasText: 'changed since you opened it' }).innerText()).toContain('Fill 0 that is DISPENSED cannot become DISPENSED');
  expect(await page.getByLabel('Lot number', { exact: true }).inputValue()).toBe('LOT-7');

  // A delivery event with the tracking number missing is refused by that field; then recorded, with its history.
  await page.getByLabel('Carrier').fill('UPS');
  await page.getByRole('button', { name: 'Record the delivery event' }).click();
  await page.locator('#delivery-tracking-error').waitFor();
  await page.getByLabel('Tracking number').fill('1Z999AA10123456784');
  await page.getByRole('button', { name: 'Record the delivery event' }).click();
  await page.getByRole('heading', { name: 'Fill 0: Shipped' }).waitFor();
  await page.getByRole('table', { name: 'Delivery history of fill 0' }).getByRole('cell', { name: 'Shipped' }).waitFor();
  await expectAccessible(page);
  await saveScreenshot(page, 'pharmacy-prescription', { phone: true });
}, 150_000);

test('a fill not dispensed for a clinical concern needs a note; its alert is acknowledged for the pharmacy; usable at 375 px', async () => {
  const { rxNumber } = await prescribe('Trazodone 50 mg tablet');
  const page = await portal.newPage({ width: 375 });
  await signInAs(page, Role.PHARMACIST);
  await worklistRow(page, rxNumber).getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: new RegExp(rxNumber) }).waitFor();
  await page.getByLabel('Not dispensed').check();
  await page.getByLabel('Reason').selectOption('CLINICAL_CONCERN');
  await page.getByRole('button', { name: 'Record the fill' }).click();
  await page.locator('#fill-note-error').waitFor();
  await page.getByLabel('Note (required)').fill('Interaction with a new prescription to review');
  await page.getByRole('button', { name: 'Record the fill' }).click();
  await page.getByText('Fill 0 recorded as not dispensed.').waitFor();

  // The alert it raised shows (live) and is acknowledged for the pharmacy; the care team's stays open.
  await page.getByText('Fill not dispensed', { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Acknowledge for the pharmacy' }).click();
  await page.getByText(/Acknowledged by your pharmacy/).waitFor();
  await page.getByText('care team has not acknowledged it yet', { exact: false }).waitFor();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await saveScreenshot(page, 'pharmacy-alert-375');
}, 150_000);

test('no request left the app and no page logged an error', () => {
  expect(portal.offsiteRequests).toEqual([]);
  expect(portal.pageErrors).toEqual([]);
});
