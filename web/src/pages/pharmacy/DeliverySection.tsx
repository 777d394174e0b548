import { useState, type FormEvent } from 'react';
import { request } from '../../api/client';
import { PortalPharmacySetDeliveryStatusDocument, type DeliveryStatus, type DeliveryStatusInput, type PortalPharmacyItemFragment } from '../../generated/graphql';
import { Field } from './Field';
import { numberOf } from './field-errors';
import { SubmissionFooter, useSubmission } from './submission';
import { codeInWords, dateTime, deliveryReasonCodes, deliveryStatusLabels } from './labels';

type Delivery = PortalPharmacyItemFragment['deliveries'][number];

/** Now, as a `datetime-local` input shows it (local time, to the minute). */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function text(value: unknown, key: string): string | null {
  return value && typeof value === 'object' && typeof (value as Record<string, unknown>)[key] === 'string' ? ((value as Record<string, unknown>)[key] as string) : null;
}

/** Each fill's delivery as reported (status, shipment, every event), and the form that reports the next event. */
export function DeliverySection({ item, onRecorded, onRefresh }: { item: PortalPharmacyItemFragment; onRecorded: () => void; onRefresh: () => void }) {
  return (
    <section aria-labelledby="deliveries-title" className="panel">
      <h2 id="deliveries-title">Delivery</h2>
      {item.deliveries.length === 0 ? <p>No delivery event reported yet.</p> : item.deliveries.map((delivery) => <DeliveryHistory key={delivery.id} delivery={delivery} />)}
      <DeliveryForm item={item} onRecorded={onRecorded} onRefresh={onRefresh} />
    </section>
  );
}

