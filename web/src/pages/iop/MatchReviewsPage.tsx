import { useState } from 'react';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { formatDate } from '../../components/format';
import { useApiMutation, useApiQuery } from '../../components/useApiQuery';
import { CreatePatientFromMatchReviewDocument, LinkMatchReviewDocument, MatchReviewsDocument, RejectMatchReviewDocument, type MatchReviewsQuery } from '../../generated/graphql';

type Review = MatchReviewsQuery['matchReviews']['edges'][number]['node'];

function ReviewItem({ review, onResolved }: { review: Review; onResolved: (what: string) => void }) {
  const link = useApiMutation(LinkMatchReviewDocument);
  const create = useApiMutation(CreatePatientFromMatchReviewDocument);
  const reject = useApiMutation(RejectMatchReviewDocument);
  const [candidate, setCandidate] = useState(review.candidateIds[0] ?? '');
  const { demographics } = review;
  const name = `${demographics.givenName ?? '?'} ${demographics.familyName ?? '?'}`;
  const error = link.error ?? create.error ?? reject.error;
  const busy = link.busy || create.busy || reject.busy;
  return (
    <li className="card">
      <p className="card-title">
        <strong>{name}</strong> born {formatDate(demographics.birthDate)} · from {review.sourceOrganization.name}
      </p>
      {demographics.identifiers.length > 0 && <p className="muted">Identifiers: {demographics.identifiers.join(', ')}</p>}
      {error && <ApiErrorMessage error={error} />}
      {review.candidateIds.length > 0 && (
        <div className="field">
          <label htmlFor={`candidate-${review.id}`}>Candidate patient</label>
          <select id={`candidate-${review.id}`} value={candidate} onChange={(event) => setCandidate(event.target.value)}>
            {review.candidateIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="button-row">
        {review.candidateIds.length > 0 && (
          <button type="button" disabled={busy || !candidate} onClick={() => void link.run({ reviewId: review.id, patientId: candidate }).then((done) => done && onResolved(`${name}: linked`))}>
            Link to patient
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} onClick={() => void create.run({ reviewId: review.id }).then((done) => done && onResolved(`${name}: new patient created`))}>
          Create patient
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void reject.run({ reviewId: review.id }).then((done) => done && onResolved(`${name}: rejected`))}>
          Reject
        </button>
      </div>
    </li>
  );
}

/** Inbound messages waiting for a patient match (program admins): link, create the patient, or reject. */
export function MatchReviewsPage() {
  const reviews = useApiQuery(MatchReviewsDocument, { status: 'PENDING' });
  const [done, setDone] = useState('');
  const items = reviews.answer?.data.matchReviews.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Match review</h1>
      <p role="status">{done}</p>
      {reviews.status === 'loading' && <p>Loading…</p>}
      {reviews.error && <ApiErrorMessage error={reviews.error} />}
      {reviews.answer && items.length === 0 && <p>No message waits for a patient match.</p>}
      {items.length > 0 && (
        <ul className="cards">
          {items.map((review) => (
            <ReviewItem
              key={review.id}
              review={review}
              onResolved={(what) => {
                setDone(what);
                reviews.reload();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
