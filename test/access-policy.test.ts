import { Role } from '../src/auth/roles';
import type { TokenClaims } from '../src/auth/jwt';
import type { RequestUser } from '../src/auth/request-user';
import { AccessPolicy } from '../src/modules/access/access-policy';
import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import { Diagnosis } from '../src/modules/clinical/diagnosis.entity';
import { BreakGlassAccess } from '../src/modules/consent/break-glass.entity';
import { DataCategory } from '../src/modules/consent/data-category';
import { Organization } from '../src/modules/organizations/organization.entity';
import { Patient } from '../src/modules/patients/patient.entity';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

/** The per-request policy facade: each call loads the grants it needs, whatever was asked before. */

let h: Harness;
let world: World;
let second: SecondProgram;

const requestUser = (claims: TokenClaims): RequestUser => ({ id: claims.userId, role: claims.role, organizationId: claims.organizationId ?? null, patientId: null });

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em.fork(), world);
  const em = h.orm.em.fork();
  const patient = em.getReference(Patient, second.sharedPatientId);
  const provenance = { sourceOrganization: em.getReference(Organization, second.iopId), sourceSystem: 'carebridge', recordedById: second.clinician.userId };
  const clinician = world.claims[Role.IOP_CLINICIAN];
  em.persist([
    new Diagnosis(patient, provenance, { icd10Code: 'F11.20', text: 'Opioid use disorder' }),
    new BreakGlassAccess(patient, { id: clinician.userId, organizationId: world.iopId }, 'Unresponsive during a video session', new Date(Date.now() + 30 * 60_000)),
  ]);
  await em.flush();
});
afterAll(() => h.close());

/** A fresh request: a policy with nothing looked up yet, and the other program's Part 2 diagnosis. */
async function freshRequest(claims: TokenClaims) {
  const em = h.orm.em.fork();
  const ledger = new DisclosureLedger();
  const records = await em.find(Diagnosis, { patient: second.sharedPatientId, sourceOrganization: second.iopId }, { populate: ['sourceOrganization'] });
  return { policy: new AccessPolicy(em, requestUser(claims), ledger), ledger, records };
}

it("shows another program's Part 2 record under break-glass without a decision asked first", async () => {
  const { policy, ledger, records } = await freshRequest(world.claims[Role.IOP_CLINICIAN]);
  expect(await policy.visibleRecords(second.sharedPatientId, DataCategory.DIAGNOSES, records)).toEqual(records);
  expect(ledger.withholdings).toEqual([]);
});

it('without break-glass leaves it out and reports it, naming no SUD', async () => {
  const { policy, ledger, records } = await freshRequest(world.therapist);
  expect(await policy.visibleRecords(second.sharedPatientId, DataCategory.DIAGNOSES, records)).toEqual([]);
  expect(ledger.withholdings).toEqual([{ patientId: second.sharedPatientId, categories: [DataCategory.DIAGNOSES], count: 1, reason: expect.any(String) as string }]);
  expect(ledger.size).toBe(0);
});
