import { Role } from '../src/auth/roles';
import type { TokenClaims } from '../src/auth/jwt';
import { Consent, ConsentStatus } from '../src/modules/consent/consent.entity';
import {
  PrescribeDocument, RecordAssessmentDocument, RecordDiagnosisDocument, RegisterPatientDocument, RequestConsentDocument, RevokeConsentDocument,
  SignConsentDocument, CreateUserDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

/**
 * Every read path × consent state × data category, for a partner organization (PCP), with the
 * care team and the patient as controls: nothing leaks, nothing allowed is refused.
 */
let h: Harness;
let world: World;

type Category = 'DEMOGRAPHICS' | 'DIAGNOSES' | 'MEDICATIONS' | 'TREATMENT_SUMMARY' | 'SUD' | 'LABS';
type Outcome = 'ALLOWED' | 'ALLOWED_WITHOUT_SUD' | 'CONSENT_REQUIRED';

/** Each read path, the query that takes it, and the category it needs. */
const paths: { name: string; query: string; category: Category }[] = [
  { name: 'demographics', query: 'givenName birthDate', category: 'DEMOGRAPHICS' },
  { name: 'diagnoses', query: 'diagnoses { icd10Code }', category: 'DIAGNOSES' },
  { name: 'medications', query: 'medications { drugName }', category: 'MEDICATIONS' },
  { name: 'medicationList', query: 'medicationList { ingredient }', category: 'MEDICATIONS' },
  { name: 'interactionFlags', query: 'interactionFlags { ruleId }', category: 'MEDICATIONS' },
  { name: 'assessments', query: 'assessments { score }', category: 'TREATMENT_SUMMARY' },
  { name: 'enrollments', query: 'enrollments { status }', category: 'TREATMENT_SUMMARY' },
  { name: 'labResults', query: 'labResults { testName }', category: 'LABS' },
  { name: 'labTrends', query: 'labTrends { test }', category: 'LABS' },
];

interface Scenario {
  name: string;
  /** The consent to set up for the patient, if any. */
  consent?: { categories: Category[]; state: 'REQUESTED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED'; recipient?: 'PCP' | 'PHARMACIST' };
}

const scenarios: Scenario[] = [
  { name: 'no consent' },
  { name: 'requested, not signed', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS'], state: 'REQUESTED' } },
  { name: 'active: demographics and diagnoses', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES'], state: 'ACTIVE' } },
  { name: 'active: diagnoses with SUD', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'SUD'], state: 'ACTIVE' } },
  { name: 'active: medications', consent: { categories: ['DEMOGRAPHICS', 'MEDICATIONS'], state: 'ACTIVE' } },
  { name: 'active: everything but SUD', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'TREATMENT_SUMMARY', 'LABS'], state: 'ACTIVE' } },
  { name: 'expired', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'SUD'], state: 'EXPIRED' } },
  { name: 'revoked', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'SUD'], state: 'REVOKED' } },
  { name: 'another recipient', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'SUD'], state: 'ACTIVE', recipient: 'PHARMACIST' } },
];

/** What a PCP should get on a path under a scenario. */
function expected(scenario: Scenario, path: (typeof paths)[number]): Outcome {
  const consent = scenario.consent;
  const inForce = consent && consent.state === 'ACTIVE' && (consent.recipient ?? 'PCP') === 'PCP';
  if (!inForce || !consent.categories.includes('DEMOGRAPHICS') || !consent.categories.includes(path.category)) return 'CONSENT_REQUIRED';
  // The patient has an SUD diagnosis and a MOUD prescription: those need SUD listed.
  const hasSudItems = ['diagnoses', 'medications', 'medicationList', 'interactionFlags'].includes(path.name);
  return hasSudItems && !consent.categories.includes('SUD') ? 'ALLOWED_WITHOUT_SUD' : 'ALLOWED';
}

async function read(token: string, patientId: string, query: string): Promise<Outcome> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: { query: `query($id: ID!) { patient(id: $id) { id ${query} } }`, variables: { id: patientId } },
  });
  const body = response.json();
  const codes: string[] = (body.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
  if (codes.some((code) => code !== 'CONSENT_REQUIRED')) throw new Error(`unexpected errors ${JSON.stringify(body.errors)}`);
  if (!body.data?.patient) return 'CONSENT_REQUIRED';
  return codes.length > 0 ? 'ALLOWED_WITHOUT_SUD' : 'ALLOWED';
}

