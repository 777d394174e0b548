import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'wouter';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { enumWords, formatDateTime } from '../../components/format';
import { useApiMutation, useApiQuery } from '../../components/useApiQuery';
import { MedicationReviewDocument, ReconcileMedicationDocument, type MedicationReviewQuery, type ReconciliationAction } from '../../generated/graphql';

type Group = NonNullable<MedicationReviewQuery['patient']['medicationList']>[number];

function DecisionForm({ patientId, group, onDecided }: { patientId: string; group: Group; onDecided: () => void }) {
  const reconcile = useApiMutation(ReconcileMedicationDocument);
  const [action, setAction] = useState<ReconciliationAction>('KEEP');
  const [note, setNote] = useState('');
  const key = group.ingredient.replace(/\W+/g, '-');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void reconcile.run({ input: { patientId, ingredient: group.ingredient, action, note: note || null } }).then((answer) => {
      if (!answer) return;
      setNote('');
      onDecided();
    });
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label={`Decision for ${group.ingredient}`}>
      <div className="field">
        <label htmlFor={`action-${key}`}>Decision</label>
        <select id={`action-${key}`} value={action} onChange={(event) => setAction(event.target.value as ReconciliationAction)}>
          <option value="KEEP">Keep</option>
          <option value="CHANGE">Change</option>
          <option value="DISCONTINUE">Discontinue (stops the IOP’s active prescriptions)</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`note-${key}`}>Note</label>
        <input id={`note-${key}`} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      {reconcile.error && <ApiErrorMessage error={reconcile.error} context="Not recorded" />}
      <button type="submit" disabled={reconcile.busy}>
        Record decision
      </button>
    </form>
  );
}

/** Medication reconciliation: each drug once, its sources, what differs, interaction flags, and the decisions taken. */
export function MedicationReconciliationPage() {
  const { id } = useParams<{ id: string }>();
  const review = useApiQuery(MedicationReviewDocument, { id });
  const patient = review.answer?.data.patient;
  const groups = [...(patient?.medicationList ?? [])].sort((a, b) => b.discrepancies.length - a.discrepancies.length);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Medication reconciliation{patient ? `: ${patient.givenName} ${patient.familyName}` : ''}</h1>
      <p>
        <Link href={`/patients/${id}`}>Open the patient</Link> · <Link href="/iop">Program dashboard</Link>
      </p>
      {review.status === 'loading' && <p>Loading…</p>}
      {review.error && <ApiErrorMessage error={review.error} />}
      {review.answer?.errors.map((error, index) => <ApiErrorMessage key={index} error={error} />)}
      {review.answer?.redisclosureNotice && <p className="notice">{review.answer.redisclosureNotice}</p>}
      {patient && (patient.interactionFlags ?? []).length > 0 && (
        <>
          <h2>Interaction flags</h2>
          <ul>
            {(patient.interactionFlags ?? []).map((flag) => (
              <li key={flag.ruleId + flag.medicationIds.join()}>
                <strong>{enumWords(flag.severity)}</strong>: {flag.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {patient && groups.length === 0 && <p>No medications recorded.</p>}
      {groups.length > 0 && (
        <ul className="cards">
          {groups.map((group) => (
            <li key={group.ingredient} className="card">
              <h2 className="card-title">{group.ingredient}</h2>
              <p>{group.discrepancies.length > 0 ? `To review: ${group.discrepancies.map(enumWords).join(', ')}` : 'The sources agree.'}</p>
              <table>
                <caption className="visually-hidden">Sources of {group.ingredient}</caption>
                <thead>
                  <tr>
                    <th scope="col">Drug and dose</th>
                    <th scope="col">Status</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {group.medications.map((medication) => (
                    <tr key={medication.id}>
                      <td>
                        {medication.drugName} {medication.dose ?? ''}
                      </td>
                      <td>{enumWords(medication.prescriptionStatus)}</td>
                      <td>{medication.provenance.organization.name}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {group.decisions.length > 0 && (
                <ul>
                  {group.decisions.map((decision) => (
                    <li key={decision.createdAt}>
                      {enumWords(decision.action)} {formatDateTime(decision.createdAt)}
                      {decision.note ? `: ${decision.note}` : ''}
                    </li>
                  ))}
                </ul>
              )}
              <DecisionForm patientId={id} group={group} onDecided={review.reload} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
