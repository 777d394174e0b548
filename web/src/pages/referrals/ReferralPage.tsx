import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { request, type ApiError } from '../../api/client';
import { useSession } from '../../auth/session';
import { ApiErrorMessage, categoryLabel } from '../../components/ApiErrorMessage';
import { enumWords, formatDateTime } from '../../components/format';
import { useApiQuery } from '../../components/useApiQuery';
import { ReferralDocument, ReferralLetterDocument } from '../../generated/graphql';
import { PacketRecords } from './PacketRecords';
import { RecipientActions, SenderActions } from './ReferralActions';
import { ReferralStatusBadge } from './referral-words';
import { useReferralUpdates } from './useReferralUpdates';

/** Downloads the referral's letter (a PDF) as a file. */
function LetterDownload({ referralId }: { referralId: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await request(ReferralLetterDocument, { referralId });
      const bytes = Uint8Array.from(atob(data.referralLetter.pdf), (char) => char.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `referral-${referralId}-v${data.referralLetter.version}.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy}>
        Download the letter (PDF)
      </button>
      {error && <ApiErrorMessage error={error} context="Letter" />}
    </div>
  );
}

/** One referral for either side: what was asked, the packet as sent, its timeline, the letter, and the moves its state allows; live. */
export function ReferralPage() {
  const { id } = useParams<{ id: string }>();
  const { me } = useSession();
  const loaded = useApiQuery(ReferralDocument, { id });
  useReferralUpdates(id, loaded.reload);
  const referral = loaded.answer?.data.referral;
  const recipient = referral?.recipientOrganization.id === me.organization?.id;
  const patient = referral?.packet?.patient;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Referral{referral ? `: ${referral.requestedService}` : ''}</h1>
      <p>
        <Link href="/referrals">All referrals</Link>
      </p>
      {loaded.status === 'loading' && <p>Loading…</p>}
      {loaded.error && <ApiErrorMessage error={loaded.error} />}
      {loaded.answer?.errors.map((error, index) => <ApiErrorMessage key={index} error={error} />)}
      {loaded.answer?.redisclosureNotice && (
        <p className="notice" role="note">
          {loaded.answer.redisclosureNotice}
        </p>
      )}
      {referral && (
        <>
          <dl className="facts">
            <dt>State</dt>
            <dd>
              <ReferralStatusBadge status={referral.status} />
              {referral.statusReason ? ` (${referral.statusReason})` : ''}
              {referral.failureReasonCode ? ` (${enumWords(referral.failureReasonCode)})` : ''}
            </dd>
            <dt>Patient</dt>
            <dd>{patient ? `${patient.givenName} ${patient.familyName}, born ${patient.birthDate}` : <Link href={`/patients/${referral.patientId}`}>Open the patient</Link>}</dd>
            <dt>From</dt>
            <dd>{referral.senderOrganization.name}</dd>
            <dt>To</dt>
            <dd>{referral.recipientOrganization.name}</dd>
            <dt>Urgency</dt>
            <dd>{referral.urgency.toLowerCase()}</dd>
            <dt>Reason</dt>
            <dd>{referral.reason}</dd>
            <dt>Clinical question</dt>
            <dd>{referral.clinicalQuestion}</dd>
            <dt>Asked for</dt>
            <dd>{referral.requestedCategories.map(categoryLabel).join(', ')}</dd>
            <dt>Sent</dt>
            <dd>{formatDateTime(referral.sentAt)}</dd>
            {referral.appointmentAt && (
              <>
                <dt>Appointment</dt>
                <dd>
                  {formatDateTime(referral.appointmentAt)}, {referral.appointmentPlace}
                </dd>
              </>
            )}
            {referral.consultNote && (
              <>
                <dt>Consult note</dt>
                <dd>{referral.consultNote}</dd>
              </>
            )}
          </dl>
          {referral.letterVersion > 0 && <LetterDownload referralId={referral.id} />}
          {recipient ? <RecipientActions referral={referral} onMoved={loaded.reload} /> : <SenderActions referral={referral} onMoved={loaded.reload} />}
          {referral.packet && (
            <section aria-labelledby="packet-title">
              <h2 id="packet-title">Packet as sent (letter version {referral.packet.letterVersion})</h2>
              <PacketRecords records={referral.packet.records} withheld={referral.packet.withheld} />
            </section>
          )}
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <ol className="timeline">
              {referral.timeline.map((event) => (
                <li key={`${event.createdAt}-${event.toStatus}`}>
                  <span className="muted">{formatDateTime(event.createdAt)}</span> <ReferralStatusBadge status={event.toStatus} />
                  {event.appointmentAt ? ` · ${formatDateTime(event.appointmentAt)}, ${event.appointmentPlace ?? ''}` : ''}
                  {event.note ? ` · ${event.note}` : ''}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </section>
  );
}
