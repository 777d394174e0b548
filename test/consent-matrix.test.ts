import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Role } from '../src/auth/roles';
import type { TokenClaims } from '../src/auth/jwt';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Allergy } from '../src/modules/clinical/allergy.entity';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { Consent, ConsentStatus } from '../src/modules/consent/consent.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { LabOrder, LabOrderStatus } from '../src/modules/labs/lab-order.entity';
import { LabResult, ResultStatus } from '../src/modules/labs/lab-result.entity';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { channelOf } from '../src/live/topics';
import { Referral } from '../src/modules/referrals/referral.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import {
  PrescribeDocument, RecordAssessmentDocument, RecordDiagnosisDocument, RegisterPatientDocument, RequestConsentDocument, RevokeConsentDocument,
  SignConsentDocument, CreateUserDocument, ReferralUpdatedDocument, type ReferralUpdatedSubscription, EndEnrollmentDocument, RecordAttendanceDocument, UpdateCarePlanDocument, ReportSideEffectDocument, AddPatientIdentifierDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { publishUntil, subscribe, subscriptionsUrl, type LiveSubscriber } from './helpers/live';
import { until } from './helpers/workers';
import { addColleague, addSecondProgram, enrollInProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Every read path × consent state × data category, for a partner organization (PCP), with the
 * care team and the patient as controls: nothing leaks, nothing allowed is refused.
 */
let h: Harness;
let world: World;

type Category = 'DEMOGRAPHICS' | 'DIAGNOSES' | 'MEDICATIONS' | 'TREATMENT_SUMMARY' | 'SUD' | 'LABS';
type Outcome = 'ALLOWED' | 'ALLOWED_IN_PART' | 'CONSENT_REQUIRED' | 'FORBIDDEN';

/**
 * Each read path of a patient, the query that takes it, the category it needs and whether the
 * fixture patient has SUD items on it. `patient fields are all covered` fails when a field is added
 * to Patient without a row here.
 */
const paths: { name: string; query: string; category: Category | 'CARE_ONLY' | 'EXPORT'; sudItems?: boolean }[] = [
  { name: 'demographics', query: 'givenName familyName birthDate birthDateAsGiven birthDatePrecision phone addressLine city region postalCode createdAt', category: 'DEMOGRAPHICS' },
  { name: 'identifiers', query: 'identifiers { value }', category: 'DEMOGRAPHICS' },
  { name: 'diagnoses', query: 'diagnoses { icd10Code }', category: 'DIAGNOSES', sudItems: true },
  { name: 'medications', query: 'medications { drugName }', category: 'MEDICATIONS', sudItems: true },
  { name: 'medicationList', query: 'medicationList { ingredient }', category: 'MEDICATIONS', sudItems: true },
  { name: 'interactionFlags', query: 'interactionFlags { ruleId }', category: 'MEDICATIONS', sudItems: true },
  { name: 'sideEffects', query: 'sideEffects { effect }', category: 'MEDICATIONS' },
  { name: 'allergies', query: 'allergies { substance }', category: 'MEDICATIONS' },
  { name: 'assessments', query: 'assessments { score }', category: 'TREATMENT_SUMMARY' },
  { name: 'attendance', query: 'attendance { attendanceStatus }', category: 'TREATMENT_SUMMARY', sudItems: true },
  { name: 'treatmentPlan', query: 'treatmentPlan { planText }', category: 'TREATMENT_SUMMARY' },
  { name: 'crisisPlan', query: 'crisisPlan { planText }', category: 'TREATMENT_SUMMARY' },
  { name: 'encounters', query: 'encounters { encounterType }', category: 'TREATMENT_SUMMARY' },
  { name: 'enrollments', query: 'enrollments { status }', category: 'TREATMENT_SUMMARY' },
  { name: 'labResults', query: 'labResults { testName }', category: 'LABS', sudItems: true },
  { name: 'labTrends', query: 'labTrends { test }', category: 'LABS', sudItems: true },
  { name: 'labOrders', query: 'labOrders { orderStatus }', category: 'LABS', sudItems: true },
  { name: 'criticalAlerts', query: 'criticalAlerts { reason }', category: 'LABS', sudItems: true },
  { name: 'medicationAlerts', query: 'medicationAlerts { reason }', category: 'MEDICATIONS' },
  // Everything at once, each category as the consent allows (what it holds is checked below).
  { name: 'fhirBundle', query: 'fhirBundle', category: 'EXPORT' },
  // The consents themselves are the patient's and their program's business, never a partner's.
  { name: 'consents', query: 'consents { status }', category: 'CARE_ONLY' },
];

/** Whom the consent names: the PCP's practice, the pharmacy, the PCP in person, or a colleague of the PCP in person. */
type Recipient = 'PCP' | 'PHARMACIST' | 'PCP_IN_PERSON' | 'COLLEAGUE_IN_PERSON';
const namesThePcp = (recipient: Recipient = 'PCP') => recipient === 'PCP' || recipient === 'PCP_IN_PERSON';

interface Scenario {
  name: string;
  /** The consent to set up for the patient, if any. */
  consent?: { categories: Category[]; state: 'REQUESTED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED'; recipient?: Recipient; purpose?: 'TREATMENT' | 'PAYMENT' };
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
  { name: 'names the PCP in person', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'SUD', 'LABS'], state: 'ACTIVE', recipient: 'PCP_IN_PERSON' } },
  { name: 'names a colleague in person', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'SUD'], state: 'ACTIVE', recipient: 'COLLEAGUE_IN_PERSON' } },
  { name: 'active: labs only, not who the patient is', consent: { categories: ['LABS', 'DIAGNOSES'], state: 'ACTIVE' } },
  { name: 'active for payment, not treatment', consent: { categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'SUD'], state: 'ACTIVE', purpose: 'PAYMENT' } },
];

/** The partners who read in the matrix: the practice's physician, and the pharmacist. */
const readers = [Role.PCP, Role.PHARMACIST] as const;
type Reader = (typeof readers)[number];

/** Whether the scenario's consent is in force for `reader`, for treatment (the matrix reads for treatment). */
function inForceFor(scenario: Scenario, reader: Reader): boolean {
  const consent = scenario.consent;
  if (!consent || consent.state !== 'ACTIVE' || (consent.purpose ?? 'TREATMENT') !== 'TREATMENT') return false;
  return reader === Role.PCP ? namesThePcp(consent.recipient) : consent.recipient === 'PHARMACIST';
}

/** The categories of the fixture patient's records. */
const fixtureCategories: Category[] = ['DEMOGRAPHICS', 'DIAGNOSES', 'MEDICATIONS', 'TREATMENT_SUMMARY', 'LABS', 'SUD'];

