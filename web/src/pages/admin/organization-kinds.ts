import type { OrganizationKind } from '../../generated/graphql';

export const organizationKindLabels: Record<OrganizationKind, string> = {
  IOP: 'IOP program',
  PRIMARY_CARE: 'Primary-care practice',
  PHARMACY: 'Pharmacy',
  LAB: 'Laboratory',
  LOCAL_PROVIDER: 'Local provider',
};

/** The partners an IOP admin onboards (programs are created by the hub operator). */
export const partnerKinds = (Object.keys(organizationKindLabels) as OrganizationKind[]).filter((kind) => kind !== 'IOP');
