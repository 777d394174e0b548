import { useCallback, useEffect, useState } from 'react';
import { ApiError, request } from '../../api/client';
import { asApiError } from '../../api/errors';
import { WithheldReason } from '../../components/ConsentNotices';
import { MyRecordConsentsDocument, MyRecordDocument } from '../../generated/graphql';
import { ConsentCard, type ConsentRow } from './ConsentCard';
import { Disclosures } from './Disclosures';


/** /app/me — my consents (sign, decline, revoke) and who has seen my record. */
export function PatientHome() {
  const [consents, setConsents] = useState<ConsentRow[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      const own = (await request(MyRecordDocument)).data.patients.edges[0]?.node;
      if (!own) throw new ApiError({ message: 'Your account is not linked to a patient record', extensions: { code: 'FORBIDDEN' } });
      setConsents((await request(MyRecordConsentsDocument, { id: own.id })).data.patient.consents ?? []);
    } catch (failure) {
      setError(asApiError(failure));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const pending = consents?.filter((consent) => consent.status === 'REQUESTED') ?? [];
  const active = consents?.filter((consent) => consent.status === 'ACTIVE') ?? [];
  const past = consents?.filter((consent) => !['REQUESTED', 'ACTIVE'].includes(consent.status)) ?? [];
  const list = (rows: ConsentRow[], none: string) =>
    rows.length === 0 ? <p className="empty">{none}</p> : rows.map((consent) => <ConsentCard key={consent.id} consent={consent} onChanged={() => void load()} />);

  return (
    <div className="stack">
      <h1>My record</h1>
      {error && <WithheldReason errors={[error]} />}
      {!error && !consents && <p role="status">Loading…</p>}
      {consents && (
        <>
          <section aria-labelledby="pending-title">
            <h2 id="pending-title">Consents waiting for you</h2>
            {list(pending, 'No consent is waiting for your decision.')}
          </section>
          <section aria-labelledby="active-title">
            <h2 id="active-title">Consents in force</h2>
            {list(active, 'You have no consent in force.')}
          </section>
          {past.length > 0 && (
            <section aria-labelledby="past-title">
              <h2 id="past-title">Ended, declined or revoked</h2>
              {list(past, '')}
            </section>
          )}
        </>
      )}
      <Disclosures />
    </div>
  );
}