const patients = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  const admin = await h.token(world.claims[Role.ADMIN]);
  for (const [index, scenario] of scenarios.entries()) {
    const registered = await h.graphql(RegisterPatientDocument, { input: { givenName: `Matrix${index}`, familyName: 'Case', birthDate: '1980-03-03' } }, clinician);
    const patientId = registered.data!.registerPatient.patient.id;
    patients.set(scenario.name, patientId);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F33.1', text: 'Depression' } }, clinician);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F11.20', text: 'Opioid use disorder' } }, clinician);
    await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Sertraline 50 mg', dose: '50 mg', route: 'oral', sig: 'daily' } }, clinician);
    await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', dose: '8/2 mg', route: 'sublingual', sig: 'daily' } }, clinician);
    await h.graphql(RecordAssessmentDocument, { input: { patientId, instrument: 'PHQ9', score: 12, administeredAt: '2026-11-01T10:00:00Z' } }, clinician);
    if (!scenario.consent) continue;
    const recipient = world.claims[scenario.consent.recipient === 'PHARMACIST' ? Role.PHARMACIST : Role.PCP].organizationId!;
    const requested = await h.graphql(
      RequestConsentDocument,
      { input: { patientId, recipientOrganizationIds: [recipient], purpose: 'TREATMENT', categories: scenario.consent.categories, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      clinician,
    );
    const consentId = requested.data!.requestConsent.consent.id;
    if (scenario.consent.state === 'REQUESTED') continue;
    const login = await h.graphql(CreateUserDocument, { input: { email: `matrix${index}@patients.example`, displayName: `Matrix ${index}`, patientId } }, admin);
    const patientClaims: TokenClaims = { userId: login.data!.createUser.user.id, role: Role.PATIENT, organizationId: null };
    const patientToken = await h.token(patientClaims);
    await h.graphql(SignConsentDocument, { consentId, signedName: `Matrix ${index} Case`, acknowledgeRightToRevoke: true }, patientToken);
    if (scenario.consent.state === 'REVOKED') await h.graphql(RevokeConsentDocument, { consentId }, patientToken);
    if (scenario.consent.state === 'EXPIRED') {
      await h.orm.em.fork().nativeUpdate(Consent, { id: consentId }, { startsAt: new Date(Date.now() - 86_400_000), expiresAt: new Date(Date.now() - 1000) });
    }
    const stored = await h.orm.em.fork().findOneOrFail(Consent, { id: consentId });
    expect(stored.status).toBe(scenario.consent.state === 'EXPIRED' ? ConsentStatus.ACTIVE : scenario.consent.state);
  }
}, 60_000);
afterAll(() => h.close());

describe.each(scenarios)('PCP, $name', (scenario) => {
  it.each(paths)('$name', async (path) => {
    const outcome = await read(await h.token(world.claims[Role.PCP]), patients.get(scenario.name)!, path.query);
    expect(outcome).toBe(expected(scenario, path));
  });

  it('patient list', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token(world.claims[Role.PCP])}` },
      payload: { query: '{ patients(first: 100) { edges { node { id } } } }' },
    });
    const listed = response.json().data.patients.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const inForce = scenario.consent?.state === 'ACTIVE' && (scenario.consent.recipient ?? 'PCP') === 'PCP';
    expect(listed.includes(patients.get(scenario.name))).toBe(inForce);
  });
});

describe.each([Role.PHARMACIST, Role.LAB, Role.LOCAL_PROVIDER])('%s without a consent of its own', (role) => {
  it.each(paths)('$name is refused', async (path) => {
    expect(await read(await h.token(world.claims[role]), patients.get('active: everything but SUD')!, path.query)).toBe('CONSENT_REQUIRED');
  });
});

describe('controls', () => {
  it.each(paths)('the care team sees $name whole', async (path) => {
    expect(await read(await h.token(world.claims[Role.IOP_CLINICIAN]), patients.get('no consent')!, path.query)).toBe('ALLOWED');
  });
});
