import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { Consent } from '../src/modules/consent/consent.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { Prescription } from '../src/modules/medications/prescription.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient as PatientEntity } from '../src/modules/patients/patient.entity';
import {
  DeclineConsentDocument, EndEnrollmentDocument, MyDisclosuresDocument, PatientConsentsDocument, PatientWithCareDocument, PatientDocument, PatientsDocument, PatientViewDocument, RecordDiagnosisDocument,
  RequestConsentDocument, RevokeConsentDocument, SignConsentDocument, UpdateCarePlanDocument, PrescribeDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;
let clinician: string;
let patient: string;
let pcp: string;
let practiceId: string;
let patientId: string;

const inThirtyDays = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  clinician = await h.token(world.claims[Role.IOP_CLINICIAN]);
  patient = await h.token(world.claims[Role.PATIENT]);
  pcp = await h.token(world.claims[Role.PCP]);
  practiceId = world.claims[Role.PCP].organizationId!;
  patientId = world.patients[0].id;
  await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent' } }, clinician);
  await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F11.20', text: 'Opioid use disorder' } }, clinician);
});
afterAll(() => h.close());

/** The PCP's read of the patient's diagnoses for a purpose. */
function diagnosesFor(purpose: 'TREATMENT' | 'PAYMENT' | 'OTHER') {
  return h.graphql<{ patient: { diagnoses: { icd10Code: string }[] } }, { id: string }>(
    `query($id: ID!) { patient(id: $id, purpose: ${purpose}) { diagnoses { icd10Code } } }`,
    { id: patientId },
    pcp,
  );
}

async function requestFor(
  categories: ('DEMOGRAPHICS' | 'DIAGNOSES' | 'MEDICATIONS' | 'TREATMENT_SUMMARY' | 'SUD' | 'PSYCHOTHERAPY_NOTES')[],
  expiresAt: string | null = inThirtyDays(),
  recipient = practiceId,
) {
  const requested = await h.graphql(
    RequestConsentDocument,
    { input: { patientId, recipientOrganizationIds: [recipient], purpose: 'TREATMENT', categories, expiresAt } },
    clinician,
  );
  expect(requested.errors).toBeUndefined();
  return requested.data!.requestConsent.consent.id;
}

