import { useCallback, useEffect, useState } from 'react';
import { ApiError, request, subscribe, type Answer } from '../../../api/client';
import { asApiError } from '../../../api/errors';
import {
  PatientSummaryCriticalAlertRaisedDocument,
  PatientSummaryDeliveryChangedDocument,
  PatientSummaryDocument,
  PatientSummaryFillRecordedDocument,
  PatientSummaryLabsDocument,
  PatientSummaryMedicationsDocument,
  PatientSummaryReferralUpdatedDocument,
  PatientSummaryReferralsReceivedDocument,
  PatientSummaryReferralsSentDocument,
  type PatientSummaryQuery,
  type Role,
  type SummaryReferralFragment,
} from '../../../generated/graphql';

export type SummaryPatient = PatientSummaryQuery['patient'];
export type SummarySection = Exclude<keyof SummaryPatient, 'id' | 'givenName' | 'familyName' | 'birthDate'>;

export interface SummaryView {
  patient: SummaryPatient;
  /** The errors of the sections shown (CONSENT_REQUIRED where a consent withholds a section or some records). */
  errors: readonly ApiError[];
  /** Set once any answer for this view held Part 2 (SUD) data. */
  redisclosureNotice: string | null;
}

export interface ReferralsView {
  referrals: readonly SummaryReferralFragment[];
  error: ApiError | null;
}

export type SummaryState =
  | { status: 'loading' }
  | { status: 'refused'; error: ApiError }
  | { status: 'ready'; view: SummaryView };

/** The errors the API reported at one section of the patient (path patient.<section>…). */
export function errorsAt(errors: readonly ApiError[], section: SummarySection): ApiError[] {
  return errors.filter((error) => error.path[1] === section);
}

function withSections(view: SummaryView, answer: Answer<{ patient: Partial<SummaryPatient> }>, sections: readonly SummarySection[]): SummaryView {
  const fresh = Object.fromEntries(sections.map((section) => [section, answer.data.patient[section] ?? null]));
  return {
    patient: { ...view.patient, ...fresh },
    errors: [...view.errors.filter((error) => !sections.includes(error.path[1] as SummarySection)), ...answer.errors.filter((error) => sections.includes(error.path[1] as SummarySection))],
    redisclosureNotice: answer.redisclosureNotice ?? view.redisclosureNotice,
  };
}

/** The parts of the view a live event changes, each with the query that reads them again. */
const liveParts = {
  medications: {
    sections: ['medicationList', 'interactionFlags'],
    label: 'Medications, fills and deliveries',
    load: (id: string) => request(PatientSummaryMedicationsDocument, { id }),
  },
  labs: {
    sections: ['labTrends', 'criticalAlerts'],
    label: 'Labs and critical results',
    load: (id: string) => request(PatientSummaryLabsDocument, { id }),
  },
} satisfies Record<string, { sections: readonly SummarySection[]; label: string; load: (id: string) => Promise<Answer<{ patient: Partial<SummaryPatient> }>> }>;

/** Roles the API lets subscribe to a patient's fills, deliveries and critical results (README, live updates). */
const recordEventRoles: readonly Role[] = ['IOP_CLINICIAN', 'PCP', 'PATIENT'];
const referralSenders: readonly Role[] = ['IOP_CLINICIAN', 'ADMIN'];
const referralRecipients: readonly Role[] = ['PCP', 'LOCAL_PROVIDER'];

async function loadReferrals(patientId: string, role: Role): Promise<ReferralsView> {
  try {
    if (referralSenders.includes(role)) {
      const { data } = await request(PatientSummaryReferralsSentDocument, { patientId });
      return { referrals: data.referralsSent.edges.map(({ node }) => node), error: null };
    }
    const { data } = await request(PatientSummaryReferralsReceivedDocument, { patientId });
    return { referrals: data.referralsReceived.edges.map(({ node }) => node), error: null };
  } catch (error) {
    return { referrals: [], error: asApiError(error) };
  }
}

/**
 * The shared treatment summary of one patient as the signed-in user may see it, kept current:
 * a fill or delivery event reloads the medications, a critical result the labs, a referral's move
 * replaces that referral. `lastUpdate` says in words what changed last (for a live region).
 */
export function usePatientSummary(patientId: string, role: Role) {
  const [state, setState] = useState<SummaryState>({ status: 'loading' });
  const [referrals, setReferrals] = useState<ReferralsView | null>(null);
  const [lastUpdate, setLastUpdate] = useState<string | null>(null);
  const hasReferrals = referralSenders.includes(role) || referralRecipients.includes(role);

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    setReferrals(null);
    request(PatientSummaryDocument, { id: patientId }).then(
      (answer) => current && setState({ status: 'ready', view: { patient: answer.data.patient, errors: answer.errors, redisclosureNotice: answer.redisclosureNotice } }),
      (error: unknown) => current && setState({ status: 'refused', error: asApiError(error) }),
    );
    if (hasReferrals) void loadReferrals(patientId, role).then((loaded) => current && setReferrals(loaded));
    return () => {
      current = false;
    };
  }, [patientId, role, hasReferrals]);

  const refresh = useCallback(
    async (part: keyof typeof liveParts) => {
      const { sections, label, load } = liveParts[part];
      const answer = await load(patientId);
      setState((previous) => (previous.status === 'ready' ? { status: 'ready', view: withSections(previous.view, answer, sections) } : previous));
      setLastUpdate(`${label} updated at ${new Date().toLocaleTimeString()}`);
    },
    [patientId],
  );

  const ready = state.status === 'ready';
  useEffect(() => {
    if (!ready) return;
    const stops: (() => void)[] = [];
    const ignore = () => undefined;
    if (recordEventRoles.includes(role)) {
      const medications = () => void refresh('medications').catch(ignore);
      stops.push(subscribe(PatientSummaryFillRecordedDocument, { patientId }, medications));
      stops.push(subscribe(PatientSummaryDeliveryChangedDocument, { patientId }, medications));
      stops.push(subscribe(PatientSummaryCriticalAlertRaisedDocument, { patientId }, () => void refresh('labs').catch(ignore)));
    }
    if (hasReferrals) {
      stops.push(
        subscribe(PatientSummaryReferralUpdatedDocument, {}, ({ data }) => {
          const moved = data.referralUpdated;
          if (moved.patientId !== patientId) return;
          setReferrals((previous) => {
            const others = (previous?.referrals ?? []).filter((referral) => referral.id !== moved.id);
            return { referrals: [...others, moved], error: previous?.error ?? null };
          });
          setLastUpdate(`Referral to ${moved.recipientOrganization.name} updated at ${new Date().toLocaleTimeString()}`);
        }),
      );
    }
    return () => stops.forEach((stop) => stop());
  }, [ready, role, patientId, hasReferrals, refresh]);

  return { state, referrals, hasReferrals, lastUpdate };
}
