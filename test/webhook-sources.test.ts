import { Role } from '../src/auth/roles';
import { Organization, OrganizationKind } from '../src/modules/organizations/organization.entity';
import {
  AdminCreateWebhookSourceDocument,
  AdminRetireWebhookSecretDocument,
  AdminRotateWebhookSecretDocument,
  AdminWebhookSourcesDocument,
} from './generated/graphql';
import { startHarness, type Harness } from './helpers/harness';
import { addStaffMember, seedWorld, type World } from './helpers/world';

/** The source credentials admins manage: a pharmacy's webhook sources, listed with their secrets' dates, never their values. */
let h: Harness;
let world: World;
let pharmacyId: string;
let otherPharmacyId: string;
let pharmacyAdmin: string;
let otherPharmacyAdmin: string;
let iopAdmin: string;

beforeAll(async () => {
  h = await startHarness();
  world = await seedWorld(h.orm.em.fork());
  pharmacyId = world.claims[Role.PHARMACIST].organizationId!;
  const other = new Organization('Second Street Pharmacy', OrganizationKind.PHARMACY);
  await h.orm.em.fork().persist(other).flush();
  otherPharmacyId = other.id;
  pharmacyAdmin = await h.token((await addStaffMember(h.orm.em, pharmacyId, Role.ADMIN)).claims);
  otherPharmacyAdmin = await h.token((await addStaffMember(h.orm.em, otherPharmacyId, Role.ADMIN)).claims);
  iopAdmin = await h.token(world.claims[Role.ADMIN]);
});
afterAll(() => h.close());

it("lists a pharmacy's sources with each secret's dates, current and retired, and never a secret's value", async () => {
  const created = await h.graphql(AdminCreateWebhookSourceDocument, { organizationId: pharmacyId, key: 'corner-rx-listed' }, pharmacyAdmin);
  const { source, secret: first, secretId: firstId } = created.data!.createWebhookSource;
  const rotated = await h.graphql(AdminRotateWebhookSecretDocument, { sourceId: source.id }, iopAdmin);
  const { secret: second, secretId: secondId } = rotated.data!.rotateWebhookSecret;
  const retired = await h.graphql(AdminRetireWebhookSecretDocument, { secretId: firstId }, pharmacyAdmin);
  expect(retired.data?.retireWebhookSecret.secret.retiredAt).toEqual(expect.any(String));
  await h.graphql(AdminCreateWebhookSourceDocument, { organizationId: otherPharmacyId, key: 'second-street-rx' }, otherPharmacyAdmin);

  for (const admin of [pharmacyAdmin, iopAdmin]) {
    const listed = await h.graphql(AdminWebhookSourcesDocument, { organizationId: pharmacyId }, admin);
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.webhookSources.totalCount).toBe(1);
    const [node] = listed.data!.webhookSources.edges.map((edge) => edge.node);
    expect(node).toMatchObject({ id: source.id, key: 'corner-rx-listed', organization: { id: pharmacyId, name: 'Corner Community Pharmacy' } });
    expect(node.secrets).toEqual([
      { id: firstId, createdAt: expect.any(String), retiredAt: retired.data!.retireWebhookSecret.secret.retiredAt },
      { id: secondId, createdAt: expect.any(String), retiredAt: null },
    ]);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(first);
    expect(text).not.toContain(second);
  }
});

it("refuses another pharmacy's admin and staff who are not admins; an unknown organization is NOT_FOUND", async () => {
  const byOtherPharmacy = await h.graphql(AdminWebhookSourcesDocument, { organizationId: pharmacyId }, otherPharmacyAdmin);
  expect(byOtherPharmacy.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(byOtherPharmacy.data).toBeNull();
  const own = await h.graphql(AdminWebhookSourcesDocument, { organizationId: otherPharmacyId }, otherPharmacyAdmin);
  expect(own.data?.webhookSources.edges.map((edge) => edge.node.key)).toEqual(['second-street-rx']);
  for (const role of [Role.PHARMACIST, Role.IOP_CLINICIAN, Role.PCP]) {
    const refused = await h.graphql(AdminWebhookSourcesDocument, { organizationId: pharmacyId }, await h.token(world.claims[role]));
    expect(refused.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHORIZED/);
    expect(refused.data).toBeNull();
  }
  const unknown = await h.graphql(AdminWebhookSourcesDocument, { organizationId: '00000000-0000-4000-8000-000000000000' }, iopAdmin);
  expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});
