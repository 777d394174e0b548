import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { InboxMessage } from '../src/modules/ingest/inbox-message.entity';
import { Enrollment } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { MatchReview } from '../src/modules/ingest/match-review.entity';
import {
  CreatePatientFromMatchReviewDocument, LinkMatchReviewDocument, MatchReviewsDocument, PatientViewDocument, RejectMatchReviewDocument,
  UnlinkInboundMessageDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { readFhirOutcome, sendFhirBundle } from './helpers/ingest';
import { startTestWorkers } from './helpers/workers';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let admin: string;
let workers: { stop(): Promise<void> };

const bundle = (id: string, given: string, family: string) =>
  readFileSync(join(__dirname, 'fixtures', 'fhir', 'sibling-bundle.json'), 'utf8')
    .replace('maple-export-sibling', id)
    .replaceAll('maple-p-2002', `p-${id}`)
    .replace('"Casey"', `"${given}"`)
    .replace('"Twin"', `"${family}"`)
    .replace('MAPLE-2002', `MRN-${id}`)
    .replace('cond-sibling', `cond-${id}`);

async function hold(id: string, given = 'Morgan', family = 'Unmatched'): Promise<string> {
  const { message } = await sendFhirBundle(h, await h.token(world.claims[Role.PCP]), bundle(id, given, family));
  expect(message?.state).toBe('HELD');
  const reviews = await h.graphql(MatchReviewsDocument, {}, admin);
  const review = reviews.data!.matchReviews.edges.find((edge) => edge.node.demographics.identifiers.includes(`MRN-${id}`));
  return review!.node.id;
}

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  admin = await h.token(world.claims[Role.ADMIN]);
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

it('lists held messages for IOP admins only, with what the source said and who sent it', async () => {
  await hold('r1');
  const reviews = await h.graphql(MatchReviewsDocument, {}, admin);
  expect(reviews.data!.matchReviews.edges[0].node).toMatchObject({
    status: 'PENDING',
    demographics: { givenName: 'Morgan', familyName: 'Unmatched', birthDate: '2001-05-05', identifiers: ['MRN-r1'] },
    sourceOrganization: { kind: 'PRIMARY_CARE' },
  });
  const byClinician = await h.graphql(MatchReviewsDocument, {}, await h.token(world.claims[Role.IOP_CLINICIAN]));
  expect(byClinician.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('links a held message to a patient of the program, importing it for them in the same step', async () => {
  const reviewId = await hold('r2');
  const patientId = world.patients[1].id;
  const linked = await h.graphql(LinkMatchReviewDocument, { reviewId, patientId }, admin);
  expect(linked.data?.linkMatchReview.review).toMatchObject({ status: 'LINKED', patientId });
  expect(await h.orm.em.fork().count(ClinicalRecord, { patient: patientId, sourceRecordId: 'Condition/cond-r2' })).toBe(1);
  const [message] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'r2' });
  expect(message.state).toBe('PROCESSED');

  const again = await h.graphql(LinkMatchReviewDocument, { reviewId, patientId }, admin);
  expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'LINKED' });
});

it('keeps what the import did not take for the sender to read, when a held Bundle is linked later', async () => {
  const pcp = await h.token(world.claims[Role.PCP]);
  const withProcedure = JSON.parse(bundle('r7', 'Morgan', 'Unmatched')) as { entry: unknown[] };
  withProcedure.entry.push({ resource: { resourceType: 'Procedure', id: 'proc-r7', status: 'completed', subject: { reference: 'Patient/p-r7' } } });
  const { message } = await sendFhirBundle(h, pcp, JSON.stringify(withProcedure));
  expect(message?.state).toBe('HELD');
  const reviews = await h.graphql(MatchReviewsDocument, {}, admin);
  const reviewId = reviews.data!.matchReviews.edges.find((edge) => edge.node.demographics.identifiers.includes('MRN-r7'))!.node.id;

  await h.graphql(LinkMatchReviewDocument, { reviewId, patientId: world.patients[1].id }, admin);
  const outcome = (await readFhirOutcome(h, pcp, message!.id)).json<{ issue: { severity: string; code: string; expression?: string[] }[] }>();
  expect(outcome.issue).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'not-supported', expression: ['Bundle.entry[2].resource'] }));
});

