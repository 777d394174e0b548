import type { ComponentType } from 'react';
import type { Role } from './generated/graphql';
import { allRoles } from './roles';

// Each area imports its pages here, under its own heading, and adds its routes in its own section
// below (add your lines only, so that areas merge without conflicts).

// pcp
import { PcpHome } from './pages/pcp/PcpHome';

// pharmacy
import { PharmacyHome } from './pages/pharmacy/PharmacyHome';
import { PharmacyPrescription } from './pages/pharmacy/PharmacyPrescription';

// iop
import { ConsentPage } from './pages/iop/ConsentPage';
import { CriticalAlertPage } from './pages/iop/CriticalAlertPage';
import { MedicationAlertPage } from './pages/iop/MedicationAlertPage';
import { IopHome } from './pages/iop/IopHome';
import { MatchReviewsPage } from './pages/iop/MatchReviewsPage';
import { MedicationReconciliationPage } from './pages/iop/MedicationReconciliationPage';
import { PatientConsentsPage } from './pages/iop/PatientConsentsPage';

// referrals
import { NewReferralPage } from './pages/referrals/NewReferralPage';
import { ReferralPage } from './pages/referrals/ReferralPage';
import { ReferralsHome } from './pages/referrals/ReferralsHome';

// patient
import { PatientHome } from './pages/patient/PatientHome';

// admin
import { AdminHome } from './pages/admin/AdminHome';
import { FailedJobsPage } from './pages/admin/FailedJobsPage';
import { FailedMessagesPage } from './pages/admin/FailedMessagesPage';
import { OrganizationPage } from './pages/admin/OrganizationPage';
import { OrganizationsPage } from './pages/admin/OrganizationsPage';
import { SourceCredentialsPage } from './pages/admin/SourceCredentialsPage';
import { UsersPage } from './pages/admin/UsersPage';

// shared
import { SystemAccount } from './pages/shared/SystemAccount';
import { PatientSummaryPage } from './pages/shared/patient-summary/PatientSummaryPage';

export interface PortalRoute {
  /** Under /app, in wouter's syntax (`/patients/:id`); the page reads parameters with useParams(). */
  path: string;
  component: ComponentType;
  /** The roles that may open it; others see "not available". */
  roles: readonly Role[];
  /** The link's text in the header's navigation, for those roles (none: not in the navigation). */
  nav?: string;
}

const IOP_STAFF: readonly Role[] = ['IOP_CLINICIAN'];

export const routes: PortalRoute[] = [
  // pcp
  { path: '/pcp', component: PcpHome, roles: ['PCP'], nav: 'My patients' },

  // pharmacy
  { path: '/pharmacy', component: PharmacyHome, roles: ['PHARMACIST'], nav: 'Worklist' },
  { path: '/pharmacy/prescriptions/:id', component: PharmacyPrescription, roles: ['PHARMACIST'] },

  // iop
  { path: '/iop', component: IopHome, roles: IOP_STAFF, nav: 'Program' },
  { path: '/iop/alerts/:id', component: CriticalAlertPage, roles: IOP_STAFF },
  { path: '/iop/medication-alerts/:id', component: MedicationAlertPage, roles: IOP_STAFF },
  { path: '/iop/consents/:id', component: ConsentPage, roles: [...IOP_STAFF, 'ADMIN'] },
  { path: '/iop/patients/:id/consents', component: PatientConsentsPage, roles: IOP_STAFF },
  { path: '/iop/patients/:id/medications', component: MedicationReconciliationPage, roles: IOP_STAFF },
  // Inbound messages awaiting a patient match are a program admin's to resolve (the API refuses others).
  { path: '/iop/match-reviews', component: MatchReviewsPage, roles: ['ADMIN'], nav: 'Match review' },

  // referrals
  { path: '/referrals', component: ReferralsHome, roles: ['LOCAL_PROVIDER', 'PCP', ...IOP_STAFF], nav: 'Referrals' },
  { path: '/referrals/new', component: NewReferralPage, roles: IOP_STAFF },
  { path: '/referrals/:id', component: ReferralPage, roles: ['LOCAL_PROVIDER', 'PCP', ...IOP_STAFF] },

  // patient
  { path: '/me', component: PatientHome, roles: ['PATIENT'], nav: 'My record' },

  // admin
  { path: '/admin', component: AdminHome, roles: ['ADMIN'], nav: 'Administration' },
  { path: '/admin/organizations', component: OrganizationsPage, roles: ['ADMIN'] },
  { path: '/admin/organizations/:id', component: OrganizationPage, roles: ['ADMIN'] },
  { path: '/admin/users', component: UsersPage, roles: ['ADMIN'] },
  { path: '/admin/credentials', component: SourceCredentialsPage, roles: ['ADMIN'] },
  { path: '/admin/failed-messages', component: FailedMessagesPage, roles: ['ADMIN'] },
  { path: '/admin/failed-jobs', component: FailedJobsPage, roles: ['ADMIN'] },

  // shared
  { path: '/system-account', component: SystemAccount, roles: allRoles },
  { path: '/patients/:id', component: PatientSummaryPage, roles: ['PCP', 'IOP_CLINICIAN', 'LOCAL_PROVIDER', 'ADMIN'] },
];