describe('the consent workflow', () => {
  it('is requested by the care team and signed by the patient; every change is kept as an event', async () => {
    const consentId = await requestFor(['DEMOGRAPHICS', 'DIAGNOSES']);
    expect((await h.graphql(PatientDocument, { id: patientId }, pcp)).errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');

    const signed = await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect(signed.data?.signConsent.consent).toMatchObject({ status: 'ACTIVE', signedName: 'Avery Demo' });
    expect(signed.data?.signConsent.consent.events.map((event) => [event.fromStatus, event.toStatus])).toEqual([
      [null, 'REQUESTED'],
      ['REQUESTED', 'ACTIVE'],
    ]);

    const read = await h.graphql(PatientDocument, { id: patientId }, pcp);
    expect(read.data?.patient.id).toBe(patientId);
    const list = await h.graphql(PatientsDocument, {}, pcp);
    expect(list.data?.patients.edges.map((edge) => edge.node.id)).toEqual([patientId]);

    const revoked = await h.graphql(RevokeConsentDocument, { consentId }, patient);
    expect(revoked.data?.revokeConsent.consent.status).toBe('REVOKED');
    expect((await h.graphql(PatientDocument, { id: patientId }, pcp)).errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
    expect((await h.graphql(PatientsDocument, {}, pcp)).data?.patients.totalCount).toBe(0);
  });

  it('audits each disclosure with the consent it relied on', async () => {
    const consentId = await requestFor(['DEMOGRAPHICS']);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const response = await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pcp}`, 'x-request-id': 'consent-audit' },
      payload: { query: PatientDocument.toString(), variables: { id: patientId } },
    });
    expect(response.statusCode).toBe(200);
    const [row] = await h.orm.em.fork().find(AuditEvent, { requestId: 'consent-audit' });
    expect(row).toMatchObject({ role: 'PCP', organizationId: practiceId, consentId, categories: ['DEMOGRAPHICS'] });
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });

  it('discloses SUD data only when the consent lists SUD; withheld items are reported, not silently dropped', async () => {
    const consentId = await requestFor(['DEMOGRAPHICS', 'DIAGNOSES']);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const view = await h.graphql(PatientViewDocument, { id: patientId }, pcp);
    // Diagnoses are allowed, without the SUD one; medications and the rest are not in the consent:
    // each is null with an error at its path, and the rest of the patient is answered.
    expect(view.data!.patient.diagnoses!.map((diagnosis) => diagnosis.icd10Code)).toEqual(['F33.1']);
    expect(view.data!.patient.medications).toBeNull();
    expect(view.errors).toContainEqual(expect.objectContaining({ path: ['patient', 'medications'], extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED' }) }));
    expect(view.errors!.every((error) => error.extensions?.code === 'CONSENT_REQUIRED')).toBe(true);

    const body = await diagnosesFor('TREATMENT');
    expect(body.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code)).toEqual(['F33.1']);
    expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CONSENT_REQUIRED', categories: ['SUD'], withheld: 1 }) })]);
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });

  it('refuses to activate a consent that lacks a §2.31 element, naming it, and changes nothing', async () => {
    const noExpiry = await requestFor(['DEMOGRAPHICS'], null);
    const unsigned = await h.graphql(SignConsentDocument, { consentId: noExpiry, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect(unsigned.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', missing: ['expiry (a date or an event)'] });
    const withNotes = await requestFor(['PSYCHOTHERAPY_NOTES']);
    const notes = await h.graphql(SignConsentDocument, { consentId: withNotes, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect(notes.errors?.[0].message).toMatch(/psychotherapy notes/);
    const noAck = await h.graphql(SignConsentDocument, { consentId: withNotes, signedName: 'Avery Demo', acknowledgeRightToRevoke: false }, patient);
    expect(noAck.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const stored = await h.orm.em.fork().findOneOrFail(Consent, { id: noExpiry });
    expect(stored).toMatchObject({ status: 'REQUESTED', signedName: null });
  });

  it('names people as recipients only when they act for a partner organization, and refuses a request with no recipients', async () => {
    const request = (recipients: { recipientOrganizationIds?: string[]; recipientUserIds?: string[] }) =>
      h.graphql(RequestConsentDocument, { input: { patientId, ...recipients, purpose: 'TREATMENT', categories: ['DEMOGRAPHICS'], expiresAt: inThirtyDays() } }, clinician);
    const before = await h.orm.em.fork().count(Consent, {});
    for (const refused of [
      {},
      { recipientUserIds: [world.therapist.userId] },
      { recipientUserIds: [world.claims[Role.PATIENT].userId] },
      { recipientUserIds: [world.claims[Role.PCP].userId, '00000000-0000-4000-8000-000000000000'] },
    ]) {
      expect((await request(refused)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', element: 'recipients' });
    }
    expect(await h.orm.em.fork().count(Consent, {})).toBe(before);
    const named = await request({ recipientUserIds: [world.claims[Role.PCP].userId] });
    expect(named.data?.requestConsent.consent).toMatchObject({ recipientOrganizationIds: [], recipientUserIds: [world.claims[Role.PCP].userId] });
  });

  it('lets only the patient decide, and only once', async () => {
    const consentId = await requestFor(['DEMOGRAPHICS']);
    const byClinician = await h.graphql(DeclineConsentDocument, { consentId }, clinician);
    expect(byClinician.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const declined = await h.graphql(DeclineConsentDocument, { consentId }, patient);
    expect(declined.data?.declineConsent.consent.status).toBe('DECLINED');
    const signAfter = await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect(signAfter.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', from: 'DECLINED', to: 'ACTIVE' });
    const byPcp = await h.graphql(RequestConsentDocument, { input: { patientId, recipientOrganizationIds: [practiceId], purpose: 'TREATMENT', categories: ['DEMOGRAPHICS'] } }, pcp);
    expect(byPcp.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('counts a record left out once, however many fields would have shown it', async () => {
    await h.graphql(PrescribeDocument, { input: { patientId, drugName: 'Buprenorphine 8 mg / naloxone 2 mg film', dose: '8/2 mg', route: 'sublingual', sig: 'daily' } }, clinician);
    const consentId = await requestFor(['DEMOGRAPHICS', 'MEDICATIONS']);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const read = await h.graphql<object, { id: string }>(
      'query($id: ID!) { patient(id: $id) { medications { drugName } medicationList { ingredient } interactionFlags { ruleId } } }',
      { id: patientId },
      pcp,
    );
    expect(read.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId, categories: ['SUD'], withheld: 1 }]);
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });

  it("never shows a partner an older plan when the current one is closed to them", async () => {
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Weekly group' } }, clinician);
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Weekly group and buprenorphine', addressesSud: true } }, clinician);
    const consentId = await requestFor(['DEMOGRAPHICS', 'TREATMENT_SUMMARY']);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const read = await h.graphql<{ patient: { treatmentPlan: { planText: string } | null } }, { id: string }>(
      'query($id: ID!) { patient(id: $id) { treatmentPlan { planText } } }',
      { id: patientId },
      pcp,
    );
    expect(read.data!.patient.treatmentPlan).toBeNull();
    expect(read.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId, categories: ['SUD'], withheld: 1 }]);
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });

  it('never combines two consents to disclose one record', async () => {
    const diagnosesOnly = await requestFor(['DEMOGRAPHICS', 'DIAGNOSES']);
    const sudOnly = await requestFor(['DEMOGRAPHICS', 'SUD']);
    for (const consentId of [diagnosesOnly, sudOnly]) await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const read = await diagnosesFor('TREATMENT');
    expect(read.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code)).toEqual(['F33.1']);
    expect(read.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId, categories: ['SUD'], withheld: 1 }]);
    for (const consentId of [diagnosesOnly, sudOnly]) await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });

  it("shows a partner its own records, which need no consent of another's", async () => {
    const em = h.orm.em.fork();
    const localProvider = world.claims[Role.LOCAL_PROVIDER].organizationId!;
    const fromOtp = { sourceOrganization: em.getReference(Organization, localProvider), sourceSystem: 'urn:example:otp' };
    await em.persist(new Prescription(em.getReference(PatientEntity, patientId), fromOtp, { drugName: 'Methadone 60 mg', dose: '60 mg', route: 'oral', sig: 'daily' })).flush();
    const consentId = await requestFor(['DEMOGRAPHICS', 'MEDICATIONS'], inThirtyDays(), localProvider);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const read = await h.graphql<{ patient: { medications: { drugName: string }[] } }, { id: string }>(
      'query($id: ID!) { patient(id: $id) { medications { drugName } } }',
      { id: patientId },
      await h.token(world.claims[Role.LOCAL_PROVIDER]),
    );
    expect(read.data!.patient.medications.map((medication) => medication.drugName)).toContain('Methadone 60 mg');
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
    // Under no consent at all, not even its own.
    const without = await h.graphql(PatientDocument, { id: patientId }, await h.token(world.claims[Role.LOCAL_PROVIDER]));
    expect(without.errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
  });

  it('does not honour a consent past its expiry or for another purpose', async () => {
    const consentId = await requestFor(['DEMOGRAPHICS']);
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect((await h.graphql(PatientDocument, { id: patientId }, pcp)).data?.patient.id).toBe(patientId);
    const forPayment = await h.graphql<{ patient: { id: string } }, { id: string }>('query($id: ID!) { patient(id: $id, purpose: PAYMENT) { id } }', { id: patientId }, pcp);
    expect(forPayment.errors?.[0].extensions).toMatchObject({ code: 'CONSENT_REQUIRED', categories: ['DEMOGRAPHICS'] });
    await h.orm.em.fork().nativeUpdate(Consent, { id: consentId }, { startsAt: new Date(Date.now() - 2 * 86_400_000), expiresAt: new Date(Date.now() - 1000) });
    expect((await h.graphql(PatientDocument, { id: patientId }, pcp)).errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
  });

  it('decides and audits every field under the purpose the request states', async () => {
    const requested = await h.graphql(
      RequestConsentDocument,
      { input: { patientId, recipientOrganizationIds: [practiceId], purpose: 'PAYMENT', categories: ['DEMOGRAPHICS', 'DIAGNOSES'], expiresAt: inThirtyDays() } },
      clinician,
    );
    const consentId = requested.data!.requestConsent.consent.id;
    await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    const forPayment = await diagnosesFor('PAYMENT');
    expect(forPayment.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code)).toEqual(['F33.1']);
    const audited = await h.orm.em.fork().find(AuditEvent, { patientId, userId: world.claims[Role.PCP].userId }, { orderBy: { id: 'desc' }, limit: 1 });
    expect(audited[0]).toMatchObject({ purpose: 'PAYMENT', consentId });
    expect((await diagnosesFor('TREATMENT')).errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
    await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });

  it('takes another purpose only when stated in words, and serves reads for that purpose', async () => {
    const request = (purposeStatement?: string) =>
      h.graphql(
        RequestConsentDocument,
        { input: { patientId, recipientOrganizationIds: [practiceId], purpose: 'OTHER', purposeStatement, categories: ['DEMOGRAPHICS'], expiresAt: inThirtyDays() } },
        clinician,
      );
    expect((await request()).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', element: 'purpose statement' });
    expect((await request('   ')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const stated = await request('Eligibility for a supported-housing programme');
    const consent = stated.data!.requestConsent.consent;
    expect(consent).toMatchObject({ purpose: 'OTHER', purposeStatement: 'Eligibility for a supported-housing programme' });
    await h.graphql(SignConsentDocument, { consentId: consent.id, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect((await diagnosesFor('OTHER')).errors?.[0].extensions).toMatchObject({ code: 'CONSENT_REQUIRED', categories: ['DIAGNOSES'] });
    const read = await h.graphql<{ patient: { givenName: string } }, { id: string }>('query($id: ID!) { patient(id: $id, purpose: OTHER) { givenName } }', { id: patientId }, pcp);
    expect(read.data!.patient.givenName).toBeTruthy();
    const audited = await h.orm.em.fork().find(AuditEvent, { patientId, userId: world.claims[Role.PCP].userId }, { orderBy: { id: 'desc' }, limit: 1 });
    expect(audited[0]).toMatchObject({ purpose: 'OTHER', consentId: consent.id });
    await h.graphql(RevokeConsentDocument, { consentId: consent.id }, patient);
  });

  it('shows the consents to the patient and the care team, not to the recipient', async () => {
    const own = await h.graphql(PatientConsentsDocument, { id: patientId }, patient);
    expect(own.data?.patient.consents?.length).toBeGreaterThan(0);
    const team = await h.graphql(PatientConsentsDocument, { id: patientId }, clinician);
    expect(team.data?.patient.consents?.length).toBe(own.data?.patient.consents?.length);
  });
});

describe('accounting of disclosures', () => {
  it('lists for the patient who saw which categories, when, why and under which consent, newest first, page by page', async () => {
    const first = await h.graphql(MyDisclosuresDocument, { first: 2 }, patient);
    expect(first.errors).toBeUndefined();
    const items = first.data!.myDisclosures.items;
    expect(items).toHaveLength(2);
    expect(new Date(items[0].occurredAt).getTime()).toBeGreaterThanOrEqual(new Date(items[1].occurredAt).getTime());
    const all = [...items];
    let cursor = first.data!.myDisclosures.nextCursor;
    while (cursor) {
      const next = await h.graphql(MyDisclosuresDocument, { first: 2, before: cursor }, patient);
      all.push(...next.data!.myDisclosures.items);
      cursor = next.data!.myDisclosures.nextCursor;
    }
    const byPractice = all.filter((item) => item.role === 'PCP');
    expect(byPractice.length).toBeGreaterThan(0);
    expect(byPractice.every((item) => item.consentId !== null && item.organization?.id === practiceId)).toBe(true);
    expect(all.some((item) => item.role === 'IOP_CLINICIAN' && item.consentId === null)).toBe(true);

    const byPcp = await h.graphql(MyDisclosuresDocument, {}, pcp);
    expect(byPcp.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the Part 2 redisclosure notice (§2.32)', () => {
  it('comes with every response that contains SUD data, and only with those', async () => {
    const withSud = await h.graphql(PatientViewDocument, { id: patientId }, clinician);
    expect(withSud.data?.patient.diagnoses?.map((diagnosis) => diagnosis.categories)).toContainEqual(['DIAGNOSES', 'SUD']);
    expect(withSud.extensions?.redisclosureNotice).toMatch(/^This record which has been disclosed to you is protected by Federal confidentiality rules \(42 CFR part 2\)/);
    const withoutSud = await h.graphql(PatientDocument, { id: patientId }, clinician);
    expect(withoutSud.extensions?.redisclosureNotice).toBeUndefined();
  });
});

describe('a patient two programs treat', () => {
  it("discloses each program's records only under that program's own consent", async () => {
    const second = await addSecondProgram(h.orm.em, world);
    const secondClinician = await h.token(second.clinician);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F41.1', text: 'Generalized anxiety disorder' } }, secondClinician);
    await h.graphql(RecordDiagnosisDocument, { input: { patientId, icd10Code: 'F10.20', text: 'Alcohol use disorder' } }, secondClinician);
    const view = () =>
      h.graphql<{ patient: { diagnoses: { icd10Code: string }[]; enrollments: { program: { id: string } }[] } }, { id: string }>(
        'query($id: ID!) { patient(id: $id) { diagnoses { icd10Code } enrollments { program { id } } } }',
        { id: patientId },
        pcp,
      );
    const consentFrom = async (token: string) => {
      const requested = await h.graphql(
        RequestConsentDocument,
        { input: { patientId, recipientOrganizationIds: [practiceId], purpose: 'TREATMENT', categories: ['DEMOGRAPHICS', 'DIAGNOSES', 'TREATMENT_SUMMARY', 'SUD'], expiresAt: inThirtyDays() } },
        token,
      );
      const consentId = requested.data!.requestConsent.consent.id;
      await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
      return consentId;
    };

    // Two versions of the second program's plan: a reader who may not see them is told of one (the current), not of every version.
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Second program plan' } }, secondClinician);
    await h.graphql(UpdateCarePlanDocument, { input: { patientId, planType: 'TREATMENT', text: 'Second program plan, revised' } }, secondClinician);
    const fromFirst = await consentFrom(clinician);
    const plan = await h.graphql<{ patient: { treatmentPlan: { planText: string } | null } }, { id: string }>('query($id: ID!) { patient(id: $id) { treatmentPlan { planText } } }', { id: patientId }, pcp);
    expect(plan.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId, categories: ['TREATMENT_SUMMARY'], withheld: 1 }]);
    const underFirst = await view();
    expect(underFirst.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code).sort()).toEqual(['F11.20', 'F33.1']);
    expect(underFirst.data!.patient.enrollments.map((enrollment) => enrollment.program.id)).toEqual([world.iopId]);
    // Reported under their kind only, and without a word of another program or of SUD.
    expect(underFirst.errors?.map((error) => error.extensions)).toEqual([{ code: 'CONSENT_REQUIRED', patientId, categories: ['DIAGNOSES'], withheld: 2 }]);
    expect(underFirst.errors?.[0].message).not.toMatch(/program|SUD|Part 2/i);

    const fromSecond = await consentFrom(secondClinician);
    const underBoth = await view();
    expect(underBoth.errors).toBeUndefined();
    expect(underBoth.data!.patient.diagnoses.map((diagnosis) => diagnosis.icd10Code).sort()).toEqual(['F10.20', 'F11.20', 'F33.1', 'F41.1']);
    expect(underBoth.data!.patient.enrollments.map((enrollment) => enrollment.program.id).sort()).toEqual([world.iopId, second.iopId].sort());
    // Each enrolment is audited under its own program's consent.
    await h.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pcp}`, 'x-request-id': 'two-programs-enrolments' },
      payload: { query: 'query($id: ID!) { patient(id: $id) { enrollments { id } } }', variables: { id: patientId } },
    });
    const rows = await h.orm.em.fork().find(AuditEvent, { requestId: 'two-programs-enrolments' });
    expect(rows.filter((row) => row.categories.includes(DataCategory.TREATMENT_SUMMARY)).map((row) => row.consentId).sort()).toEqual([fromFirst, fromSecond].sort());
    // Each program's staff see their own program's consents; the patient sees all of theirs.
    const consentIds = async (token: string) => (await h.graphql(PatientConsentsDocument, { id: patientId }, token)).data!.patient.consents!.map((consent) => consent.id);
    expect(await consentIds(clinician)).toContain(fromFirst);
    expect(await consentIds(clinician)).not.toContain(fromSecond);
    expect(await consentIds(secondClinician)).toEqual([fromSecond]);
    expect(await consentIds(patient)).toEqual(expect.arrayContaining([fromFirst, fromSecond]));
    for (const consentId of [fromFirst, fromSecond]) await h.graphql(RevokeConsentDocument, { consentId }, patient);
  });
});

