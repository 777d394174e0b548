import { Role } from '../src/auth/roles';
import { Consent, ConsentStatus } from '../src/modules/consent/consent.entity';
import { MyNotificationsDocument, RevokeConsentDocument, SignConsentDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { pdfText } from './helpers/pdf';
import { startTestWorkers, until } from './helpers/workers';
import { addColleague, seedWorld, type World } from './helpers/world';
import { requestConsent } from './helpers/consents';

let h: Harness;
let world: World;
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness({ CONSENT_SWEEP_SECONDS: '1', CONSENT_REMINDER_HOURS: '0' });
  world = await seedWorld(h.orm.em.fork());
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

async function notifications(claims: World['claims'][Role]) {
  const result = await h.graphql(MyNotificationsDocument, {}, await h.token(claims));
  return result.data!.myNotifications.edges.map((edge) => edge.node);
}


it('tells the patient a consent awaits them, reminds them while unsigned, and tells the recipient when it is revoked', async () => {
  const consentId = await requestConsent(h, world);
  const forPatient = await until(() => notifications(world.claims[Role.PATIENT]), (items) => items.some((item) => item.kind === 'consent.requested' && item.subjectId === consentId));
  expect(forPatient).toContainEqual(expect.objectContaining({ kind: 'consent.requested', subjectType: 'CONSENT', subjectId: consentId }));
  const reminded = await until(() => notifications(world.claims[Role.PATIENT]), (items) => items.some((item) => item.kind === 'consent.reminder'));
  expect(reminded.filter((item) => item.kind === 'consent.reminder' && item.subjectId === consentId)).toHaveLength(1);

  const patient = await h.token(world.claims[Role.PATIENT]);
  await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
  await h.graphql(RevokeConsentDocument, { consentId }, patient);
  const forPractice = await until(() => notifications(world.claims[Role.PCP]), (items) => items.some((item) => item.kind === 'consent.revoked'));
  expect(forPractice).toContainEqual(expect.objectContaining({ kind: 'consent.revoked', subjectId: consentId }));
}, 30_000);

it('tells a person named as recipient, and only them at their practice, when the consent is revoked; the form names them', async () => {
  const colleague = await addColleague(h.orm.em.fork(), world.claims[Role.PCP]);
  const consentId = await requestConsent(h, world, { recipientOrganizationIds: [], recipientUserIds: [colleague.userId] });
  const rendered = await until(() => h.orm.em.fork().findOneOrFail(Consent, { id: consentId }, { populate: ['document'] }), (consent) => consent.document !== null);
  expect(pdfText(rendered.document!)).toContain('Recipients: Colleague Of Theirs (Maple Street Family Medicine)');
  const patient = await h.token(world.claims[Role.PATIENT]);
  await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
  await h.graphql(RevokeConsentDocument, { consentId }, patient);
  const told = await until(() => notifications(colleague), (items) => items.some((item) => item.kind === 'consent.revoked' && item.subjectId === consentId));
  expect(told.filter((item) => item.subjectId === consentId)).toHaveLength(1);
  expect((await notifications(world.claims[Role.PCP])).filter((item) => item.subjectId === consentId)).toEqual([]);
}, 30_000);

it('expires a consent at its date, keeping the event, and tells the recipient', async () => {
  const consentId = await requestConsent(h, world, { expiresAt: new Date(Date.now() + 2_000).toISOString() });
  await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, await h.token(world.claims[Role.PATIENT]));
  const expired = await until(() => h.orm.em.fork().findOneOrFail(Consent, { id: consentId }, { populate: ['events'] }), (consent) => consent.status === ConsentStatus.EXPIRED);
  expect(expired.events.getItems().map((event) => event.toStatus)).toEqual(['REQUESTED', 'ACTIVE', 'EXPIRED']);
  const forPractice = await until(() => notifications(world.claims[Role.PCP]), (items) => items.some((item) => item.kind === 'consent.expired'));
  expect(forPractice.filter((item) => item.kind === 'consent.expired' && item.subjectId === consentId)).toHaveLength(1);
}, 30_000);

it('renders the consent form with every element, and the Part 2 notice when SUD records are included', async () => {
  const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'SUD'] });
  const stored = await until(
    () => h.orm.em.fork().findOneOrFail(Consent, { id: consentId }, { populate: ['document'] }),
    (consent) => consent.document !== null,
  );
  const pdf = Buffer.from(stored.document!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = pdfText(pdf);
  expect(text).toContain('Avery Demo');
  expect(text).toContain('Harbor Virtual IOP');
  expect(text).toContain('Maple Street Family Medicine');
  expect(text).toContain('I understand that I may revoke this consent at any time');
  expect(text).toContain('protected by Federal confidentiality rules (42 CFR part 2)');
}, 30_000);
