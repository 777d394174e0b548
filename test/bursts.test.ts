import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenClaims } from '../src/auth/jwt';
import { Role } from '../src/auth/roles';
import { AccessPolicy } from '../src/modules/access/access-policy';
import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import { ClinicalRecord } from '../src/modules/clinical/clinical-record.entity';
import { Consent } from '../src/modules/consent/consent.entity';
import { InboxMessage } from '../src/modules/ingest/inbox-message.entity';
import { MatchReview, MatchReviewStatus } from '../src/modules/ingest/match-review.entity';
import { CriticalAlert } from '../src/modules/labs/critical-alert.entity';
import { Prescription } from '../src/modules/medications/prescription.entity';
import { Organization } from '../src/modules/organizations/organization.entity';
import { CareTeamMember } from '../src/modules/patients/care-team-member.entity';
import { Enrollment } from '../src/modules/patients/enrollment.entity';
import { PatientIdentifier } from '../src/modules/patients/patient-identifier.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { Dispense } from '../src/modules/pharmacy/dispense.entity';
import { FillStatus } from '../src/modules/pharmacy/dispensing-status';
import { MedicationAlert, MedicationAlertKind } from '../src/modules/pharmacy/medication-alert.entity';
import {
  AcknowledgeCriticalAlertDocument, AcknowledgeMedicationAlertDocument, AddCareTeamMemberDocument, AddPatientIdentifierDocument, ConfirmDispensedDocument,
  EndEnrollmentDocument, EnrollPatientDocument, LinkMatchReviewDocument, MatchReviewsDocument, PrescribeDocument, RegisterPatientDocument,
  RemoveCareTeamMemberDocument, ReportNotDispensedDocument, RequestConsentDocument, RevokeConsentDocument, SignConsentDocument, UnlinkInboundMessageDocument,
} from './generated/graphql';
import { startHarness, type GraphQLResponse, type Harness } from './helpers/harness';
import { lithium, sendFhirBundle } from './helpers/ingest';
import { addRoutedPrescription } from './helpers/routed-prescriptions';
import { startTestWorkers, until } from './helpers/workers';
import { addColleague, addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/**
 * Bursts of concurrent mutations for one patient, three times the database pool: a transaction that
 * waits for a second pooled connection (a policy read on the request's own connection) would take
 * every connection and hang; here each burst must answer every request in time.
 */
const poolSize = 5;
const burstSize = 3 * poolSize;
const burstTimeoutMs = 15_000;

let h: Harness;
let world: World;
let second: SecondProgram;
let workers: { stop(): Promise<void> };

beforeAll(async () => {
  h = await startHarness({ DATABASE_POOL_MAX: String(poolSize) });
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  workers = startTestWorkers(h);
});
afterAll(async () => {
  await workers.stop();
  await h.close();
});

/** Fires `burstSize` requests at once; fails the test, instead of hanging, when they do not all answer in time. */
async function burst<T>(fire: (index: number) => Promise<GraphQLResponse<T>>): Promise<GraphQLResponse<T>[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a burst of ${burstSize} requests did not answer within ${burstTimeoutMs} ms`)), burstTimeoutMs);
  });
  try {
    return await Promise.race([Promise.all(Array.from({ length: burstSize }, (_, index) => fire(index))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions?.code;

/** Every answer a success or a clear refusal of one of `codes`; returns how many succeeded. */
function answered(results: GraphQLResponse<unknown>[], codes: string[]): number {
  for (const result of results) {
    if (result.errors) expect(codes).toContain(codeOf(result));
    else expect(result.data).toBeTruthy();
  }
  return results.filter((result) => !result.errors).length;
}

const token = (claims: TokenClaims) => h.token(claims);
const clinician = () => world.claims[Role.IOP_CLINICIAN];

async function registered(givenName: string): Promise<{ patientId: string; enrollmentId: string }> {
  const result = await h.graphql(RegisterPatientDocument, { input: { givenName, familyName: 'Burst', birthDate: '1985-04-04' } }, await token(clinician()));
  return { patientId: result.data!.registerPatient.patient.id, enrollmentId: result.data!.registerPatient.enrollment.id };
}

describe('enrolment and care team', () => {
  it('ends an enrolment once and enrols the patient again once, another program refused throughout', async () => {
    const { patientId, enrollmentId } = await registered('Ending');
    const [own, other] = await Promise.all([token(clinician()), token(second.clinician)]);
    const ended = await burst((index) => h.graphql(EndEnrollmentDocument, { enrollmentId, status: 'DISCHARGED' }, index % 3 === 2 ? other : own));
    expect(answered(ended, ['CONFLICT', 'NOT_FOUND'])).toBe(1);
    // Another program's staff are answered as for an unknown enrolment.
    ended.forEach((result, index) => index % 3 === 2 && expect(codeOf(result)).toBe('NOT_FOUND'));
    expect((await h.orm.em.fork().findOneOrFail(Enrollment, { id: enrollmentId })).status).toBe('DISCHARGED');

    const [admin, otherAdmin] = await Promise.all([token(world.claims[Role.ADMIN]), token(second.admin)]);
    const enrolled = await burst((index) => h.graphql(EnrollPatientDocument, { patientId }, index % 3 === 2 ? otherAdmin : admin));
    expect(answered(enrolled, ['CONFLICT', 'FORBIDDEN'])).toBe(1);
    enrolled.forEach((result, index) => index % 3 === 2 && expect(codeOf(result)).toBe('FORBIDDEN'));
    const enrollments = await h.orm.em.fork().find(Enrollment, { patient: patientId }, { orderBy: { createdAt: 'asc' } });
    expect(enrollments.map((each) => [each.program.id, each.status])).toEqual([
      [world.iopId, 'DISCHARGED'],
      [world.iopId, 'ACTIVE'],
    ]);
  }, 60_000);

  it('adds a colleague to the care team once and removes them, another program refused', async () => {
    const { enrollmentId } = await registered('Teamed');
    const colleague = await addColleague(h.orm.em.fork(), clinician());
    const [own, other] = await Promise.all([token(clinician()), token(second.clinician)]);
    const added = await burst((index) =>
      h.graphql(AddCareTeamMemberDocument, { enrollmentId, userId: colleague.userId, teamRole: 'THERAPIST' }, index % 3 === 2 ? other : own),
    );
    // Adding again restores the same membership: every request of the program succeeds.
    expect(answered(added, ['NOT_FOUND'])).toBe(10);
    expect(await h.orm.em.fork().count(CareTeamMember, { enrollment: enrollmentId, user: colleague.userId, removedAt: null })).toBe(1);

    const removed = await burst((index) => h.graphql(RemoveCareTeamMemberDocument, { enrollmentId, userId: colleague.userId }, index % 3 === 2 ? other : own));
    expect(answered(removed, ['NOT_FOUND'])).toBe(10);
    const member = await h.orm.em.fork().findOneOrFail(CareTeamMember, { enrollment: enrollmentId, user: colleague.userId });
    expect(member.removedAt).not.toBeNull();
  }, 60_000);

  it('records a practice identifier once', async () => {
    const { patientId } = await registered('Identified');
    const practiceId = world.claims[Role.PCP].organizationId!;
    const [own, other] = await Promise.all([token(clinician()), token(second.clinician)]);
    const results = await burst((index) =>
      h.graphql(AddPatientIdentifierDocument, { input: { patientId, organizationId: practiceId, value: 'PCP-4242' } }, index % 3 === 2 ? other : own),
    );
    expect(answered(results, ['CONFLICT', 'FORBIDDEN'])).toBeGreaterThanOrEqual(1);
    results.forEach((result, index) => index % 3 === 2 && expect(codeOf(result)).toBe('FORBIDDEN'));
    expect(await h.orm.em.fork().count(PatientIdentifier, { patient: patientId, organization: practiceId })).toBe(1);
  }, 60_000);
});

describe('clinical work and consent', () => {
  it('writes every one of a burst of prescriptions, another program refused', async () => {
    const { patientId } = await registered('Prescribed');
    const [own, other] = await Promise.all([token(clinician()), token(second.clinician)]);
    const input = { patientId, drugName: 'Sertraline', dose: '50 mg', route: 'oral', sig: 'daily' };
    const results = await burst((index) => h.graphql(PrescribeDocument, { input }, index % 3 === 2 ? other : own));
    expect(answered(results, ['FORBIDDEN'])).toBe(10);
    expect(await h.orm.em.fork().count(Prescription, { patient: patientId })).toBe(10);
  }, 60_000);

  it('requests consents, signs one once and revokes it once', async () => {
    const patientId = world.patients[0].id;
    const [own, other, patient] = await Promise.all([token(clinician()), token(second.clinician), token(world.claims[Role.PATIENT])]);
    const input = {
      patientId,
      recipientOrganizationIds: [world.claims[Role.PCP].organizationId!],
      purpose: 'TREATMENT' as const,
      categories: ['DEMOGRAPHICS' as const],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    // The patient is in both programs' care: each program asks under its own name.
    const requested = await burst((index) => h.graphql(RequestConsentDocument, { input }, index % 3 === 2 ? other : own));
    expect(answered(requested, [])).toBe(burstSize);
    const consentId = requested[0].data!.requestConsent.consent.id;

    const signed = await burst(() => h.graphql(SignConsentDocument, { consentId, signedName: 'Avery Demo', acknowledgeRightToRevoke: true }, patient));
    expect(answered(signed, ['CONFLICT'])).toBe(1);
    const revoked = await burst(() => h.graphql(RevokeConsentDocument, { consentId }, patient));
    expect(answered(revoked, ['CONFLICT'])).toBe(1);
    const consent = await h.orm.em.fork().findOneOrFail(Consent, { id: consentId }, { populate: ['events'] });
    expect(consent.status).toBe('REVOKED');
    expect(consent.events.getItems().map((event) => event.toStatus)).toEqual(['REQUESTED', 'ACTIVE', 'REVOKED']);
  }, 60_000);
});

describe('alerts', () => {
  it('acknowledges a critical result once, by either program treating the patient', async () => {
    const patientId = world.patients[0].id;
    const em = h.orm.em.fork();
    em.persist(new PatientIdentifier(em.getReference(Patient, patientId), em.getReference(Organization, world.claims[Role.LAB].organizationId!), 'L-555', 'REGLAB'));
    await em.flush();
    const sent = await h.app.inject({
      method: 'POST',
      url: '/ingest/hl7',
      headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${await token(world.claims[Role.LAB])}` },
      payload: lithium('BURST-1', '1.9', 'HH'),
    });
    expect(sent.body).toContain('MSA|AA|');
    const [alert] = await until(() => h.orm.em.fork().find(CriticalAlert, { patient: patientId }), (alerts) => alerts.length === 1);
    const [own, other, pharmacist] = await Promise.all([token(clinician()), token(second.clinician), token(world.claims[Role.PHARMACIST])]);
    const results = await burst((index) => h.graphql(AcknowledgeCriticalAlertDocument, { alertId: alert.id }, [own, other, pharmacist][index % 3]));
    expect(answered(results, ['CONFLICT', 'FORBIDDEN'])).toBe(1);
    results.forEach((result, index) => index % 3 === 2 && expect(codeOf(result)).toBe('FORBIDDEN'));
    expect((await h.orm.em.fork().findOneOrFail(CriticalAlert, { id: alert.id })).status).toBe('ACKNOWLEDGED');
  }, 60_000);

  it('records a burst of pharmacy fill reports for one patient, then acknowledges the alert they raised', async () => {
    const patientId = second.ownPatientId;
    const pharmacyId = world.claims[Role.PHARMACIST].organizationId!;
    const prescriptions = await Promise.all(
      Array.from({ length: poolSize }, () => addRoutedPrescription(h.orm.em, { patientId, programId: second.iopId, pharmacyId, prescriberId: second.clinician.userId })),
    );
    const pharmacist = await token(world.claims[Role.PHARMACIST]);
    const today = new Date().toISOString().slice(0, 10);
    // Three reports of each prescription's first fill: one is recorded, the others CONFLICT.
    const fills = await burst<unknown>((index) => {
      const prescriptionRef = prescriptions[index % poolSize].rxNumber!;
      return index < poolSize
        ? h.graphql(ReportNotDispensedDocument, { input: { prescriptionRef, fillNumber: 0, reason: 'OUT_OF_STOCK' } }, pharmacist)
        : h.graphql(ConfirmDispensedDocument, { input: { prescriptionRef, fillNumber: 0, quantity: 30, daysSupply: 30, ndc: '0002-3227-30', lotNumber: 'LOT-7', dispensedOn: today } }, pharmacist);
    });
    answered(fills, ['CONFLICT']);
    for (const prescription of prescriptions) {
      const recorded = await h.orm.em.fork().find(Dispense, { prescription: prescription.id }, { orderBy: { createdAt: 'asc' } });
      expect(recorded.length).toBeGreaterThanOrEqual(1);
      expect(recorded.filter((fill) => fill.fillStatus === FillStatus.DISPENSED)).toHaveLength(1);
    }
    const alerts = await h.orm.em.fork().find(MedicationAlert, { patient: patientId, kind: MedicationAlertKind.NOT_DISPENSED });
    expect(alerts.length).toBeGreaterThanOrEqual(1);

    const [own, other] = await Promise.all([token(second.clinician), token(clinician())]);
    const acknowledged = await burst((index) => h.graphql(AcknowledgeMedicationAlertDocument, { alertId: alerts[0].id }, index % 3 === 2 ? other : own));
    // Acknowledging again changes nothing; the other program is answered as for an unknown alert.
    expect(answered(acknowledged, ['NOT_FOUND'])).toBe(10);
    acknowledged.forEach((result, index) => index % 3 === 2 && expect(codeOf(result)).toBe('NOT_FOUND'));
    const stored = await h.orm.em.fork().findOneOrFail(MedicationAlert, { id: alerts[0].id });
    expect(stored.acknowledgedById).toBe(second.clinician.userId);
  }, 60_000);
});

