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

/**
 * The kinds of organization a member of each role belongs to; patients belong to none. Every
 * organization, partner or program, has its own admins to manage its own seats.
 */
export const organizationKindsOfRole: Record<Role, readonly OrganizationKind[]> = {
  [Role.IOP_CLINICIAN]: [OrganizationKind.IOP],
  [Role.ADMIN]: Object.values(OrganizationKind),
  [Role.PCP]: [OrganizationKind.PRIMARY_CARE],
  [Role.PHARMACIST]: [OrganizationKind.PHARMACY],
  [Role.LAB]: [OrganizationKind.LAB],
  [Role.LOCAL_PROVIDER]: [OrganizationKind.LOCAL_PROVIDER],
  [Role.PATIENT]: [],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.values<string>(Role).includes(value);
}
