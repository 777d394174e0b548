import { Role } from '../src/auth/roles';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { MeDocument, PatientDocument, PatientsDocument, PatientWithCareDocument } from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { seedWorld, type World } from './helpers/world';

let h: Harness;
let world: World;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
});
afterAll(() => h.close());

function auditRows(requestId?: string) {
  return h.orm.em.fork().find(AuditEvent, requestId ? { requestId } : {}, { orderBy: { id: 'asc' } });
}

async function graphqlWithRequestId(requestId: string, query: string, variables: Record<string, unknown>, token: string) {
  return h.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    payload: { query, variables },
  });
}

describe('every operation that returns patient data is audited in the same request', () => {
  it('writes one row per patient with who, role, organization, categories, purpose and operation', async () => {
    const clinician = world.claims[Role.IOP_CLINICIAN];
    const patient = world.patients[1];
    const response = await graphqlWithRequestId(
      'audit-one',
      PatientWithCareDocument.toString(),
      { id: patient.id },
      await h.token(clinician),
    );
    expect(response.json().data.patient.id).toBe(patient.id);
    const rows = await auditRows('audit-one');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: clinician.userId,
      role: 'IOP_CLINICIAN',
      organizationId: clinician.organizationId,
      patientId: patient.id,
      categories: ['DEMOGRAPHICS', 'TREATMENT_SUMMARY'],
      purpose: 'TREATMENT',
      consentId: null,
      operation: 'query PatientWithCare',
    });
    expect(rows[0].occurredAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('records the purpose the caller stated', async () => {
    const query = 'query Purposeful($id: ID!) { patient(id: $id, purpose: HEALTH_CARE_OPERATIONS) { id } }';
    await graphqlWithRequestId('audit-purpose', query, { id: world.patients[0].id }, await h.token(world.claims[Role.ADMIN]));
    const [row] = await auditRows('audit-purpose');
    expect(row).toMatchObject({ purpose: 'HEALTH_CARE_OPERATIONS', role: 'ADMIN', categories: ['DEMOGRAPHICS'] });
  });

  it('writes a row for each patient a list returns', async () => {
    const response = await graphqlWithRequestId('audit-list', PatientsDocument.toString(), {}, await h.token(world.therapist));
    const listed = response.json().data.patients.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();
    const rows = await auditRows('audit-list');
    expect(rows.map((row) => row.patientId).sort()).toEqual(listed);
    expect(rows.every((row) => row.operation === 'query Patients' && row.userId === world.therapist.userId)).toBe(true);
  });

  it('writes nothing when nothing was disclosed (refused, or no patient data)', async () => {
    await graphqlWithRequestId('audit-denied', PatientDocument.toString(), { id: world.patients[0].id }, await h.token(world.claims[Role.PCP]));
    await graphqlWithRequestId('audit-none', MeDocument.toString(), {}, await h.token(world.claims[Role.IOP_CLINICIAN]));
    expect(await auditRows('audit-denied')).toEqual([]);
    expect(await auditRows('audit-none')).toEqual([]);
  });

  it('lets the patient\'s own reads be audited too', async () => {
    await graphqlWithRequestId('audit-self', PatientDocument.toString(), { id: world.patients[0].id }, await h.token(world.claims[Role.PATIENT]));
    const [row] = await auditRows('audit-self');
    expect(row).toMatchObject({ role: 'PATIENT', patientId: world.patients[0].id, organizationId: null });
  });

  it('withholds the data when the audit rows cannot be written', async () => {
    const connection = h.orm.em.getConnection();
    await connection.execute('alter table "audit_event" rename to "audit_event_away"');
    try {
      const response = await graphqlWithRequestId(
        'audit-broken',
        PatientDocument.toString(),
        { id: world.patients[0].id },
        await h.token(world.claims[Role.IOP_CLINICIAN]),
      );
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ errors: [{ message: 'The request could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      expect(response.body).not.toContain(world.patients[0].givenName);
    } finally {
      await connection.execute('alter table "audit_event_away" rename to "audit_event"');
    }
  });
});

describe('the audit table is append-only, enforced by the database', () => {
  it.each([
    ['UPDATE', 'update "audit_event" set "role" = \'ADMIN\''],
    ['DELETE', 'delete from "audit_event"'],
    ['TRUNCATE', 'truncate "audit_event"'],
  ])('refuses %s', async (operation, sql) => {
    const before = await h.orm.em.fork().count(AuditEvent, {});
    expect(before).toBeGreaterThan(0);
    await expect(h.orm.em.getConnection().execute(sql)).rejects.toThrow(`audit_event is append-only: ${operation} is not allowed`);
    const rows = await auditRows();
    expect(rows).toHaveLength(before);
    expect(rows.some((row) => row.role === Role.ADMIN && row.requestId === 'audit-one')).toBe(false);
  });

  it('still accepts new rows', async () => {
    const before = await h.orm.em.fork().count(AuditEvent, {});
    await graphqlWithRequestId('audit-more', PatientDocument.toString(), { id: world.patients[0].id }, await h.token(world.claims[Role.ADMIN]));
    expect(await h.orm.em.fork().count(AuditEvent, {})).toBe(before + 1);
  });
});