describe('match review', () => {
  const bundle = (id: string) =>
    readFileSync(join(__dirname, 'fixtures', 'fhir', 'sibling-bundle.json'), 'utf8')
      .replace('maple-export-sibling', id)
      .replaceAll('maple-p-2002', `p-${id}`)
      .replace('"Casey"', '"Morgan"')
      .replace('"Twin"', '"Unmatched"')
      .replace('MAPLE-2002', `MRN-${id}`)
      .replace('cond-sibling', `cond-${id}`);

  it('links a held message once and unlinks it once, another program refused', async () => {
    const { message } = await sendFhirBundle(h, await token(world.claims[Role.PCP]), bundle('burst-1'));
    expect(message?.state).toBe('HELD');
    const [admin, otherAdmin] = await Promise.all([token(world.claims[Role.ADMIN]), token(second.admin)]);
    const reviews = await h.graphql(MatchReviewsDocument, {}, admin);
    const reviewId = reviews.data!.matchReviews.edges.find((edge) => edge.node.demographics.identifiers.includes('MRN-burst-1'))!.node.id;
    const patientId = world.patients[1].id;

    const linked = await burst((index) => h.graphql(LinkMatchReviewDocument, { reviewId, patientId }, index % 3 === 2 ? otherAdmin : admin));
    expect(answered(linked, ['CONFLICT', 'FORBIDDEN'])).toBe(1);
    linked.forEach((result, index) => index % 3 === 2 && expect(codeOf(result)).toBe('FORBIDDEN'));
    expect(await h.orm.em.fork().count(ClinicalRecord, { patient: patientId, sourceRecordId: 'Condition/cond-burst-1' })).toBe(1);

    const unlinked = await burst((index) => h.graphql(UnlinkInboundMessageDocument, { inboxMessageId: message!.id }, index % 3 === 2 ? otherAdmin : admin));
    expect(answered(unlinked, ['CONFLICT', 'FORBIDDEN'])).toBe(1);
    expect(await h.orm.em.fork().count(ClinicalRecord, { patient: patientId, sourceRecordId: 'Condition/cond-burst-1' })).toBe(0);
    expect((await h.orm.em.fork().findOneOrFail(InboxMessage, { id: message!.id })).state).toBe('HELD');
    expect(await h.orm.em.fork().count(MatchReview, { inboxMessage: message!.id, status: MatchReviewStatus.PENDING })).toBe(1);
  }, 60_000);
});

describe('the policy point', () => {
  it('refuses at once to decide inside a transaction, where it would wait for a second connection', async () => {
    const em = h.orm.em.fork();
    const { userId, role, organizationId } = clinician();
    const policy = new AccessPolicy(em, { id: userId, role, organizationId: organizationId ?? null, patientId: null }, new DisclosureLedger());
    const patientId = world.patients[0].id;
    await expect(em.transactional(() => policy.requireCareOf(patientId))).rejects.toThrow(/asked inside a transaction/);
    await expect(policy.requireCareOf(patientId)).resolves.toBe('CARE_TEAM');
  });
});
