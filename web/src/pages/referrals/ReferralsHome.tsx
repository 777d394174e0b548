import { Link } from 'wouter';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { formatDateTime } from '../../components/format';
import { useApiQuery } from '../../components/useApiQuery';
import { PortalReferralsReceivedDocument, PortalReferralsSentDocument, type PortalReferralListFieldsFragment } from '../../generated/graphql';
import { ReferralStatusBadge } from './referral-words';
import { useReferralUpdates } from './useReferralUpdates';

function ReferralTable({ referrals, side }: { referrals: readonly PortalReferralListFieldsFragment[]; side: 'sent' | 'received' }) {
  return (
    <table className="referral-table">
      <caption className="visually-hidden">Referrals {side}</caption>
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">{side === 'sent' ? 'To' : 'From'}</th>
          <th scope="col">Urgency</th>
          <th scope="col">State</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {[...referrals].reverse().map((referral) => (
          <tr key={referral.id}>
            <td>
              <Link href={`/referrals/${referral.id}`}>{referral.requestedService}</Link>
            </td>
            <td>{side === 'sent' ? referral.recipientOrganization.name : referral.senderOrganization.name}</td>
            <td>{referral.urgency.toLowerCase()}</td>
            <td>
              <ReferralStatusBadge status={referral.status} />
              {referral.appointmentAt ? ` · ${formatDateTime(referral.appointmentAt)}` : ''}
            </td>
            <td>{formatDateTime(referral.sentAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ListState({ loading, error, count }: { loading: boolean; error: ApiError | null; count: number | undefined }) {
  if (loading) return <p>Loading…</p>;
  if (error) return <ApiErrorMessage error={error} />;
  return count === 0 ? <p>No referrals yet.</p> : null;
}

function SentReferrals() {
  const sent = useApiQuery(PortalReferralsSentDocument, { first: 100 });
  useReferralUpdates(null, sent.reload);
  const referrals = sent.answer?.data.referralsSent.edges.map((edge) => edge.node);
  return (
    <>
      <ListState loading={sent.status === 'loading'} error={sent.error} count={referrals?.length} />
      {referrals && referrals.length > 0 && <ReferralTable referrals={referrals} side="sent" />}
    </>
  );
}

function ReceivedReferrals() {
  const received = useApiQuery(PortalReferralsReceivedDocument, { first: 100 });
  useReferralUpdates(null, received.reload);
  const referrals = received.answer?.data.referralsReceived.edges.map((edge) => edge.node);
  return (
    <>
      <ListState loading={received.status === 'loading'} error={received.error} count={referrals?.length} />
      {referrals && referrals.length > 0 && <ReferralTable referrals={referrals} side="received" />}
    </>
  );
}

/** Referrals: those my program sent (IOP staff), or those sent to my organization (local providers, practices); live. */
export function ReferralsHome() {
  const { me } = useSession();
  const sender = me.role === 'IOP_CLINICIAN';
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{sender ? 'Referrals sent' : 'Referrals received'}</h1>
      {sender && <p>To send a referral, choose “Send a referral” beside a patient on the program dashboard.</p>}
      {sender ? <SentReferrals /> : <ReceivedReferrals />}
    </section>
  );
}
