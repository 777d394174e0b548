import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { Organization } from '../src/modules/organizations/organization.entity';
import {
  CreateReferralDocument,
  MyRecordConsentsDocument,
  MyRecordDocument,
  PatientSummaryDocument,
  PatientSummaryReferralsReceivedDocument,
  PatientSummaryReferralsSentDocument,
  PcpPatientsDocument,
  SendReferralDocument,
  type TypedDocumentString,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type GraphQLResponse, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/** The API as the portal's pages use it (schema/operations/portal-*.graphql). */
let h: Harness;
let world: World;
let second: SecondProgram;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
});
afterAll(() => h.close());

const attempt = async <R, V>(claims: TokenClaims, document: TypedDocumentString<R, V>, variables: V): Promise<GraphQLResponse<R>> =>
  h.graphql(document, variables, await h.token(claims));

async function run<R, V>(claims: TokenClaims, document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const result = await attempt(claims, document, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

describe('the patient page', () => {
  it("finds the patient's own record and names each consent's recipients", async () => {
    const own = (await run(world.claims[Role.PATIENT], MyRecordDocument, {})).patients.edges.map(({ node }) => node.id);
    expect(own).toEqual([world.patients[0].id]);

    const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'DIAGNOSES'] });
    const { patient } = await run(world.claims[Role.PATIENT], MyRecordConsentsDocument, { id: world.patients[0].id });
    const practice = await h.orm.em.fork().findOneOrFail(Organization, world.claims[Role.PCP].organizationId!);
    const program = await h.orm.em.fork().findOneOrFail(Organization, world.iopId);
    expect(patient.consents!.find((consent) => consent.id === consentId)).toMatchObject({
      status: 'REQUESTED',
      categories: ['DEMOGRAPHICS', 'DIAGNOSES'],
      program: { id: world.iopId, name: program.name },
      recipientOrganizations: [{ id: practice.id, name: practice.name, kind: 'PRIMARY_CARE' }],
    });
  });
});

describe('the PCP home and the shared view', () => {
  it('lists only the patients whose consent names the practice; the view answers what the consent lists and says why the rest is withheld', async () => {
    const pcp = world.claims[Role.PCP];
    const listed = async () => (await run(pcp, PcpPatientsDocument, { first: 20 })).patients.edges.map(({ node }) => node.id);
    const consenting = world.patients[0].id;
    const unconsented = second.ownPatientId;
    const before = await listed();
    expect(before).not.toContain(unconsented);

    await signConsent(h, world, await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'DIAGNOSES'] }));
    expect(await listed()).toEqual(expect.arrayContaining([...before, consenting]));
    expect(await listed()).not.toContain(unconsented);

    const refused = await attempt(pcp, PatientSummaryDocument, { id: unconsented });
    expect(refused.data?.patient ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONSENT_REQUIRED', categories: ['DEMOGRAPHICS'] });

    // Every section the consent does not cover is null with the reason at its path; the listed ones answer.
    const opened = await attempt(pcp, PatientSummaryDocument, { id: consenting });
    const view = opened.data!.patient as unknown as Record<string, unknown>;
    expect(view).toMatchObject({ id: consenting, diagnoses: expect.any(Array) as unknown });
    const withheld = new Map((opened.errors ?? []).map((error) => [error.path?.at(-1), error.extensions]));
    const nullSections = Object.keys(view).filter((section) => view[section] === null && !['crisisPlan', 'treatmentPlan'].includes(section));
    expect(nullSections.length).toBeGreaterThan(0);
    for (const section of nullSections) expect(withheld.get(section)).toMatchObject({ code: 'CONSENT_REQUIRED', categories: [expect.any(String)] });
    expect(withheld.has('diagnoses')).toBe(false);
  });
});

describe("a patient's referrals (referralsSent / referralsReceived with patientId)", () => {
  const localProvider = () => world.claims[Role.LOCAL_PROVIDER];

  async function sendFor(patientId: string, by: TokenClaims): Promise<string> {
    const { createReferral } = await run(by, CreateReferralDocument, {
      input: {
        patientId,
        recipientOrganizationId: localProvider().organizationId!,
        urgency: 'ROUTINE',
        requestedService: 'Outpatient psychiatry evaluation',
        reason: 'Persistent depressive symptoms',
        clinicalQuestion: 'Medication review?',
        requestedCategories: ['DIAGNOSES'],
      },
    });
    await run(by, SendReferralDocument, { id: createReferral.referral.id, expectedVersion: 1 });
    return createReferral.referral.id;
  }

  it("lists one patient's referrals only, each side its own, and another program's never", async () => {
    const [first, third] = [world.patients[0].id, world.patients[2].id];
    const firstsReferral = await sendFor(first, world.claims[Role.IOP_CLINICIAN]);
    const thirdsReferral = await sendFor(third, world.claims[Role.IOP_CLINICIAN]);
    const secondProgramsReferral = await sendFor(second.sharedPatientId, second.clinician);

    const sent = async (claims: TokenClaims, patientId: string) =>
      (await run(claims, PatientSummaryReferralsSentDocument, { patientId })).referralsSent.edges.map(({ node }) => node);
    const ids = (referrals: { id: string }[]) => referrals.map((referral) => referral.id);
    const firstsAtTheIop = await sent(world.claims[Role.IOP_CLINICIAN], first);
    expect(firstsAtTheIop.every((referral) => referral.patientId === first)).toBe(true);
    expect(ids(firstsAtTheIop)).toContain(firstsReferral);
    expect(ids(firstsAtTheIop)).not.toContain(secondProgramsReferral);
    expect(ids(await sent(world.claims[Role.IOP_CLINICIAN], third))).toContain(thirdsReferral);
    expect(ids(await sent(world.claims[Role.IOP_CLINICIAN], third))).not.toContain(firstsReferral);
    expect(ids(await sent(second.clinician, first))).toEqual([secondProgramsReferral]);
    expect(await sent(second.clinician, third)).toEqual([]);

    const received = (await run(localProvider(), PatientSummaryReferralsReceivedDocument, { patientId: first })).referralsReceived.edges.map(({ node }) => node);
    expect(received.every((referral) => referral.patientId === first)).toBe(true);
    expect(ids(received)).toEqual(expect.arrayContaining([firstsReferral, secondProgramsReferral]));
    expect(ids(received)).not.toContain(thirdsReferral);

    const malformed = await attempt(world.claims[Role.IOP_CLINICIAN], PatientSummaryReferralsSentDocument, { patientId: 'not-an-id' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }, 30_000);
});
