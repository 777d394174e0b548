import { categoryLabel } from '../../components/ApiErrorMessage';
import type { PacketRecordFieldsFragment } from '../../generated/graphql';

/** A packet record in one line: what it is, in the words its kind uses. */
function describe(record: PacketRecordFieldsFragment): string {
  switch (record.__typename) {
    case 'Diagnosis':
      return `Diagnosis: ${record.diagnosisText ?? ''} ${record.icd10Code ? `(${record.icd10Code})` : ''}`;
    case 'Prescription':
      return `Medication: ${record.drugName} ${record.dose}`;
    case 'LabResult':
      return `Lab result: ${record.testName} ${record.valueNumeric ?? ''} ${record.unit ?? ''}`;
    default:
      return `${record.kind.toLowerCase().replace(/_/g, ' ')}`;
  }
}

/** What a packet includes, and what it leaves out with the reason (never the content). */
export function PacketRecords({
  records,
  withheld,
}: {
  records: readonly PacketRecordFieldsFragment[];
  withheld: readonly { category: string; reason: string }[];
}) {
  return (
    <div className="packet">
      <h3>Included ({records.length})</h3>
      {records.length === 0 ? (
        <p>No clinical record is included.</p>
      ) : (
        <ul>
          {records.map((record) => (
            <li key={record.id}>
              {describe(record)} <span className="muted">[{record.categories.map(categoryLabel).join(', ')}]</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Withheld ({withheld.length})</h3>
      {withheld.length === 0 ? (
        <p>Nothing asked for is withheld.</p>
      ) : (
        <ul className="packet-withheld">
          {withheld.map((part) => (
            <li key={part.category}>
              {categoryLabel(part.category)}: {part.reason === 'CONSENT_REQUIRED' ? 'the patient has not consented to share it with this recipient' : part.reason.toLowerCase().replace(/_/g, ' ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
