import { useCallback, useEffect, useState } from 'react';
import { ApiError, request } from '../../api/client';
import { asApiError } from '../../api/errors';
import { categoryName, WithheldReason } from '../../components/ConsentNotices';
import { roleLabels } from '../../roles';
import { MyRecordDisclosuresDocument, type MyRecordDisclosuresQuery } from '../../generated/graphql';
import { formatMoment, inWords } from '../shared/patient-summary/format';
import { ScrollingTable } from '../../components/ScrollingTable';

type Disclosure = MyRecordDisclosuresQuery['myDisclosures']['items'][number];

/** Who has seen my record: the accounting of disclosures, newest first, page by page. */
export function Disclosures() {
  const [items, setItems] = useState<Disclosure[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (before: string | null) => {
    try {
      const { data } = await request(MyRecordDisclosuresDocument, { before });
      setItems((previous) => [...(before ? (previous ?? []) : []), ...data.myDisclosures.items]);
      setNext(data.myDisclosures.nextCursor ?? null);
    } catch (failure) {
      setError(asApiError(failure));
    }
  }, []);
  useEffect(() => void load(null), [load]);

  return (
    <section aria-labelledby="disclosures-title">
      <h2 id="disclosures-title">Who has seen my record</h2>
      {error && <WithheldReason errors={[error]} />}
      {!error && !items && <p role="status">Loading…</p>}
      {items && items.length === 0 && <p className="empty">Nobody outside your care has seen your record yet.</p>}
      {items && items.length > 0 && (
        <ScrollingTable caption="Disclosures of your record, newest first" captionClassName="visually-hidden">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>{formatMoment(item.occurredAt)}</td>
                  <td>
                    {item.organization?.name ?? 'You'} <span className="meta">({roleLabels[item.role]})</span>
                  </td>
                  <td>{item.categories.map(categoryName).join(', ')}</td>
                  <td>
                    {inWords(item.purpose)}
                    {item.consentId && <span className="meta"> · under your consent</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollingTable>
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void load(next)}>
          Show older
        </button>
      )}
    </section>
  );
}