function DeliveryHistory({ delivery }: { delivery: Delivery }) {
  const carrier = text(delivery.shipment, 'carrier');
  const tracking = text(delivery.shipment, 'trackingNumber');
  const reason = text(delivery.reason, 'code');
  return (
    <div className="delivery">
      <h3>
        Fill {delivery.fillNumber}: {deliveryStatusLabels[delivery.status]}
      </h3>
      <p>
        Since {dateTime(delivery.statusOccurredAt)}
        {carrier && ` · ${carrier}`}
        {tracking && ` · tracking ${tracking}`}
        {reason && ` · ${codeInWords(reason)}`}
        {delivery.lateAfter && ` · late after ${dateTime(delivery.lateAfter)}`}
      </p>
      <table>
        <caption>Delivery history of fill {delivery.fillNumber}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Status</th>
            <th scope="col">Reported by</th>
          </tr>
        </thead>
        <tbody>
          {delivery.history.map((event) => (
            <tr key={event.eventId}>
              <td>{dateTime(event.occurredAt)}</td>
              <td>{deliveryStatusLabels[event.status]}</td>
              <td>{codeInWords(event.origin)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const shipped: DeliveryStatus[] = ['SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'RETURNED'];

function DeliveryForm({ item, onRecorded, onRefresh }: { item: PortalPharmacyItemFragment; onRecorded: () => void; onRefresh: () => void }) {
  const lastFill = item.fills.at(-1)?.fillNumber ?? 0;
  const [values, setValues] = useState({
    fillNumber: String(lastFill),
    status: 'SHIPPED' as DeliveryStatus,
    occurredAt: localNow(),
    carrier: '',
    trackingNumber: '',
    estimatedDelivery: '',
    signatureRequired: item.deaSchedule !== null,
    signatureObtained: true,
    signatureMethod: 'ELECTRONIC',
    signerName: '',
    reasonCode: 'CARRIER_DELAY',
    reasonText: '',
    note: '',
  });
  const submission = useSubmission();
  const set = (name: keyof typeof values) => (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value });
  const check = (name: 'signatureRequired' | 'signatureObtained') => (event: { target: { checked: boolean } }) =>
    setValues({ ...values, [name]: event.target.checked, ...(name === 'signatureObtained' ? { signatureMethod: event.target.checked ? 'ELECTRONIC' : 'NONE' } : {}) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const optional = (typed: string) => (typed.trim() === '' ? null : typed.trim());
    const input: DeliveryStatusInput = {
      fillNumber: numberOf(values.fillNumber) ?? -1,
      status: values.status,
      occurredAt: values.occurredAt ? new Date(values.occurredAt).toISOString() : '',
      shipment:
        values.carrier || values.trackingNumber || shipped.includes(values.status)
          ? { carrier: values.carrier.trim(), trackingNumber: optional(values.trackingNumber), estimatedDelivery: optional(values.estimatedDelivery) }
          : null,
      signature:
        values.status === 'DELIVERED'
          ? { required: values.signatureRequired, obtained: values.signatureObtained, method: values.signatureMethod, signerName: optional(values.signerName) }
          : null,
      reason: values.status === 'EXCEPTION' || values.status === 'RETURNED' ? { code: values.reasonCode, text: values.reasonText.trim() } : null,
      note: optional(values.note),
    };
    await submission.run(async () => {
      await request(PortalPharmacySetDeliveryStatusDocument, { prescriptionId: item.id, input });
      onRecorded();
      return `Fill ${input.fillNumber}: ${deliveryStatusLabels[values.status].toLowerCase()} recorded.`;
    });
  };

  const { fields } = submission.errors;
  const needsReason = values.status === 'EXCEPTION' || values.status === 'RETURNED';
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="delivery-form-title" noValidate>
      <h3 id="delivery-form-title">Report a delivery event</h3>
      <div className="form-grid">
        <Field id="delivery-fill" label="Fill number" error={fields.fillNumber}>
          {(describedBy, invalid) => <input id="delivery-fill" inputMode="numeric" value={values.fillNumber} onChange={set('fillNumber')} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
        <Field id="delivery-status" label="Status" error={fields.status}>
          {(describedBy, invalid) => (
            <select id="delivery-status" value={values.status} onChange={set('status')} aria-describedby={describedBy} aria-invalid={invalid}>
              {Object.entries(deliveryStatusLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="delivery-when" label="When it happened" error={fields.occurredAt}>
          {(describedBy, invalid) => <input id="delivery-when" type="datetime-local" value={values.occurredAt} onChange={set('occurredAt')} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
        <Field id="delivery-carrier" label="Carrier" error={fields['shipment.carrier'] ?? fields.shipment}>
          {(describedBy, invalid) => <input id="delivery-carrier" value={values.carrier} onChange={set('carrier')} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
        <Field id="delivery-tracking" label="Tracking number" hint="Required from Shipped on" error={fields['shipment.trackingNumber']}>
          {(describedBy, invalid) => <input id="delivery-tracking" value={values.trackingNumber} onChange={set('trackingNumber')} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
        <Field id="delivery-estimated" label="Estimated delivery (optional)" error={fields['shipment.estimatedDelivery']}>
          {(describedBy, invalid) => (
            <input id="delivery-estimated" type="date" value={values.estimatedDelivery} onChange={set('estimatedDelivery')} aria-describedby={describedBy} aria-invalid={invalid} />
          )}
        </Field>
        {values.status === 'DELIVERED' && (
          <fieldset>
            <legend>Signature</legend>
            <label className="choice">
              <input type="checkbox" checked={values.signatureRequired} onChange={check('signatureRequired')} /> Signature required
            </label>
            <label className="choice">
              <input type="checkbox" checked={values.signatureObtained} onChange={check('signatureObtained')} /> Signature obtained
            </label>
            <Field id="delivery-signature-method" label="How it was signed" error={fields['signature.method'] ?? fields.signature}>
              {(describedBy, invalid) => (
                <select id="delivery-signature-method" value={values.signatureMethod} onChange={set('signatureMethod')} aria-describedby={describedBy} aria-invalid={invalid}>
                  <option value="ELECTRONIC">Electronic</option>
                  <option value="PAPER">Paper</option>
                  <option value="NONE">Not signed</option>
                </select>
              )}
            </Field>
            <Field id="delivery-signer" label="Signed by (optional)" error={fields['signature.signerName']}>
              {(describedBy, invalid) => <input id="delivery-signer" value={values.signerName} onChange={set('signerName')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
          </fieldset>
        )}
        {needsReason && (
          <>
            <Field id="delivery-reason" label="Reason" error={fields['reason.code'] ?? fields.reason}>
              {(describedBy, invalid) => (
                <select id="delivery-reason" value={values.reasonCode} onChange={set('reasonCode')} aria-describedby={describedBy} aria-invalid={invalid}>
                  {deliveryReasonCodes.map((code) => (
                    <option key={code} value={code}>
                      {codeInWords(code)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="delivery-reason-text" label="What happened" error={fields['reason.text']}>
              {(describedBy, invalid) => <input id="delivery-reason-text" value={values.reasonText} onChange={set('reasonText')} aria-describedby={describedBy} aria-invalid={invalid} />}
            </Field>
          </>
        )}
        <Field id="delivery-note" label="Note (optional)" error={fields.note}>
          {(describedBy, invalid) => <textarea id="delivery-note" rows={2} value={values.note} onChange={set('note')} aria-describedby={describedBy} aria-invalid={invalid} />}
        </Field>
      </div>
      <SubmissionFooter submission={submission} what="delivery event" label="Record the delivery event" onRefresh={onRefresh} />
    </form>
  );
}
