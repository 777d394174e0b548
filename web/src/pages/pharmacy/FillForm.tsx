import { useEffect, useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import {
  PortalPharmacyConfirmDispensedDocument,
  PortalPharmacyConfirmPartialFillDocument,
  PortalPharmacyPharmaciesDocument,
  PortalPharmacyReportNotDispensedDocument,
  PortalPharmacyReportTransferredDocument,
  type FillStatus,
  type NotDispensedReason,
  type PortalPharmacyItemFragment,
} from '../../generated/graphql';
import { useSession } from '../../auth/session';
import { Field } from './Field';
import { numberOf } from './field-errors';
import { SubmissionFooter, useSubmission } from './submission';
import { fillStatusLabels, notDispensedReasonLabels } from './labels';

const today = () => new Date().toISOString().slice(0, 10);

/** The next fill to report: the first not yet settled (dispensed or transferred). */
function nextFillNumber(item: PortalPharmacyItemFragment): number {
  const settled = item.fills.filter((fill) => fill.fillStatus === 'DISPENSED' || fill.fillStatus === 'TRANSFERRED').map((fill) => fill.fillNumber);
  return settled.length === 0 ? 0 : Math.max(...settled) + 1;
}

/** Other pharmacies a prescription may be transferred to. */
function usePharmacies(ownId: string | undefined) {
  const [pharmacies, setPharmacies] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    request(PortalPharmacyPharmaciesDocument, { after: null })
      .then(({ data }) => setPharmacies(data.organizations.edges.map((edge) => edge.node).filter((pharmacy) => pharmacy.id !== ownId)))
      .catch(() => setPharmacies([]));
  }, [ownId]);
  return pharmacies;
}

/**
 * Reports a fill (NCPDP RxFill): dispensed, partially dispensed, not dispensed (with a reason; a
 * clinical concern needs a note) or transferred. The API checks every rule; its refusals are
 * shown by the field they are about, and a CONFLICT (someone reported it first) offers a refresh.
 */