it('refuses to link to a patient outside the admin\'s program, changing nothing', async () => {
  const reviewId = await hold('r3');
  const stranger = await h.orm.em.fork().count(ClinicalRecord, {});
  const result = await h.graphql(LinkMatchReviewDocument, { reviewId, patientId: '00000000-0000-4000-8000-00000000abcd' }, admin);
  expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(await h.orm.em.fork().count(ClinicalRecord, {})).toBe(stranger);
  const [message] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'r3' });
  expect(message.state).toBe('HELD');
});

it('registers a new patient from the message and imports it for them', async () => {
  const reviewId = await hold('r4', 'Robin', 'Newcomer');
  const created = await h.graphql(CreatePatientFromMatchReviewDocument, { reviewId }, admin);
  const patientId = created.data!.createPatientFromMatchReview.review.patientId!;
  expect(created.data?.createPatientFromMatchReview.review.status).toBe('CREATED');
  expect(await h.orm.em.fork().count(Enrollment, { patient: patientId, program: world.iopId })).toBe(1);
  expect(await h.orm.em.fork().count(ClinicalRecord, { patient: patientId })).toBe(1);
});

it('rejects a message, which stays in the inbox as REJECTED', async () => {
  const reviewId = await hold('r5');
  const rejected = await h.graphql(RejectMatchReviewDocument, { reviewId }, admin);
  expect(rejected.data?.rejectMatchReview.review.status).toBe('REJECTED');
  const [message] = await h.orm.em.fork().find(InboxMessage, { sourceMessageId: 'r5' });
  expect(message.state).toBe('REJECTED');
  const pending = await h.graphql(MatchReviewsDocument, { status: 'PENDING' }, admin);
  expect(pending.data!.matchReviews.edges.map((edge) => edge.node.id)).not.toContain(reviewId);
});

it('undoes a link to the wrong patient: removes what the message brought and what it taught, and holds it for a new review', async () => {
  const reviewId = await hold('r6');
  const wrongPatient = world.patients[2].id;
  await h.graphql(LinkMatchReviewDocument, { reviewId, patientId: wrongPatient }, admin);
  expect(await h.orm.em.fork().count(PatientIdentifier, { patient: wrongPatient, value: 'MRN-r6' })).toBe(1);

  const view = await h.graphql(PatientViewDocument, { id: wrongPatient }, admin);
  const diagnosis = view.data!.patient.diagnoses!.find((each) => each.provenance.recordId === 'Condition/cond-r6')!;
  const messageId = diagnosis.provenance.inboxMessageId!;

  const unlinked = await h.graphql(UnlinkInboundMessageDocument, { inboxMessageId: messageId }, admin);
  expect(unlinked.data?.unlinkInboundMessage.review).toMatchObject({ status: 'PENDING', candidateIds: [] });
  expect(await h.orm.em.fork().count(ClinicalRecord, { inboxMessageId: messageId })).toBe(0);
  expect(await h.orm.em.fork().count(PatientIdentifier, { patient: wrongPatient, value: 'MRN-r6' })).toBe(0);
  const message = await h.orm.em.fork().findOneOrFail(InboxMessage, { id: messageId });
  expect(message.state).toBe('HELD');
  expect((await h.orm.em.fork().findOneOrFail(MatchReview, { id: reviewId })).status).toBe('UNLINKED');

  const right = await h.graphql(LinkMatchReviewDocument, { reviewId: unlinked.data!.unlinkInboundMessage.review.id, patientId: world.patients[0].id }, admin);
  expect(right.data?.linkMatchReview.review.status).toBe('LINKED');
  expect(await h.orm.em.fork().count(ClinicalRecord, { inboxMessageId: messageId, patient: world.patients[0].id })).toBe(1);

  const again = await h.graphql(UnlinkInboundMessageDocument, { inboxMessageId: 'not-an-id' }, admin);
  expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});
