import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import type { TokenClaims } from '../src/auth/jwt';
import { readPublicKey } from '../src/auth/keys';
import { Role } from '../src/auth/roles';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import { Membership } from '../src/modules/users/membership.entity';
import { User } from '../src/modules/users/user.entity';
import { Consent } from '../src/modules/consent/consent.entity';
import { Notification } from '../src/modules/notifications/notification.entity';
import { startTestWorkers, until } from './helpers/workers';
import { UserService } from '../src/modules/users/user.service';
import {
  AddMembershipDocument, CreateOrganizationDocument, CreateUserDocument, FailedInboundMessagesDocument, MatchReviewsDocument, MeDocument,
  PatientDocument, PatientsDocument, RegisterPatientDocument, RejectMatchReviewDocument, RevokeConsentDocument, SetMembershipActiveDocument,
} from './generated/graphql';
import { requestConsent, signConsent } from './helpers/consents';
import { startHarness, type Harness } from './helpers/harness';
import { addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

let h: Harness;
let world: World;
let second: SecondProgram;
/** The practice the second program's consent names. */
let practiceId: string;
/** The practice's own admin, as the hub operator seats one. */
let practiceAdmin: TokenClaims;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  second = await addSecondProgram(h.orm.em, world);
  practiceId = world.claims[Role.PCP].organizationId!;
  // The second program discloses its (shared) patient's medications to the practice.
  const consentId = await requestConsent(h, world, { categories: ['DEMOGRAPHICS', 'MEDICATIONS'] }, second.clinician);
  await signConsent(h, world, consentId);
  const membership = await new UserService().addAdmin(h.orm.em.fork(), practiceId, 'admin@maple-fm.example', 'Maple Street Admin');
  practiceAdmin = { userId: membership.user.id, role: Role.ADMIN, organizationId: practiceId };
});
afterAll(() => h.close());

const seatsAt = (organizationId: string) => h.orm.em.fork().count(Membership, { organization: organizationId });
const usersWithEmail = (email: string) => h.orm.em.fork().count(User, { email });
const code = (result: { errors?: { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.code;

describe("an IOP admin gets no seat at a partner another program's consent names", () => {
  it('refuses creating a user there, in any role, and creates nothing', async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const before = await seatsAt(practiceId);
    for (const role of ['PCP', 'ADMIN'] as const) {
      const email = `intruder-${role.toLowerCase()}@maple-fm.example`;
      const result = await h.graphql(CreateUserDocument, { input: { email, displayName: 'Intruder', membership: { organizationId: practiceId, role } } }, admin);
      expect(code(result)).toBe('FORBIDDEN');
      expect(await usersWithEmail(email)).toBe(0);
    }
    expect(await seatsAt(practiceId)).toBe(before);
  });

  it('refuses giving itself or its own staff a membership there', async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const before = await seatsAt(practiceId);
    for (const [userId, role] of [[world.claims[Role.ADMIN].userId, 'PCP'], [world.claims[Role.IOP_CLINICIAN].userId, 'ADMIN']] as const) {
      const result = await h.graphql(AddMembershipDocument, { userId, input: { organizationId: practiceId, role } }, admin);
      expect(code(result)).toBe('FORBIDDEN');
    }
    expect(await seatsAt(practiceId)).toBe(before);
  });

  it("refuses restoring, suspending or re-adding the partner's own seats", async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const pcp = world.claims[Role.PCP];
    const membership = await h.orm.em.fork().findOneOrFail(Membership, { user: pcp.userId, organization: practiceId });
    expect(code(await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: false }, admin))).toBe('FORBIDDEN');
    expect((await h.orm.em.fork().findOneOrFail(Membership, { id: membership.id })).active).toBe(true);

    await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: false }, await h.token(practiceAdmin));
    try {
      expect(code(await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: true }, admin))).toBe('FORBIDDEN');
      const readd = await h.graphql(AddMembershipDocument, { userId: pcp.userId, input: { organizationId: practiceId, role: 'PCP' } }, admin);
      expect(code(readd)).toBe('FORBIDDEN');
      expect((await h.orm.em.fork().findOneOrFail(Membership, { id: membership.id })).active).toBe(false);
    } finally {
      await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: true }, await h.token(practiceAdmin));
    }
  });

  it('onboards a partner organization with no seats, and still may not seat anyone in it', async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const created = await h.graphql(CreateOrganizationDocument, { input: { name: 'Onboarded Pharmacy', kind: 'PHARMACY' } }, admin);
    const pharmacyId = created.data!.createOrganization.organization.id;
    expect(await seatsAt(pharmacyId)).toBe(0);
    const seat = await h.graphql(
      CreateUserDocument,
      { input: { email: 'first@onboarded-rx.example', displayName: 'First Pharmacist', membership: { organizationId: pharmacyId, role: 'PHARMACIST' } } },
      admin,
    );
    expect(code(seat)).toBe('FORBIDDEN');
    expect(await seatsAt(pharmacyId)).toBe(0);
  });

  it('refuses creating a program: programs are the hub operator\'s', async () => {
    const result = await h.graphql(CreateOrganizationDocument, { input: { name: 'Self-made Program', kind: 'IOP' } }, await h.token(world.claims[Role.ADMIN]));
    expect(code(result)).toBe('FORBIDDEN');
    expect(await h.orm.em.fork().count(Organization, { name: 'Self-made Program' })).toBe(0);
  });

  it("lists its own organization's staff only", async () => {
    const query = 'query($organizationId: ID) { users(first: 100, organizationId: $organizationId) { edges { node { email } } } }';
    const admin = await h.token(world.claims[Role.ADMIN]);
    expect(code(await h.graphql(query, { organizationId: practiceId }, admin))).toBe('FORBIDDEN');
    const own = await h.graphql<{ users: { edges: { node: { email: string } }[] } }, object>(query, {}, admin);
    const emails = own.data!.users.edges.map((edge) => edge.node.email);
    expect(emails).toContain('admin@harbor-iop.example');
    expect(emails.every((email) => email.endsWith('@harbor-iop.example'))).toBe(true);
  });
});

