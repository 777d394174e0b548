import { useState, type FormEvent, type ReactNode } from 'react';
import type { Answer } from '../../api/client';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { useApiMutation } from '../../components/useApiQuery';
import {
  AcceptReferralDocument,
  CancelReferralDocument,
  CompleteReferralDocument,
  MarkReferralNoShowDocument,
  ReceiveReferralDocument,
  RejectReferralDocument,
  ScheduleReferralDocument,
  SendReferralDocument,
  type ReferralFieldsFragment,
  type TypedDocumentString,
} from '../../generated/graphql';

type Referral = ReferralFieldsFragment;
interface Moved {
  onMoved: () => void;
}
const finalStates = new Set(['REJECTED', 'COMPLETED', 'NO_SHOW', 'CANCELLED']);

/** A move on the referral as shown (its version): a CONFLICT or refusal is shown and the page reloaded to show it as it is now. */
function useMove<TResult, TVariables extends { id: string | number; expectedVersion: number }>(document: TypedDocumentString<TResult, TVariables>, referral: Referral, { onMoved }: Moved) {
  const move = useApiMutation(document);
  const run = async (extra: Omit<TVariables, 'id' | 'expectedVersion'>): Promise<Answer<TResult> | null> => {
    const answer = await move.run({ ...extra, id: referral.id, expectedVersion: referral.version } as TVariables);
    onMoved();
    return answer;
  };
  return { run, busy: move.busy, error: move.error };
}

function MoveButton({ label, busy, onClick, secondary }: { label: string; busy: boolean; onClick: () => void; secondary?: boolean }) {
  return (
    <button type="button" className={secondary ? 'secondary' : undefined} disabled={busy} onClick={onClick}>
      {label}
    </button>
  );
}

function MoveForm({ label, busy, onSubmit, children }: { label: string; busy: boolean; onSubmit: () => void; children: ReactNode }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} className="form move-form" aria-label={label}>
      {children}
      <button type="submit" disabled={busy}>
        {label}
      </button>
    </form>
  );
}

/** The recipient's moves the referral's state allows: receive, accept or reject, book (again), complete or no-show. */
export function RecipientActions({ referral, onMoved }: { referral: Referral } & Moved) {
  const receive = useMove(ReceiveReferralDocument, referral, { onMoved });
  const accept = useMove(AcceptReferralDocument, referral, { onMoved });
  const reject = useMove(RejectReferralDocument, referral, { onMoved });
  const schedule = useMove(ScheduleReferralDocument, referral, { onMoved });
  const complete = useMove(CompleteReferralDocument, referral, { onMoved });
  const noShow = useMove(MarkReferralNoShowDocument, referral, { onMoved });
  const [rejectReason, setRejectReason] = useState('');
  const [at, setAt] = useState('');
  const [place, setPlace] = useState(referral.appointmentPlace ?? '');
  const [note, setNote] = useState('');
  const error = receive.error ?? accept.error ?? reject.error ?? schedule.error ?? complete.error ?? noShow.error;
  const { status } = referral;
  return (
    <section aria-labelledby="actions-title" className="referral-actions">
      <h2 id="actions-title">Your answer</h2>
      {error && <ApiErrorMessage error={error} context="Not done" />}
      {status === 'REQUESTED' && <MoveButton label="Acknowledge receipt" busy={receive.busy} onClick={() => void receive.run({})} />}
      {status === 'RECEIVED' && (
        <>
          <MoveButton label="Accept" busy={accept.busy} onClick={() => void accept.run({})} />
          <MoveForm label="Reject" busy={reject.busy} onSubmit={() => void reject.run({ reason: rejectReason })}>
            <div className="field">
              <label htmlFor="reject-reason">Reason for rejecting</label>
              <input id="reject-reason" value={rejectReason} onChange={(event) => setRejectReason(event.target.value)} required />
            </div>
          </MoveForm>
        </>
      )}
      {(status === 'ACCEPTED' || status === 'IN_PROGRESS') && (
        <MoveForm label={status === 'ACCEPTED' ? 'Book the appointment' : 'Reschedule'} busy={schedule.busy} onSubmit={() => void schedule.run({ at: new Date(at).toISOString(), place })}>
          <div className="field">
            <label htmlFor="appointment-at">Appointment (date and time)</label>
            <input id="appointment-at" type="datetime-local" value={at} onChange={(event) => setAt(event.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="appointment-place">Place</label>
            <input id="appointment-place" value={place} onChange={(event) => setPlace(event.target.value)} required />
          </div>
        </MoveForm>
      )}
      {status === 'IN_PROGRESS' && (
        <>
          <MoveForm label="Complete with consult note" busy={complete.busy} onSubmit={() => void complete.run({ consultNote: note })}>
            <div className="field">
              <label htmlFor="consult-note">Consult note</label>
              <textarea id="consult-note" value={note} onChange={(event) => setNote(event.target.value)} required rows={4} />
            </div>
          </MoveForm>
          <MoveButton label="Patient did not come (no-show)" secondary busy={noShow.busy} onClick={() => void noShow.run({})} />
        </>
      )}
      {finalStates.has(status) && <p>This referral has ended: nothing more to answer.</p>}
    </section>
  );
}

/** The sender's moves: send again after a failed delivery, cancel until it ends. */
export function SenderActions({ referral, onMoved }: { referral: Referral } & Moved) {
  const cancel = useMove(CancelReferralDocument, referral, { onMoved });
  const send = useMove(SendReferralDocument, referral, { onMoved });
  const [reason, setReason] = useState('');
  if (finalStates.has(referral.status)) return null;
  return (
    <section aria-labelledby="actions-title" className="referral-actions">
      <h2 id="actions-title">Your moves</h2>
      {(cancel.error ?? send.error) && <ApiErrorMessage error={(cancel.error ?? send.error)!} context="Not done" />}
      {(referral.status === 'FAILED' || referral.status === 'DRAFT') && <MoveButton label={referral.status === 'FAILED' ? 'Send again' : 'Send'} busy={send.busy} onClick={() => void send.run({})} />}
      <MoveForm label="Cancel the referral" busy={cancel.busy} onSubmit={() => void cancel.run({ reason })}>
        <div className="field">
          <label htmlFor="cancel-reason">Reason for cancelling</label>
          <input id="cancel-reason" value={reason} onChange={(event) => setReason(event.target.value)} required />
        </div>
      </MoveForm>
    </section>
  );
}