export function FillForm({ item, onRecorded, onRefresh }: { item: PortalPharmacyItemFragment; onRecorded: () => void; onRefresh: () => void }) {
  const { me } = useSession();
  const pharmacies = usePharmacies(me.organization?.id);
  const [status, setStatus] = useState<FillStatus>('DISPENSED');
  const [values, setValues] = useState({
    fillNumber: String(nextFillNumber(item)),
    quantity: item.quantity === null ? '' : String(item.quantity),
    remainingQuantity: '',
    daysSupply: '',
    ndc: '',
    lotNumber: '',
    dispensedOn: today(),
    reason: 'OUT_OF_STOCK' as NotDispensedReason,
    note: '',
    transferredToId: '',
  });
  const submission = useSubmission();
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ref = { prescriptionRef: item.rxNumber ?? item.sourcePrescriptionId ?? '', fillNumber: numberOf(values.fillNumber) ?? -1 };
    const typedNumbers = status === 'DISPENSED' ? (['quantity', 'daysSupply'] as const) : status === 'PARTIALLY_DISPENSED' ? (['quantity', 'remainingQuantity', 'daysSupply'] as const) : [];
    const missing = typedNumbers.filter((name) => numberOf(values[name]) === null);
    if (missing.length > 0) {
      submission.setErrors({ fields: Object.fromEntries(missing.map((name) => [name, 'Enter a number'])), general: null });
      return;
    }
    const number = (name: 'quantity' | 'remainingQuantity' | 'daysSupply') => numberOf(values[name])!;
    const optional = (text: string) => (text.trim() === '' ? null : text.trim());
    await submission.run(async () => {
      if (status === 'DISPENSED') {
        await request(PortalPharmacyConfirmDispensedDocument, {
          input: { ...ref, quantity: number('quantity'), daysSupply: number('daysSupply'), ndc: values.ndc.trim(), lotNumber: values.lotNumber.trim(), dispensedOn: values.dispensedOn },
        });
      } else if (status === 'PARTIALLY_DISPENSED') {
        await request(PortalPharmacyConfirmPartialFillDocument, {
          input: {
            ...ref,
            quantity: number('quantity'),
            remainingQuantity: number('remainingQuantity'),
            daysSupply: number('daysSupply'),
            dispensedOn: values.dispensedOn,
            ndc: optional(values.ndc),
            lotNumber: optional(values.lotNumber),
          },
        });
      } else if (status === 'NOT_DISPENSED') {
        await request(PortalPharmacyReportNotDispensedDocument, { input: { ...ref, reason: values.reason, note: optional(values.note) } });
      } else {
        await request(PortalPharmacyReportTransferredDocument, { input: { ...ref, transferredToId: values.transferredToId, note: optional(values.note) } });
      }
      onRecorded();
      return `Fill ${ref.fillNumber} recorded as ${fillStatusLabels[status].toLowerCase()}.`;
    });
  };

  const handsOver = status === 'DISPENSED' || status === 'PARTIALLY_DISPENSED';
  const { fields } = submission.errors;
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="fill-title" className="panel" noValidate>
      <h2 id="fill-title">Confirm a fill</h2>
      <fieldset>
        <legend>Outcome</legend>
        <div className="choices">
          {(Object.keys(fillStatusLabels) as FillStatus[]).map((each) => (
            <label key={each} className="choice">
              <input type="radio" name="fill-status" value={each} checked={status === each} onChange={() => setStatus(each)} /> {fillStatusLabels[each]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-grid">
        <Field id="fill-number" label="Fill number" hint="0 for the first fill, 1 for the first refill…" error={fields.fillNumber}>
          {(describedBy, invalid) => <input id="fill-number" inputMode="numeric" value={values.fillNumber} onChange={set('fillNumber')} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
        {handsOver && (
          <>
            <Field id="fill-quantity" label="Quantity dispensed" error={fields.quantity}>
              {(describedBy, invalid) => <input id="fill-quantity" inputMode="decimal" value={values.quantity} onChange={set('quantity')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
            {status === 'PARTIALLY_DISPENSED' && (
              <Field id="fill-remaining" label="Quantity remaining" error={fields.remainingQuantity}>
                {(describedBy, invalid) => (
                  <input id="fill-remaining" inputMode="decimal" value={values.remainingQuantity} onChange={set('remainingQuantity')} aria-describedby={describedBy} aria-invalid={invalid} />
                )}
              </Field>
            )}
            <Field id="fill-days" label="Days' supply" hint="1 to 365" error={fields.daysSupply}>
              {(describedBy, invalid) => <input id="fill-days" inputMode="numeric" value={values.daysSupply} onChange={set('daysSupply')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
            <Field id="fill-ndc" label={status === 'DISPENSED' ? 'NDC' : 'NDC (optional)'} hint="e.g. 0002-3227-30 or 00002322730" error={fields.ndc}>
              {(describedBy, invalid) => <input id="fill-ndc" value={values.ndc} onChange={set('ndc')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
            <Field id="fill-lot" label={status === 'DISPENSED' ? 'Lot number' : 'Lot number (optional)'} error={fields.lotNumber}>
              {(describedBy, invalid) => <input id="fill-lot" value={values.lotNumber} onChange={set('lotNumber')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
            <Field id="fill-date" label="Date dispensed" error={fields.dispensedOn}>
              {(describedBy, invalid) => <input id="fill-date" type="date" value={values.dispensedOn} onChange={set('dispensedOn')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
          </>
        )}
        {status === 'NOT_DISPENSED' && (
          <Field id="fill-reason" label="Reason" error={fields.reason}>
            {(describedBy, invalid) => (
              <select id="fill-reason" value={values.reason} onChange={set('reason')} aria-describedby={describedBy} aria-invalid={invalid}>
                {Object.entries(notDispensedReasonLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {status === 'TRANSFERRED' && (
          <Field id="fill-transfer" label="Transferred to" error={fields.transferredToId}>
            {(describedBy, invalid) => (
              <select id="fill-transfer" value={values.transferredToId} onChange={set('transferredToId')} aria-describedby={describedBy} aria-invalid={invalid}>
                <option value="">Choose a pharmacy</option>
                {pharmacies.map((pharmacy) => (
                  <option key={pharmacy.id} value={pharmacy.id}>
                    {pharmacy.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {(status === 'NOT_DISPENSED' || status === 'TRANSFERRED') && (
          <Field id="fill-note" label={status === 'NOT_DISPENSED' && values.reason === 'CLINICAL_CONCERN' ? 'Note (required)' : 'Note (optional)'} error={fields.note}>
            {(describedBy, invalid) => <textarea id="fill-note" rows={3} value={values.note} onChange={set('note')} aria-describedby={describedBy} aria-invalid={invalid} />}
          </Field>
        )}
      </div>
      <SubmissionFooter submission={submission} what="fill" label="Record the fill" onRefresh={onRefresh} />
    </form>
  );
}