describe("a partner organization's own admin", () => {
  it('manages its own seats: adds staff and admins, suspends and restores them', async () => {
    const token = await h.token(practiceAdmin);
    const pcp = await h.graphql(
      CreateUserDocument,
      { input: { email: 'second-pcp@maple-fm.example', displayName: 'Second PCP', membership: { organizationId: practiceId, role: 'PCP' } } },
      token,
    );
    expect(pcp.errors).toBeUndefined();
    const deputy = await h.graphql(
      CreateUserDocument,
      { input: { email: 'deputy@maple-fm.example', displayName: 'Deputy Admin', membership: { organizationId: practiceId, role: 'ADMIN' } } },
      token,
    );
    expect(deputy.errors).toBeUndefined();
    const membership = await h.orm.em.fork().findOneOrFail(Membership, { user: pcp.data!.createUser.user.id });
    const suspended = await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: false }, token);
    expect(suspended.data?.setMembershipActive.membership.active).toBe(false);
    const restored = await h.graphql(SetMembershipActiveDocument, { membershipId: membership.id, active: true }, token);
    expect(restored.data?.setMembershipActive.membership.active).toBe(true);
  });

  it("may not seat anyone at a program or another partner, nor onboard organizations", async () => {
    const token = await h.token(practiceAdmin);
    for (const [organizationId, role] of [[world.iopId, 'IOP_CLINICIAN'], [world.claims[Role.PHARMACIST].organizationId!, 'PHARMACIST']] as const) {
      const email = `reach-${role.toLowerCase()}@maple-fm.example`;
      const result = await h.graphql(CreateUserDocument, { input: { email, displayName: 'Reach', membership: { organizationId, role } } }, token);
      expect(code(result)).toBe('FORBIDDEN');
      expect(await usersWithEmail(email)).toBe(0);
    }
    const onboard = await h.graphql(CreateOrganizationDocument, { input: { name: 'Partner-made Lab', kind: 'LAB' } }, token);
    expect(code(onboard)).toBe('FORBIDDEN');
    expect(await h.orm.em.fork().count(Organization, { name: 'Partner-made Lab' })).toBe(0);
  });

  it("gets no patient access from being ADMIN, though the practice's PCP reads under the consent", async () => {
    const shared = second.sharedPatientId;
    expect(code(await h.graphql(PatientDocument, { id: shared }, await h.token(world.claims[Role.PCP])))).toBeUndefined();

    const token = await h.token(practiceAdmin);
    expect(code(await h.graphql(PatientDocument, { id: shared }, token))).toBe('FORBIDDEN');
    expect((await h.graphql(PatientsDocument, {}, token)).data?.patients.totalCount).toBe(0);
    expect(code(await h.graphql(MatchReviewsDocument, {}, token))).toBe('FORBIDDEN');
    expect(code(await h.graphql(RejectMatchReviewDocument, { reviewId: '00000000-0000-4000-8000-000000000002' }, token))).toBe('FORBIDDEN');
    expect(code(await h.graphql(FailedInboundMessagesDocument, {}, token))).toBe('FORBIDDEN');
    const login = await h.graphql(CreateUserDocument, { input: { email: 'patient-login@maple-fm.example', displayName: 'Patient Login', patientId: shared } }, token);
    expect(code(login)).toBe('FORBIDDEN');
    expect(await usersWithEmail('patient-login@maple-fm.example')).toBe(0);
    const register = await h.graphql(RegisterPatientDocument, { input: { givenName: 'Not', familyName: 'Theirs', birthDate: '1990-01-01' } }, token);
    expect(code(register)).toBe('FORBIDDEN');
  });

  it("gives no second login to a patient who has one, which would read the whole record as the patient", async () => {
    const admin = await h.token(world.claims[Role.ADMIN]);
    const second = await h.graphql(CreateUserDocument, { input: { email: 'another-login@patients.example', displayName: 'Another Login', patientId: world.patients[0].id } }, admin);
    expect(code(second)).toBe('CONFLICT');
    expect(await usersWithEmail('another-login@patients.example')).toBe(0);
    expect(await h.orm.em.fork().count(User, { patient: world.patients[0].id })).toBe(1);
  });

  it('is neither shown nor told of the consents naming its practice, which its PCP opens', async () => {
    const consent = await h.orm.em.fork().findOneOrFail(Consent, { recipientOrganizationIds: { $contains: [practiceId] }, program: second.iopId });
    const open = (token: string) => h.graphql('query($id: ID!) { consent(id: $id) { id } }', { id: consent.id }, token);
    expect(code(await open(await h.token(world.claims[Role.PCP])))).toBeUndefined();
    expect(code(await open(await h.token(practiceAdmin)))).toBe('NOT_FOUND');

    const workers = startTestWorkers(h);
    await h.graphql(RevokeConsentDocument, { consentId: consent.id }, await h.token(world.claims[Role.PATIENT]));
    const told = await until(async () => (await h.orm.em.fork().find(Notification, { kind: 'consent.revoked', subjectId: consent.id })).map((each) => each.recipient.id), (ids) => ids.length > 0);
    expect(told).toContain(world.claims[Role.PCP].userId);
    expect(told).not.toContain(practiceAdmin.userId);
    await workers.stop();
  });
});

