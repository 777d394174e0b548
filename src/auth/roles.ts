import { registerEnumType } from 'type-graphql';
import { OrganizationKind } from '../modules/organizations/organization.entity';

/** The JWT `role` claim. */
export enum Role {
  IOP_CLINICIAN = 'IOP_CLINICIAN',
  PCP = 'PCP',
  PHARMACIST = 'PHARMACIST',
  LAB = 'LAB',
  LOCAL_PROVIDER = 'LOCAL_PROVIDER',
  PATIENT = 'PATIENT',
  ADMIN = 'ADMIN',
}
registerEnumType(Role, { name: 'Role' });

/** The kind of organization a member of each role belongs to; patients belong to none. */
export const organizationKindOfRole: Record<Role, OrganizationKind | null> = {
  [Role.IOP_CLINICIAN]: OrganizationKind.IOP,
  [Role.ADMIN]: OrganizationKind.IOP,
  [Role.PCP]: OrganizationKind.PRIMARY_CARE,
  [Role.PHARMACIST]: OrganizationKind.PHARMACY,
  [Role.LAB]: OrganizationKind.LAB,
  [Role.LOCAL_PROVIDER]: OrganizationKind.LOCAL_PROVIDER,
  [Role.PATIENT]: null,
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.values<string>(Role).includes(value);
}