/** The category a resource of the FHIR export belongs to. */
function exportedCategory(resource: Resource): Category {
  switch (resource.resourceType) {
    case 'Patient':
      return 'DEMOGRAPHICS';
    case 'Condition':
      return 'DIAGNOSES';
    case 'MedicationRequest':
    case 'AllergyIntolerance':
    case 'AdverseEvent':
      return 'MEDICATIONS';
    case 'Observation':
      return resource.category?.[0]?.coding?.[0]?.code === 'laboratory' ? 'LABS' : 'TREATMENT_SUMMARY';
    case 'ServiceRequest':
      return 'LABS';
    case 'Encounter':
    case 'CarePlan':
      return 'TREATMENT_SUMMARY';
    default:
      throw new Error(`unexpected ${resource.resourceType} in the export`);
  }
}

/** What `reader` should get on a path under a scenario. */
function expected(scenario: Scenario, path: (typeof paths)[number], reader: Reader): Outcome {
  const consent = scenario.consent;
  if (!consent || !inForceFor(scenario, reader) || !consent.categories.includes('DEMOGRAPHICS')) return 'CONSENT_REQUIRED';
  if (path.category === 'CARE_ONLY') return 'FORBIDDEN';
  if (path.category === 'EXPORT') return fixtureCategories.every((category) => consent.categories.includes(category)) ? 'ALLOWED' : 'ALLOWED_IN_PART';
  if (!consent.categories.includes(path.category)) return 'CONSENT_REQUIRED';
  // The patient has an SUD diagnosis, a MOUD prescription, SUD-program sessions and a drug screen: those need SUD listed.
  return path.sudItems && !consent.categories.includes('SUD') ? 'ALLOWED_IN_PART' : 'ALLOWED';
}

interface ReadResult {
  data: { patient: Record<string, unknown> | null } | null | undefined;
  errors: { path?: string[]; extensions?: Record<string, unknown> }[] | undefined;
}

async function read(token: string, patientId: string, query: string): Promise<Outcome> {
  const body: ReadResult = await h.graphql(`query($id: ID!) { patient(id: $id) { id ${query} } }`, { id: patientId }, token);
  const codes = (body.errors ?? []).map((error) => error.extensions?.code);
  if (codes.some((code) => code !== 'CONSENT_REQUIRED' && code !== 'FORBIDDEN')) throw new Error(`unexpected errors ${JSON.stringify(body.errors)}`);
  if (codes.includes('FORBIDDEN')) return 'FORBIDDEN';
  // A refused nullable field (a care plan) is null with an error at its path; a refused list nulls the patient.
  const patient = body.data?.patient;
  const refusedAtField = (body.errors ?? []).some((error) => error.path?.length === 2 && patient?.[error.path[1]] === null);
  if (!patient || refusedAtField) return 'CONSENT_REQUIRED';
  return codes.length > 0 ? 'ALLOWED_IN_PART' : 'ALLOWED';
}

const patients = new Map<string, string>();
/** A second physician at the PCP's practice. */
let colleague: TokenClaims;

/** From the lab: a lithium level and a drug screen (SUD), each with a critical alert, and an order of each still in process. */
async function addCriticalLabResults(patientId: string): Promise<void> {
  const em = h.orm.em.fork();
  const patient = em.getReference(Patient, patientId);
  const fromLab = { sourceOrganization: em.getReference(Organization, world.claims[Role.LAB].organizationId!), sourceSystem: 'urn:example:lab' };
  const lithium = new LabResult(patient, fromLab, { loincCode: '14334-7', testName: 'Lithium', valueNumeric: 1.8, unit: 'mmol/L', status: ResultStatus.FINAL, effectiveAt: new Date('2026-11-04T08:00:00Z') });
  const screen = new LabResult(patient, fromLab, { testName: 'Urine drug screen, fentanyl', valueText: 'Positive', status: ResultStatus.FINAL, effectiveAt: new Date('2026-11-04T08:00:00Z') });
  const order = (orderId: string, testName: string) =>
    new LabOrder(patient, fromLab, { orderId, testName, loincCode: null, status: LabOrderStatus.IN_PROCESS, statusChangedAt: new Date('2026-11-05T08:00:00Z'), comment: null });
  em.persist([lithium, screen, new CriticalAlert(patient, lithium, 'lithium-high', 'Lithium above 1.5 mmol/L'), new CriticalAlert(patient, screen, 'test', 'Fentanyl positive')]);
  em.persist([order('ORD-LI', 'Lithium'), order('ORD-UDS', 'Urine drug screen, fentanyl')]);
  await em.flush();
}

