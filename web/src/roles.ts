import type { Role } from './generated/graphql';

/** How the portal names each role. */
export const roleLabels: Record<Role, string> = {
  IOP_CLINICIAN: 'IOP clinician',
  PCP: 'Primary care',
  PHARMACIST: 'Pharmacist',
  LAB: 'Lab system',
  LOCAL_PROVIDER: 'Local provider',
  PATIENT: 'Patient',
  ADMIN: 'Administrator',
};

/** Where each role lands after signing in (paths under /app). */
export const roleHomes: Record<Role, string> = {
  PCP: '/pcp',
  PHARMACIST: '/pharmacy',
  IOP_CLINICIAN: '/iop',
  LOCAL_PROVIDER: '/referrals',
  PATIENT: '/me',
  ADMIN: '/admin',
  LAB: '/system-account',
};

export const allRoles = Object.keys(roleLabels) as Role[];