describe('a consent that ends with treatment', () => {
  it('expires when the patient is discharged from the disclosing program, with its event kept', async () => {
    const requested = await h.graphql(
      RequestConsentDocument,
      { input: { patientId, recipientOrganizationIds: [practiceId], purpose: 'TREATMENT', categories: ['DEMOGRAPHICS'], expiryEvent: 'END_OF_TREATMENT' } },
      clinician,
    );
    const consentId = requested.data!.requestConsent.consent.id;
    const signed = await h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient);
    expect(signed.data?.signConsent.consent.status).toBe('ACTIVE');
    expect((await h.graphql(PatientDocument, { id: patientId }, pcp)).data?.patient.id).toBe(patientId);

    const care = await h.graphql(PatientWithCareDocument, { id: patientId }, clinician);
    const enrollmentId = care.data!.patient.enrollments![0].id;
    await h.graphql(EndEnrollmentDocument, { enrollmentId, status: 'DISCHARGED' }, clinician);

    const stored = await h.orm.em.fork().findOneOrFail(Consent, { id: consentId }, { populate: ['events'] });
    expect(stored.events.getItems().map((event) => event.toStatus)).toEqual(['REQUESTED', 'ACTIVE', 'EXPIRED']);
    expect((await h.graphql(PatientDocument, { id: patientId }, pcp)).errors?.[0].extensions?.code).toBe('CONSENT_REQUIRED');
  });
});