/** A login for a patient, made by an admin of a program treating them. */
async function patientLogin(patientId: string, name: string, admin: TokenClaims): Promise<TokenClaims> {
  const login = await h.graphql(CreateUserDocument, { input: { email: `${name}@patients.example`, displayName: name, patientId } }, await h.token(admin));
  return { userId: login.data!.createUser.user.id, role: Role.PATIENT, organizationId: null };
}

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  const clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  colleague = await addColleague(h.orm.em.fork(), world.claims[Role.PCP]);
  for (const [index, scenario] of scenarios.entries()) {
    const registered = await h.graphql(RegisterPatientDocument, { input: { givenName: `Matrix${index}`, familyName: 'Case', birthDate: '1980-03-03' } }, clinician);
    const patientId = registered.data!.registerPatient.patient.id;
    patients.set(scenario.name, patientId);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F33.1', text: 'Depression' } }, clinician);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F11.20', text: 'Opioid use disorder' } }, clinician);
    await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Sertraline 50 mg', dose: '50 mg', route: 'oral', sig: 'daily' } }, clinician);
    await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', dose: '8/2 mg', route: 'sublingual', sig: 'daily' } }, clinician);
    await h.graphql(RecordAssessmentDocument, { input: { patientId, instrument: 'PHQ9', score: 12, administeredAt: '2026-11-01T10:00:00Z' } }, clinician);
    await h.graphql(RecordAttendanceDocument, { input: { patientId, sessionAt: '2026-11-02T10:00:00Z', sessionType: 'GROUP', status: 'ATTENDED' } }, clinician);
    await h.graphql(RecordAttendanceDocument, { input: { patientId, sessionAt: '2026-11-03T10:00:00Z', sessionType: 'GROUP', status: 'ATTENDED', sudProgram: true } }, clinician);
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Weekly CBT group' } }, clinician);
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'CRISIS', text: 'Call the crisis line' } }, clinician);
    await h.graphql(ReportSideEffectDocument, { input: { patientId, effect: 'Nausea', severity: 'MILD' } }, clinician);
    await addCriticalLabResults(patientId);
    for (const organizationId of [world.claims[Role.PCP].organizationId!, world.iopId]) {
      await h.graphql(AddPatientIdentifierDocument, { input: { patientId, organizationId, value: `MRN-${index}-${organizationId.slice(0, 4)}` } }, clinician);
    }
    if (!scenario.consent) continue;
    const recipientFor: Record<Recipient, { recipientOrganizationIds?: string[]; recipientUserIds?: string[] }> = {
      PCP: { recipientOrganizationIds: [world.claims[Role.PCP].organizationId!] },
      PHARMACIST: { recipientOrganizationIds: [world.claims[Role.PHARMACIST].organizationId!] },
      PCP_IN_PERSON: { recipientUserIds: [world.claims[Role.PCP].userId] },
      COLLEAGUE_IN_PERSON: { recipientUserIds: [colleague.userId] },
    };
    const requested = await h.graphql(
      RequestConsentDocument,
      {
        input: {
          patientId,
          ...recipientFor[scenario.consent.recipient ?? 'PCP'],
          purpose: scenario.consent.purpose ?? 'TREATMENT',
          categories: scenario.consent.categories,
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      clinician,
    );
    const consentId = requested.data!.requestConsent.consent.id;
    if (scenario.consent.state === 'REQUESTED') continue;
    const patientToken = await h.token(await patientLogin(patientId, `matrix${index}`, world.claims[Role.ADMIN]));
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

describe.each(readers.flatMap((reader) => scenarios.map((scenario) => ({ reader, ...scenario }))))('$reader, $name', ({ reader, ...scenario }) => {
  it.each(paths)('$name', async (path) => {
    const outcome = await read(await h.token(world.claims[reader]), patients.get(scenario.name)!, path.query);
    expect(outcome).toBe(expected(scenario, path, reader));
  });

  it('patient list', async () => {
    const listed = await h.graphql<{ patients: { edges: { node: { id: string } }[] } }, object>('{ patients(first: 100) { edges { node { id } } } }', {}, await h.token(world.claims[reader]));
    const shown = inForceFor(scenario, reader) && scenario.consent!.categories.includes('DEMOGRAPHICS');
    expect(listed.data!.patients.edges.map((edge) => edge.node.id).includes(patients.get(scenario.name)!)).toBe(shown);
  });
});

const exportable = scenarios.filter((scenario) => inForceFor(scenario, Role.PCP) && scenario.consent!.categories.includes('DEMOGRAPHICS'));
describe.each(exportable)('PCP, $name', (scenario) => {
  it('the FHIR export holds only the categories the consent lists, Part 2 records only when it lists SUD', async () => {
    const consent = scenario.consent!;
    const response = await h.graphql<{ patient: { fhirBundle: Bundle } }, { id: string }>(
      'query($id: ID!) { patient(id: $id) { fhirBundle } }',
      { id: patients.get(scenario.name)! },
      await h.token(world.claims[Role.PCP]),
    );
    const resources = response.data!.patient.fhirBundle.entry!.map((entry) => entry.resource!);
    expect(resources.filter((resource) => !consent.categories.includes(exportedCategory(resource)))).toEqual([]);
    const part2 = resources.filter((resource) => resource.meta?.security?.some((label) => label.code === '42CFRPart2'));
    expect(part2.length > 0).toBe(consent.categories.includes('SUD') && consent.categories.some((category) => ['DIAGNOSES', 'MEDICATIONS', 'TREATMENT_SUMMARY'].includes(category)));
  });
});

describe.each([Role.LAB, Role.LOCAL_PROVIDER])('%s without a consent of its own', (role) => {
  it.each(paths)('$name is refused', async (path) => {
    expect(await read(await h.token(world.claims[role]), patients.get('active: everything but SUD')!, path.query)).toBe('CONSENT_REQUIRED');
  });
});

describe('other queries that return patient data', () => {
  const pcpWithConsent = () => patients.get('active: everything but SUD')!;
  it.each([
    ['disclosures', 'query($id: ID!) { disclosures(patientId: $id) { items { occurredAt } } }'],
    ['matchReviews', '{ matchReviews { edges { node { id } } } }'],
  ])('%s is refused to a PCP even under a consent', async (_name, query) => {
    const response = await h.graphql(query, { id: pcpWithConsent() }, await h.token(world.claims[Role.PCP]));
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data).toBeNull();
  });
});

describe('patient search', () => {
  async function search(claims: TokenClaims, args: string) {
    return h.graphql<{ patients: { totalCount: number; edges: { node: { id: string } }[] } }, object>(
      `{ patients(first: 100, ${args}) { totalCount edges { node { id } } } }`,
      {},
      await h.token(claims),
    );
  }

  it("finds a consenting patient by name and birth date for the PCP, and answers for anyone else's patient exactly as for nobody", async () => {
    const consenting = scenarios.findIndex((scenario) => scenario.name === 'active: everything but SUD');
    const found = await search(world.claims[Role.PCP], `name: "matrix${consenting}", birthDate: "1980-03-03"`);
    expect(found.data!.patients.edges.map((edge) => edge.node.id)).toEqual([patients.get('active: everything but SUD')]);
    const nobody = await search(world.claims[Role.PCP], 'name: "Nobody", birthDate: "1980-03-03"');
    expect(nobody).toEqual({ status: 200, data: { patients: { totalCount: 0, edges: [] } } });
    // No consent, a consent not naming who the patient is, or one for another purpose: as for nobody.
    for (const name of ['no consent', 'active: labs only, not who the patient is', 'active for payment, not treatment', 'another recipient']) {
      expect(await search(world.claims[Role.PCP], `name: "matrix${scenarios.findIndex((scenario) => scenario.name === name)}", birthDate: "1980-03-03"`)).toEqual(nobody);
    }
    const forPayment = await search(world.claims[Role.PCP], `purpose: PAYMENT, name: "matrix${scenarios.findIndex((scenario) => scenario.name === 'active for payment, not treatment')}"`);
    expect(forPayment.data!.patients.edges.map((edge) => edge.node.id)).toEqual([patients.get('active for payment, not treatment')]);
  });

  it('finds by part of a name for the care team, with wildcards taken literally', async () => {
    const byName = await search(world.claims[Role.IOP_CLINICIAN], 'name: "case", birthDate: "1980-03-03"');
    expect(byName.data!.patients.totalCount).toBe(scenarios.length);
    expect((await search(world.claims[Role.IOP_CLINICIAN], 'name: "%_"')).data!.patients.totalCount).toBe(0);
    expect((await search(world.claims[Role.IOP_CLINICIAN], 'name: "x"')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('every read path is in the matrix', () => {
  const schema = buildSchema(readFileSync(join(__dirname, '../schema/schema.graphql'), 'utf8'));
  /** The fields a selection names at its top level. */
  const topLevelFields = (selection: string) => {
    let depth = 0;
    const names: string[] = [];
    for (const token of selection.match(/[A-Za-z_]\w*|[{}()]/g) ?? []) {
      if (token === '{' || token === '(') depth++;
      else if (token === '}' || token === ')') depth--;
      else if (depth === 0) names.push(token);
    }
    return names;
  };

  it('patient fields are all covered', () => {
    const covered = new Set(['id', ...paths.flatMap((path) => topLevelFields(path.query))]);
    const fields = Object.keys((schema.getType('Patient') as GraphQLObjectType).getFields());
    expect(fields.filter((field) => !covered.has(field))).toEqual([]);
  });

  it('queries are all classified', () => {
    const classified = {
      inMatrix: ['patient', 'patients'],
      refusedToPartners: ['disclosures', 'failedInboundMessages', 'failedJob', 'failedJobs', 'inboundMessage', 'matchReviews', 'myCriticalAlerts', 'myMedicationAlerts'],
      // Opened by id (a notification's subject), decided by the policy: see notification-subjects.test.ts.
      subjectsById: ['breakGlassAccess', 'consent', 'criticalAlert', 'dispense', 'enrollment', 'medicationAlert', 'prescription', 'referral'],
      // The sender's program and the recipient organization only (referral-rules.ts): see referrals.test.ts, referral-access.test.ts
      // and, for the letter's download, referral-letters.test.ts.
      referralSides: ['referralLetter', 'referralPacketPreview', 'referralsReceived', 'referralsSent'],
      // Prescriptions routed to the pharmacist's own pharmacy (the policy's dispensing rule): see pharmacy-fills.test.ts
      // and, for one prescription and its live changes, pharmacy-worklist-live.test.ts.
      pharmacistsOnly: ['pharmacyPrescription', 'pharmacyWorklist'],
      ownOnly: ['me', 'myDisclosures', 'myNotifications'],
      // Webhook sources: names and secret dates, never a secret (webhook-sources.test.ts).
      noPatientData: ['organization', 'organizationEndpoint', 'organizations', 'users', 'webhookSources'],
    };
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(Object.values(classified).flat().sort());
  });

  it('subscriptions are all classified', () => {
    // Each event is read again through the query named here, per subscriber, under the same policy
    // (see live-updates.test.ts: care team, other program, partner under and after a consent, patient;
    // live-pharmacy.test.ts for fills and deliveries).
    // Deliveries are read as a prescription's `deliveries` within `patient` (see live-pharmacy.test.ts).
    // Referrals as `referral` reads them (see the referrals rows below and live-referrals.test.ts).
    // A pharmacy's worklist changes as `pharmacyPrescription` reads them (pharmacy-worklist-live.test.ts).
    const readAs = {
      criticalAlertRaised: 'criticalAlert',
      fillRecorded: 'dispense',
      deliveryStatusChanged: 'patient',
      referralUpdated: 'referral',
      pharmacyWorklistChanged: 'pharmacyPrescription',
    };
    expect(Object.keys(schema.getSubscriptionType()!.getFields()).sort()).toEqual(Object.keys(readAs).sort());
    for (const query of Object.values(readAs)) expect(schema.getQueryType()!.getFields()[query]).toBeDefined();
  });
});

describe('controls', () => {
  it("a partner sees the identifiers partners assigned, not the IOP's own record numbers", async () => {
    const response = await h.graphql<{ patient: { identifiers: { organization: { id: string } }[] } }, { id: string }>(
      'query($id: ID!) { patient(id: $id) { identifiers { organization { id } } } }',
      { id: patients.get('active: everything but SUD')! },
      await h.token(world.claims[Role.PCP]),
    );
    expect(response.data!.patient.identifiers.map((identifier) => identifier.organization.id)).toEqual([world.claims[Role.PCP].organizationId]);
  });

  it('a request reads a patient for one purpose', async () => {
    const response = await h.graphql(
      'query($id: ID!) { a: patient(id: $id, purpose: PAYMENT) { id } b: patient(id: $id) { id } }',
      { id: patients.get('no consent')! },
      await h.token(world.claims[Role.IOP_CLINICIAN]),
    );
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', purposes: ['PAYMENT', 'TREATMENT'] });
  });

  it.each(paths)('the care team sees $name whole', async (path) => {
    expect(await read(await h.token(world.claims[Role.IOP_CLINICIAN]), patients.get('no consent')!, path.query)).toBe('ALLOWED');
  });
});

/**
 * Two programs treating patients, a practice and a pharmacy as partners (issue 11). Program A is
 * the world's IOP, program B a second one. Every case is a patient of its own, treated by A, B or
 * both, holding a record of each kind below (a program's records only where it treats), and the
 * consents the case lists. The expectations come from the rules, not from today's code.
 */
describe('two programs', () => {
  type Program = 'A' | 'B';
  type Source = Program | 'LAB' | 'PRACTICE';
  type Partner = Role.PCP | Role.PHARMACIST;
  const isProgram = (source: Source): source is Program => source === 'A' || source === 'B';

  const twoProgramPaths = [
    { field: 'diagnoses', item: 'icd10Code', category: 'DIAGNOSES' },
    { field: 'labResults', item: 'testName', category: 'LABS' },
    { field: 'allergies', item: 'substance', category: 'MEDICATIONS' },
  ] as const;
  type TwoProgramPath = (typeof twoProgramPaths)[number];

  /** The records each case's patient holds, by who sent them; `key` is how a read names them. */
  interface HeldRecord {
    field: TwoProgramPath['field'];
    key: string;
    source: Source;
    sud: boolean;
  }
  const held: HeldRecord[] = [
    { field: 'diagnoses', key: 'F33.1', source: 'A', sud: false },
    { field: 'diagnoses', key: 'F11.20', source: 'A', sud: true },
    { field: 'diagnoses', key: 'F41.1', source: 'B', sud: false },
    { field: 'diagnoses', key: 'F10.20', source: 'B', sud: true },
    { field: 'diagnoses', key: 'F10.10', source: 'PRACTICE', sud: true },
    { field: 'labResults', key: 'Lithium', source: 'LAB', sud: false },
    { field: 'labResults', key: 'Urine drug screen, fentanyl', source: 'LAB', sud: true },
    { field: 'allergies', key: 'Penicillin', source: 'PRACTICE', sud: false },
  ];

  interface TwoProgramConsent {
    from: Program;
    to: Partner[];
    categories: Category[];
  }
  interface TwoProgramCase {
    name: string;
    treatedBy: Program[];
    /** Programs that treated the patient once and discharged them; their records stay. */
    dischargedBy?: Program[];
    consents: TwoProgramConsent[];
  }

  const toBoth: Partner[] = [Role.PCP, Role.PHARMACIST];
  const withoutSud: Category[] = ['DEMOGRAPHICS', 'DIAGNOSES', 'LABS'];
  const withSud: Category[] = [...withoutSud, 'SUD'];
  const everything: Category[] = [...withSud, 'MEDICATIONS'];
  const cases: TwoProgramCase[] = [
    { name: 'both treat, no consent', treatedBy: ['A', 'B'], consents: [] },
    { name: 'both treat, A consents without SUD', treatedBy: ['A', 'B'], consents: [{ from: 'A', to: toBoth, categories: withoutSud }] },
    { name: 'both treat, A consents with SUD', treatedBy: ['A', 'B'], consents: [{ from: 'A', to: toBoth, categories: withSud }] },
    { name: 'both treat, B consents without SUD', treatedBy: ['A', 'B'], consents: [{ from: 'B', to: toBoth, categories: withoutSud }] },
    { name: 'both treat, B consents with SUD', treatedBy: ['A', 'B'], consents: [{ from: 'B', to: toBoth, categories: withSud }] },
    {
      name: 'both treat, A consents without SUD, B with SUD',
      treatedBy: ['A', 'B'],
      consents: [{ from: 'A', to: toBoth, categories: withoutSud }, { from: 'B', to: toBoth, categories: withSud }],
    },
    {
      name: 'both treat, both consent to everything',
      treatedBy: ['A', 'B'],
      consents: [{ from: 'A', to: toBoth, categories: everything }, { from: 'B', to: toBoth, categories: everything }],
    },
    {
      name: 'both treat, A consents to the practice, B to the pharmacy',
      treatedBy: ['A', 'B'],
      consents: [{ from: 'A', to: [Role.PCP], categories: withSud }, { from: 'B', to: [Role.PHARMACIST], categories: withSud }],
    },
    { name: 'both treat, A consents to diagnoses only', treatedBy: ['A', 'B'], consents: [{ from: 'A', to: toBoth, categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'SUD'] }] },
    { name: 'A alone treats, A consents with SUD', treatedBy: ['A'], consents: [{ from: 'A', to: toBoth, categories: withSud }] },
    { name: 'B alone treats, B consents without SUD', treatedBy: ['B'], consents: [{ from: 'B', to: toBoth, categories: withoutSud }] },
    { name: 'A treats, B discharged, A consents with SUD', treatedBy: ['A'], dischargedBy: ['B'], consents: [{ from: 'A', to: toBoth, categories: withSud }] },
  ];

  type Expected =
    | { patient: 'CONSENT_REQUIRED' | 'FORBIDDEN' }
    | { items: 'REFUSED' | 'NULL_WITHOUT_AN_ERROR_AT_ITS_PATH' }
    | { items: string[]; withheld: boolean; noticeNamesPart2?: boolean };
  /** What was audited beyond the data that left, and whether SUD data left unaudited: always nothing and no. */
  const auditedRight = { beyondWhatLeft: [], sudLeftUnaudited: false };

  const heldBy = (each: TwoProgramCase): Program[] => [...each.treatedBy, ...(each.dischargedBy ?? [])];
  const recordsOf = (each: TwoProgramCase, path: TwoProgramPath) =>
    held.filter((record) => record.field === path.field && (!isProgram(record.source) || heldBy(each).includes(record.source)));
  const keysOf = (records: HeldRecord[]) => records.map((record) => record.key).sort();
  /** The practice is the only reader here that sent records of its own. */
  const ownSourceOf = (role: Role): Source | null => (role === Role.PCP ? 'PRACTICE' : null);

  /**
   * A partner sees the patient only under a consent in force naming it; a record under one consent
   * listing its category (and SUD if it has it) that, for a program's record, is that program's;
   * its own records always. A category no consent lists is refused at its path, not the whole patient.
   */
  function partnerSees(each: TwoProgramCase, reader: Partner, path: TwoProgramPath): Expected {
    const consents = each.consents.filter((consent) => consent.to.includes(reader));
    if (consents.length === 0) return { patient: 'CONSENT_REQUIRED' };
    const discloses = (consent: TwoProgramConsent, record: HeldRecord) =>
      (!isProgram(record.source) || consent.from === record.source) && consent.categories.includes(path.category) && (!record.sud || consent.categories.includes('SUD'));
    const records = recordsOf(each, path);
    const shown = records.filter((record) => record.source === ownSourceOf(reader) || consents.some((consent) => discloses(consent, record)));
    const categoryListed = consents.some((consent) => consent.categories.includes(path.category));
    if (shown.length === 0 && !categoryListed) return { items: 'REFUSED' };
    // A category no consent lists is reported closed (no count) even when the partner's own records come back.
    return { items: keysOf(shown), withheld: shown.length < records.length || !categoryListed };
  }

  /**
   * Staff of a treating program see everything but another program's Part 2 records (SUD-labelled,
   * from another program), and are told that records were withheld without being told they are SUD.
   */
  function staffSees(each: TwoProgramCase, program: Program, path: TwoProgramPath): Expected {
    if (!each.treatedBy.includes(program)) return { patient: 'FORBIDDEN' };
    const records = recordsOf(each, path);
    const shown = records.filter((record) => !(record.sud && isProgram(record.source) && record.source !== program));
    return { items: keysOf(shown), withheld: shown.length < records.length, noticeNamesPart2: false };
  }

  let second: SecondProgram;
  const programClaims = (program: Program) => (program === 'A' ? world.claims[Role.IOP_CLINICIAN] : second.clinician);
  const programIdOf = (program: Program) => (program === 'A' ? world.iopId : second.iopId);
  const casePatients = new Map<string, string>();
  const caseConsents = new Map<string, Record<Program, string[]>>();

  async function addHeldRecords(patientId: string, programs: Program[]): Promise<void> {
    const em = h.orm.em.fork();
    const patient = em.getReference(Patient, patientId);
    const from = (source: Source) => ({
      sourceOrganization: em.getReference(
        Organization,
        isProgram(source) ? programIdOf(source) : world.claims[source === 'LAB' ? Role.LAB : Role.PCP].organizationId!,
      ),
      sourceSystem: `urn:example:${source.toLowerCase()}`,
    });
    for (const record of held.filter((each) => !isProgram(each.source) || programs.includes(each.source))) {
      if (record.field === 'diagnoses') em.persist(new Diagnosis(patient, from(record.source), { icd10Code: record.key, text: record.key }));
      if (record.field === 'labResults') {
        em.persist(new LabResult(patient, from(record.source), { testName: record.key, valueText: 'Reported', status: ResultStatus.FINAL, effectiveAt: new Date('2026-11-04T08:00:00Z') }));
      }
      if (record.field === 'allergies') em.persist(new Allergy(patient, from(record.source), { substance: record.key }));
    }
    await em.flush();
  }

  beforeAll(async () => {
    second = await addSecondProgram(h.orm.em.fork(), world);
    const adminOf = (program: Program) => (program === 'A' ? world.claims[Role.ADMIN] : second.admin);
    for (const [index, each] of cases.entries()) {
      const [registrar, ...others] = each.treatedBy;
      const registered = await h.graphql(
        RegisterPatientDocument,
        { input: { givenName: `TwoPrograms${index}`, familyName: 'Case', birthDate: '1975-05-05' } },
        await h.token(programClaims(registrar)),
      );
      const patientId = registered.data!.registerPatient.patient.id;
      for (const program of others) await enrollInProgram(h.orm.em.fork(), patientId, programClaims(program));
      for (const program of each.dischargedBy ?? []) {
        const enrollmentId = await enrollInProgram(h.orm.em.fork(), patientId, programClaims(program));
        const ended = await h.graphql(EndEnrollmentDocument, { enrollmentId, status: 'DISCHARGED' }, await h.token(programClaims(program)));
        expect(ended.errors).toBeUndefined();
      }
      casePatients.set(each.name, patientId);
      await addHeldRecords(patientId, heldBy(each));
      const consentIds: Record<Program, string[]> = { A: [], B: [] };
      caseConsents.set(each.name, consentIds);
      if (each.consents.length === 0) continue;
      const patientToken = await h.token(await patientLogin(patientId, `two-programs-${index}`, adminOf(registrar)));
      for (const consent of each.consents) {
        const requested = await h.graphql(
          RequestConsentDocument,
          {
            input: {
              patientId,
              recipientOrganizationIds: consent.to.map((partner) => world.claims[partner].organizationId!),
              purpose: 'TREATMENT',
              categories: consent.categories,
              expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
            },
          },
          await h.token(programClaims(consent.from)),
        );
        const consentId = requested.data!.requestConsent.consent.id;
        const signed = await h.graphql(SignConsentDocument, { consentId, signedName: `TwoPrograms${index} Case`, acknowledgeRightToRevoke: true }, patientToken);
        expect(signed.errors).toBeUndefined();
        consentIds[consent.from].push(consentId);
      }
    }
  }, 60_000);

  const latestAuditId = async () => (await h.orm.em.fork().find(AuditEvent, {}, { orderBy: { id: 'desc' }, limit: 1 }))[0]?.id ?? '0';

  /** What `claims` gets on `path` of a case's patient, and whether the audit rows it caused match the data that left. */
  type ListRead = string[] | 'REFUSED' | 'NULL_WITHOUT_AN_ERROR_AT_ITS_PATH';

  /** Reads `paths` of a case's patient; what the patient's fields hold, the errors, and the patient refused whole (or not). */
  async function readPaths(claims: TokenClaims, each: TwoProgramCase, paths: readonly TwoProgramPath[]) {
    const body = await h.graphql<{ patient: Record<string, { [item: string]: string }[] | string | null> | null }, { id: string }>(
      `query($id: ID!) { patient(id: $id) { givenName ${paths.map((path) => `${path.field} { ${path.item} }`).join(' ')} } }`,
      { id: casePatients.get(each.name)! },
      await h.token(claims),
    );
    const errors = body.errors ?? [];
    const codes = errors.map((error) => error.extensions?.code);
    if (codes.some((code) => code !== 'CONSENT_REQUIRED' && code !== 'FORBIDDEN')) throw new Error(`unexpected errors ${JSON.stringify(errors)}`);
    const patient = body.data?.patient ?? null;
    const refusedWhole = patient ? null : codes.includes('FORBIDDEN') ? ('FORBIDDEN' as const) : ('CONSENT_REQUIRED' as const);
    /** The records a list shows, or why it is null: refused at its path, or null with no error saying so. */
    const listOf = (path: TwoProgramPath): ListRead => {
      const value = patient?.[path.field] as { [item: string]: string }[] | null;
      if (value !== null) return value.map((item) => item[path.item]).sort();
      const refusedHere = errors.some((error) => error.path?.join('.') === `patient.${path.field}` && error.extensions?.code === 'CONSENT_REQUIRED');
      return refusedHere ? 'REFUSED' : 'NULL_WITHOUT_AN_ERROR_AT_ITS_PATH';
    };
    return { errors, refusedWhole, listOf };
  }

  /** What `claims` gets on `path` of a case's patient, and whether the audit rows it caused match the data that left. */
  async function readCase(claims: TokenClaims, each: TwoProgramCase, path: TwoProgramPath) {
    const since = await latestAuditId();
    const { errors, refusedWhole, listOf } = await readPaths(claims, each, [path]);
    const list = refusedWhole ? null : listOf(path);
    const shown = Array.isArray(list) ? list.map((key) => held.find((record) => record.field === path.field && record.key === key)!) : [];
    const notices = errors.filter((error) => !error.path && error.extensions?.code === 'CONSENT_REQUIRED');
    let outcome: Expected;
    if (refusedWhole) outcome = { patient: refusedWhole };
    else if (!Array.isArray(list)) outcome = { items: list! };
    else {
      const namesPart2 = (notice: (typeof notices)[number]) =>
        (notice.extensions?.categories as string[] | undefined)?.includes('SUD') || /part 2|42 CFR|SUD|substance/i.test(notice.message);
      outcome = { items: list, withheld: notices.length > 0, ...(claims.role === Role.IOP_CLINICIAN ? { noticeNamesPart2: notices.some(namesPart2) } : {}) };
    }
    // What left: who the patient is, the list (an empty one says there is nothing) and the labels of the records in it,
    // but not the reader's own records: showing those to their sender discloses nothing.
    const disclosed = shown.filter((record) => record.source !== ownSourceOf(claims.role));
    const left = new Set<string>(refusedWhole ? [] : ['DEMOGRAPHICS']);
    if (Array.isArray(list) && (shown.length === 0 || disclosed.length > 0)) left.add(path.category);
    const sudLeft = disclosed.some((record) => record.sud);
    if (sudLeft) left.add('SUD');
    const audited = (await h.orm.em.fork().find(AuditEvent, { userId: claims.userId, id: { $gt: since } })).flatMap((row) => row.categories);
    return {
      outcome,
      audit: { beyondWhatLeft: [...new Set(audited.filter((category) => !left.has(category)))].sort(), sudLeftUnaudited: sudLeft && !audited.includes(DataCategory.SUD) },
    };
  }

  describe.each(toBoth.flatMap((reader) => cases.map((each) => ({ reader, ...each }))))('$reader, $name', ({ reader, ...each }) => {
    it.each(twoProgramPaths)('$field', async (path) => {
      expect(await readCase(world.claims[reader], each, path)).toEqual({ outcome: partnerSees(each, reader, path), audit: auditedRight });
    });

    it('all lists at once: a refused one is null at its path, the others are shown', async () => {
      const expected = twoProgramPaths.map((path) => partnerSees(each, reader, path));
      const { refusedWhole, listOf } = await readPaths(world.claims[reader], each, twoProgramPaths);
      const lists = (read: (path: TwoProgramPath) => ListRead | undefined) => Object.fromEntries(twoProgramPaths.map((path) => [path.field, read(path)]));
      expect(refusedWhole ? { patient: refusedWhole } : lists(listOf)).toEqual(
        'patient' in expected[0] ? expected[0] : lists((path) => (expected[twoProgramPaths.indexOf(path)] as { items: ListRead }).items),
      );
    });

    it('patient list', async () => {
      const listed = await h.graphql<{ patients: { edges: { node: { id: string } }[] } }, object>('{ patients(first: 100) { edges { node { id } } } }', {}, await h.token(world.claims[reader]));
      const shown = each.consents.some((consent) => consent.to.includes(reader));
      expect(listed.data!.patients.edges.some((edge) => edge.node.id === casePatients.get(each.name))).toBe(shown);
    });
  });

  const staffCases = (['A', 'B'] as const).flatMap((program) =>
    ['both treat, no consent', 'A alone treats, A consents with SUD', 'B alone treats, B consents without SUD', 'A treats, B discharged, A consents with SUD'].map((name) => ({ program, each: cases.find((each) => each.name === name)! })),
  );
  describe.each(staffCases)('staff of $program, $each.name', ({ program, each }) => {
    it.each(twoProgramPaths)('$field', async (path) => {
      expect(await readCase(programClaims(program), each, path)).toEqual({ outcome: staffSees(each, program, path), audit: auditedRight });
    });
  });

  it.each(['A', 'B'] as const)("program %s's staff list only their own program's disclosures of a patient both treat", async (program) => {
    const each = cases.find((candidate) => candidate.name === 'both treat, both consent to everything')!;
    const other: Program = program === 'A' ? 'B' : 'A';
    for (const claims of [programClaims('A'), programClaims('B'), world.claims[Role.PCP], world.claims[Role.PHARMACIST]]) {
      await readCase(claims, each, twoProgramPaths[0]);
    }
    const response = await h.graphql<{ disclosures: { items: { organizationId: string | null; consentId: string | null }[] } }, { id: string }>(
      'query($id: ID!) { disclosures(patientId: $id, first: 200) { items { organizationId consentId } } }',
      { id: casePatients.get(each.name)! },
      await h.token(programClaims(program)),
    );
    const items = response.data!.disclosures.items;
    expect(items.some((item) => item.organizationId === programIdOf(program))).toBe(true);
    expect(items.filter((item) => item.organizationId === programIdOf(other) || caseConsents.get(each.name)![other].includes(item.consentId ?? ''))).toEqual([]);
  });
});

/**
 * Referrals (issue 14): who sees a referral, its packet and its live updates. The parties are the
 * sending program's care team and the recipient organization's clinical users; the packet carries
 * what a consent of the sending program in force at sending, naming the recipient, lists (every
 * label of a record, SUD only where listed; another program's Part 2 records never), and the
 * recipient reads it only while such a consent is still in force. Everyone else: NOT_FOUND, as for
 * an unknown id, and no events. The expectations come from the rules, not from today's code.
 */
describe('referrals', () => {
  type Party = 'SENDER_CLINICIAN' | 'OTHER_PROGRAM_CLINICIAN' | 'RECIPIENT_MEMBER' | 'OTHER_LOCAL_PROVIDER' | 'PCP_WITHOUT_REFERRAL' | 'PATIENT';
  const parties: Party[] = ['SENDER_CLINICIAN', 'OTHER_PROGRAM_CLINICIAN', 'RECIPIENT_MEMBER', 'OTHER_LOCAL_PROVIDER', 'PCP_WITHOUT_REFERRAL', 'PATIENT'];
  type PacketCategory = 'DIAGNOSES' | 'MEDICATIONS' | 'SUD';

  /** What each case's patient holds, by who wrote it; `key` is how the packet names it. */
  const held = [
    { key: 'F33.1', category: 'DIAGNOSES', sud: false, program: 'A' },
    { key: 'F11.20', category: 'DIAGNOSES', sud: true, program: 'A' },
    { key: 'Sertraline 50 mg', category: 'MEDICATIONS', sud: false, program: 'A' },
    { key: 'Buprenorphine 8 mg / naloxone 2 mg film', category: 'MEDICATIONS', sud: true, program: 'A' },
    // The other program's Part 2 record: never in program A's packet, never reported.
    { key: 'F10.20', category: 'DIAGNOSES', sud: true, program: 'B' },
  ] as const;
  const requested: PacketCategory[] = ['DIAGNOSES', 'MEDICATIONS', 'SUD'];

  interface PacketCase {
    name: string;
    /** The consent of program A in force when the referral is sent (none: no consent). */
    consent?: { categories: PacketCategory[]; names: 'RECIPIENT' | 'PRACTICE'; signed: boolean; revokedAfterSending?: boolean };
  }
  const packetCases: PacketCase[] = [
    { name: 'no consent' },
    { name: 'requested, not signed', consent: { categories: ['DIAGNOSES', 'MEDICATIONS', 'SUD'], names: 'RECIPIENT', signed: false } },
    { name: 'diagnoses', consent: { categories: ['DIAGNOSES'], names: 'RECIPIENT', signed: true } },
    { name: 'diagnoses with SUD', consent: { categories: ['DIAGNOSES', 'SUD'], names: 'RECIPIENT', signed: true } },
    { name: 'medications', consent: { categories: ['MEDICATIONS'], names: 'RECIPIENT', signed: true } },
    { name: 'everything requested', consent: { categories: ['DIAGNOSES', 'MEDICATIONS', 'SUD'], names: 'RECIPIENT', signed: true } },
    { name: 'diagnoses with SUD, revoked after sending', consent: { categories: ['DIAGNOSES', 'SUD'], names: 'RECIPIENT', signed: true, revokedAfterSending: true } },
    { name: 'everything, naming the practice, not the recipient', consent: { categories: ['DIAGNOSES', 'MEDICATIONS', 'SUD'], names: 'PRACTICE', signed: true } },
  ];

  /** The parties of a referral: the sending program's care team and the recipient organization. */
  const seesReferral = (party: Party) => party === 'SENDER_CLINICIAN' || party === 'RECIPIENT_MEMBER';

  /** The records that went: program A's, whose every label the consent in force at sending naming the recipient lists. */
  function sent(packetCase: PacketCase): string[] {
    const consent = packetCase.consent;
    if (!consent?.signed || consent.names !== 'RECIPIENT') return [];
    return held
      .filter((record) => record.program === 'A' && requested.includes(record.category))
      .filter((record) => consent.categories.includes(record.category) && (!record.sud || consent.categories.includes('SUD')))
      .map((record) => record.key);
  }

  /**
   * What a party reads of the packet, and whether records sent are withheld from them now (absent,
   * with CONSENT_REQUIRED: a consent revoked since); null when the referral does not exist for them.
   */
  function packetFor(packetCase: PacketCase, party: Party): { records: string[]; withheldNow: boolean } | null {
    if (!seesReferral(party)) return null;
    const records = sent(packetCase).sort();
    if (party === 'SENDER_CLINICIAN' || !packetCase.consent?.revokedAfterSending) return { records, withheldNow: false };
    return { records: [], withheldNow: records.length > 0 };
  }

  let programB: TokenClaims;
  let otherLocal: TokenClaims;
  const referralOf = new Map<string, string>();
  const claimsOf = new Map<string, Record<Party, TokenClaims>>();

  async function gqlOk<R>(query: Parameters<Harness['graphql']>[0], variables: Record<string, unknown>, claims: TokenClaims): Promise<R> {
    const response = await h.graphql<R, Record<string, unknown>>(query as string, variables, await h.token(claims));
    expect(response.errors).toBeUndefined();
    return response.data!;
  }

  async function referAndSend(by: TokenClaims, patientId: string, recipientOrganizationId: string): Promise<string> {
    const created = await gqlOk<{ createReferral: { referral: { id: string; version: number } } }>(
      'mutation($input: CreateReferralInput!) { createReferral(input: $input) { referral { id version } } }',
      { input: { patientId, recipientOrganizationId, urgency: 'ROUTINE', requestedService: 'Outpatient psychiatry', reason: 'Needs in-person care', clinicalQuestion: 'Medication review?', requestedCategories: requested } },
      by,
    );
    const { id, version } = created.createReferral.referral;
    await gqlOk('mutation($id: ID!, $v: Int!) { sendReferral(id: $id, expectedVersion: $v) { referral { id } } }', { id, v: version }, by);
    return id;
  }

  async function member(organizationName: string, kind: OrganizationKind, role: Role, email: string): Promise<TokenClaims> {
    const em = h.orm.em.fork();
    const organization = new Organization(organizationName, kind);
    const user = new User(email, organizationName);
    await em.persist([organization, user, new Membership(user, organization, role)]).flush();
    return { userId: user.id, role, organizationId: organization.id };
  }

  beforeAll(async () => {
    const clinicianA = world.claims[Role.IOP_CLINICIAN];
    programB = await member('Referral Matrix Program B', OrganizationKind.IOP, Role.IOP_CLINICIAN, 'clinician@referral-matrix-b.example');
    otherLocal = await member('Riverside Counseling', OrganizationKind.LOCAL_PROVIDER, Role.LOCAL_PROVIDER, 'intake@riverside.example');
    const recipientOrganizationId = world.claims[Role.LOCAL_PROVIDER].organizationId!;
    const clinician = await h.token(clinicianA);
    for (const [index, packetCase] of packetCases.entries()) {
      const registered = await h.graphql(RegisterPatientDocument, { input: { givenName: `Referral${index}`, familyName: 'Case', birthDate: '1982-04-04' } }, clinician);
      const patientId = registered.data!.registerPatient.patient.id;
      await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F33.1', text: 'Depression' } }, clinician);
      await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F11.20', text: 'Opioid use disorder' } }, clinician);
      await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Sertraline 50 mg', dose: '50 mg', route: 'oral', sig: 'daily' } }, clinician);
      await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', dose: '8/2 mg', route: 'sublingual', sig: 'daily' } }, clinician);
      await enrollInProgram(h.orm.em, patientId, programB);
      await gqlOk(RecordDiagnosisDocument as unknown as string, { input: { patientId, icd10Code: 'F10.20', text: 'Alcohol use disorder' } }, programB);
      const patient = await patientLogin(patientId, `referral${index}`, world.claims[Role.ADMIN]);
      claimsOf.set(packetCase.name, {
        SENDER_CLINICIAN: clinicianA,
        OTHER_PROGRAM_CLINICIAN: programB,
        RECIPIENT_MEMBER: world.claims[Role.LOCAL_PROVIDER],
        OTHER_LOCAL_PROVIDER: otherLocal,
        PCP_WITHOUT_REFERRAL: world.claims[Role.PCP],
        PATIENT: patient,
      });
      let consentId: string | null = null;
      if (packetCase.consent) {
        const names = packetCase.consent.names === 'RECIPIENT' ? recipientOrganizationId : world.claims[Role.PCP].organizationId!;
        const requestedConsent = await h.graphql(
          RequestConsentDocument,
          { input: { patientId, recipientOrganizationIds: [names], purpose: 'TREATMENT', categories: packetCase.consent.categories, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
          clinician,
        );
        consentId = requestedConsent.data!.requestConsent.consent.id;
        if (packetCase.consent.signed) await h.graphql(SignConsentDocument, { consentId, signedName: `Referral ${index} Case`, acknowledgeRightToRevoke: true }, await h.token(patient));
      }
      referralOf.set(packetCase.name, await referAndSend(clinicianA, patientId, recipientOrganizationId));
      if (consentId && packetCase.consent?.revokedAfterSending) await h.graphql(RevokeConsentDocument, { consentId }, await h.token(patient));
    }
  }, 60_000);

  const referralQuery = `query($id: ID!) { referral(id: $id) { id packet { records { ... on Diagnosis { icd10Code } ... on Prescription { drugName } } } } }`;
  type ReferralRead = { referral: { id: string; packet: { records: { icd10Code?: string; drugName?: string }[] } | null } | null };

  describe.each(packetCases.flatMap((packetCase) => parties.map((party) => ({ party, ...packetCase }))))('$party, $name', ({ party, ...packetCase }) => {
    it('sees the referral and its packet exactly as the rules say', async () => {
      const response = await h.graphql<ReferralRead, { id: string }>(referralQuery, { id: referralOf.get(packetCase.name)! }, await h.token(claimsOf.get(packetCase.name)![party]));
      const expectedPacket = packetFor(packetCase, party);
      if (expectedPacket === null) {
        expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(response.data?.referral ?? null).toBeNull();
        return;
      }
      expect((response.errors ?? []).map((error) => error.extensions?.code)).toEqual(expectedPacket.withheldNow ? ['CONSENT_REQUIRED'] : []);
      const shown = response.data!.referral!.packet!.records.map((record) => record.icd10Code ?? record.drugName).sort();
      expect(shown).toEqual(expectedPacket.records);
    });
  });

  describe('referralUpdated', () => {
    const subscribers = new Map<Party, LiveSubscriber<ReferralUpdatedSubscription>>();
    const beacons = new Map<Party, string>();
    const watched = () => referralOf.get('everything requested')!;
    const received = (party: Party, id: string) => subscribers.get(party)!.results.some((result) => result.data?.referralUpdated.id === id);

    beforeAll(async () => {
      const claims = claimsOf.get('everything requested')!;
      const url = await subscriptionsUrl(h.app);
      for (const party of parties) subscribers.set(party, subscribe(url, await h.token(claims[party]), ReferralUpdatedDocument, {}));
      // A referral each party is on a side of, published after the one watched: once it arrives, the watched one was passed or delivered.
      const patientId = (await h.orm.em.fork().findOneOrFail(Referral, watched())).patient.id;
      beacons.set('SENDER_CLINICIAN', watched());
      beacons.set('RECIPIENT_MEMBER', watched());
      beacons.set('OTHER_PROGRAM_CLINICIAN', await referAndSend(programB, patientId, otherLocal.organizationId!));
      beacons.set('OTHER_LOCAL_PROVIDER', beacons.get('OTHER_PROGRAM_CLINICIAN')!);
      beacons.set('PCP_WITHOUT_REFERRAL', await referAndSend(world.claims[Role.IOP_CLINICIAN], patientId, world.claims[Role.PCP].organizationId!));
      const listening = parties.filter((party) => party !== 'PATIENT');
      const events = [watched(), ...new Set(beacons.values())].map((recordId) => ({ patientId, recordId }));
      await publishUntil(h, 'referralUpdated', events, () => listening.every((party) => received(party, beacons.get(party)!)), 20_000);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([...subscribers.values()].map((subscriber) => subscriber.stop()));
      // The server lets go of the channel once every subscription has ended: only then may Redis close.
      const numsub = async () => ((await h.redis.pubsub('NUMSUB', channelOf(h.config.QUEUE_PREFIX, 'referralUpdated'))) as [string, number])[1];
      await until(numsub, (count) => count === 0);
    });

    it.each(parties)('%s receives its events exactly when it sees the referral (a patient may not subscribe)', (party) => {
      if (party === 'PATIENT') {
        expect(subscribers.get(party)!.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        return;
      }
      expect(received(party, beacons.get(party)!)).toBe(true);
      expect(received(party, watched())).toBe(seesReferral(party));
    });
  });
});