describe('npm run admin (the hub operator)', () => {
  const keyFolder = mkdtempSync(join(tmpdir(), 'carebridge-admin-keys-'));
  const keyFiles = { JWT_PRIVATE_KEY_FILE: join(keyFolder, 'private.pem'), JWT_PUBLIC_KEY_FILE: join(keyFolder, 'public.pem') };
  afterAll(() => rmSync(keyFolder, { recursive: true, force: true }));

  function admin(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile('npm', ['run', '-s', 'admin', '--', ...args], { env: { ...process.env, DATABASE_URL: h.config.DATABASE_URL, ...keyFiles } }, (error, stdout, stderr) => {
        resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('creates a program and seats its first admin, who then manages its staff', async () => {
    const program = await admin('create-program', '--name', 'Northshore IOP');
    expect(program).toMatchObject({ exitCode: 0, stderr: '' });
    const { organizationId } = JSON.parse(program.stdout) as { organizationId: string };
    expect(await h.orm.em.fork().findOneOrFail(Organization, { id: organizationId })).toMatchObject({ name: 'Northshore IOP', kind: OrganizationKind.IOP });

    const seated = await admin('add-admin', '--organization', organizationId, '--email', 'Lead@Northshore.example', '--name', 'Northshore Lead');
    expect(seated.exitCode).toBe(0);
    const printed = JSON.parse(seated.stdout) as { userId: string; membershipId: string; token: string };
    const { payload } = await jwtVerify(printed.token, readPublicKey(keyFiles.JWT_PUBLIC_KEY_FILE), { issuer: h.config.JWT_ISSUER, audience: h.config.JWT_AUDIENCE });
    expect(payload).toMatchObject({ sub: printed.userId, role: 'ADMIN', org: organizationId });

    const lead = await h.token({ userId: printed.userId, role: Role.ADMIN, organizationId });
    expect((await h.graphql(MeDocument, {}, lead)).data?.me).toMatchObject({ email: 'lead@northshore.example', memberships: [expect.objectContaining({ role: 'ADMIN', active: true })] });
    const clinician = await h.graphql(
      CreateUserDocument,
      { input: { email: 'clinician@northshore.example', displayName: 'Northshore Clinician', membership: { organizationId, role: 'IOP_CLINICIAN' } } },
      lead,
    );
    expect(clinician.errors).toBeUndefined();

    const again = await admin('add-admin', '--organization', organizationId, '--email', 'lead@northshore.example', '--name', 'Northshore Lead');
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toMatch(/already an admin/);
  });

  it("creates a partner organization and seats a partner's admin", async () => {
    const lab = await admin('create-organization', '--kind', 'LAB', '--name', 'Operator Lab');
    expect(lab.exitCode).toBe(0);
    const { organizationId, kind } = JSON.parse(lab.stdout) as { organizationId: string; kind: string };
    expect(kind).toBe('LAB');
    const seated = await admin('add-admin', '--organization', organizationId, '--email', 'admin@operator-lab.example', '--name', 'Lab Admin');
    expect(seated.exitCode).toBe(0);
    expect(await h.orm.em.fork().count(Membership, { organization: organizationId, role: Role.ADMIN, active: true })).toBe(1);
  });

  it.each([
    ['no command', []],
    ['an unknown command', ['create-everything']],
    ['a program as a partner kind', ['create-organization', '--kind', 'IOP', '--name', 'Refused Org']],
    ['an unknown kind', ['create-organization', '--kind', 'HOSPITAL', '--name', 'Refused Org']],
    ['a blank name', ['create-program', '--name', '   ']],
    ['an organization that is not an id', ['add-admin', '--organization', 'harbor', '--email', 'refused@example.org', '--name', 'Refused']],
    ['an organization that does not exist', ['add-admin', '--organization', '00000000-0000-4000-8000-000000000001', '--email', 'refused@example.org', '--name', 'Refused']],
    ['an e-mail that is not one', ['add-admin', '--organization', '00000000-0000-4000-8000-000000000001', '--email', 'refused', '--name', 'Refused']],
  ])('refuses %s with a clear error and a non-zero exit, changing nothing', async (_label, args) => {
    const organizations = await h.orm.em.fork().count(Organization, {});
    const result = await admin(...args);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).not.toBe('');
    expect(await h.orm.em.fork().count(Organization, {})).toBe(organizations);
    expect(await usersWithEmail('refused@example.org')).toBe(0);
  });

  it('refuses seating a deactivated user, who could not sign in, and changes nothing', async () => {
    const em = h.orm.em.fork();
    const user = new User('gone@operator-lab.example', 'Gone Admin');
    user.active = false;
    await em.persist(user).flush();
    await expect(new UserService().addAdmin(h.orm.em.fork(), world.iopId, 'gone@operator-lab.example', 'Gone Admin')).rejects.toThrow(/deactivated/);
    expect(await h.orm.em.fork().count(Membership, { user: user.id })).toBe(0);
  });

  it("refuses making a patient's login an admin", async () => {
    const patientUser = await h.orm.em.fork().findOneOrFail(User, { id: world.claims[Role.PATIENT].userId });
    const result = await admin('add-admin', '--organization', world.iopId, '--email', patientUser.email, '--name', 'Avery Demo');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/patient/);
    expect(await h.orm.em.fork().count(Membership, { user: patientUser.id })).toBe(0);
  });
});
