import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { ApiError, request } from '../../api/client';
import { PortalPharmacyAcknowledgeAlertDocument, PortalPharmacyPrescriptionDocument, type PortalPharmacyItemFragment } from '../../generated/graphql';
import { DeliverySection } from './DeliverySection';
import { FillForm } from './FillForm';
import { alertKindLabels, codeInWords, dateTime, dispensingStatusLabels, fillStatusLabels, notDispensedReasonLabels } from './labels';
import { useWorklistChanges } from './live';

/** One prescription routed to the pharmacy: what dispensing needs, its fills, deliveries and alerts, kept current live. */
export function PharmacyPrescription() {
  const { id } = useParams<{ id: string }>();
  const [item, setItem] = useState<PortalPharmacyItemFragment | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [liveNote, setLiveNote] = useState('');

  const load = useCallback(() => {
    request(PortalPharmacyPrescriptionDocument, { id })
      .then(({ data }) => {
        setItem(data.pharmacyPrescription);
        setError(null);
      })
      .catch((failure: unknown) => setError(failure instanceof ApiError ? failure : new ApiError({ message: String(failure) })));
  }, [id]);
  useEffect(load, [load]);

  useWorklistChanges((changed) => {
    if (changed.id !== id) return;
    setItem(changed);
    setLiveNote(`Updated ${new Date().toLocaleTimeString()}.`);
  });

  if (error) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">Prescription</h1>
        <p role="alert" className="error">
          {error.code === 'NOT_FOUND' ? 'No prescription routed to your pharmacy has this id.' : `The prescription could not be loaded: ${error.message}`}
        </p>
        <p>
          <Link href="/pharmacy">Back to the worklist</Link>
        </p>
      </section>
    );
  }
  if (!item) return <p role="status">Loading…</p>;

  const { patient } = item;
  const address = [patient.addressLine, patient.city, patient.region, patient.postalCode].filter(Boolean).join(', ');
  return (
    <section aria-labelledby="page-title" className="pharmacy">
      <p>
        <Link href="/pharmacy">← Worklist</Link>
      </p>
      <h1 id="page-title">
        {item.rxNumber ?? item.sourcePrescriptionId}: {item.drugName}
      </h1>
      <p role="status" className="live-note">
        {liveNote}
      </p>
      {item.prescriptionStatus === 'STOPPED' && (
        <p role="alert" className="error">
          The prescriber stopped this prescription{item.stopReason ? `: ${item.stopReason}` : ''}. Hand nothing more over.
        </p>
      )}
      <div className="columns">
        <section aria-labelledby="rx-title" className="panel">
          <h2 id="rx-title">Prescription</h2>
          <dl className="facts">
            <dt>Status</dt>
            <dd>{dispensingStatusLabels[item.dispensingStatus]}</dd>
            <dt>Dose</dt>
            <dd>
              {item.dose}, {item.route}
            </dd>
            <dt>Directions</dt>
            <dd>{item.sig}</dd>
            <dt>Quantity</dt>
            <dd>{item.quantity ?? '—'}</dd>
            <dt>Refills</dt>
            <dd>{item.refills}</dd>
            <dt>DEA schedule</dt>
            <dd>{item.deaSchedule ?? 'Not scheduled'}</dd>
            <dt>Delivery</dt>
            <dd>{item.homeDelivery ? 'Home delivery' : 'Pick-up'}</dd>
            <dt>Prescriber</dt>
            <dd>{item.prescriberName ?? '—'}</dd>
            <dt>Routed</dt>
            <dd>{dateTime(item.routedAt)}</dd>
          </dl>
        </section>
        <section aria-labelledby="patient-title" className="panel">
          <h2 id="patient-title">Patient</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd>
              {patient.givenName} {patient.familyName}
            </dd>
            <dt>Born</dt>
            <dd>{patient.birthDate}</dd>
            <dt>Phone</dt>
            <dd>{patient.phone ?? '—'}</dd>
            <dt>Address</dt>
            <dd>{address || '—'}</dd>
          </dl>
          <h3>Allergies</h3>
          {item.allergies.length === 0 ? (
            <p>None recorded.</p>
          ) : (
            <ul>
              {item.allergies.map((allergy) => (
                <li key={allergy.substance}>
                  <strong>{allergy.substance}</strong>
                  {allergy.reaction && `: ${allergy.reaction}`}
                  {allergy.criticality && ` (${codeInWords(allergy.criticality)} criticality)`}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <AlertList item={item} onChanged={load} />
      <section aria-labelledby="fills-title" className="panel">
        <h2 id="fills-title">Fills</h2>
        {item.fills.length === 0 ? (
          <p>No fill reported yet.</p>
        ) : (
          <table>
            <caption className="visually-hidden">Fills reported</caption>
            <thead>
              <tr>
                <th scope="col">Fill</th>
                <th scope="col">Outcome</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {item.fills.map((fill) => (
                <tr key={fill.id}>
                  <td>{fill.fillNumber}</td>
                  <td>{fillStatusLabels[fill.fillStatus]}</td>
                  <td>
                    {fill.dispensedQuantity !== null && `${fill.dispensedQuantity} for ${fill.daysSupply} days on ${fill.dispensedOn}`}
                    {fill.remainingQuantity !== null && `, ${fill.remainingQuantity} remaining`}
                    {fill.ndc && `, NDC ${fill.ndc}`}
                    {fill.lotNumber && `, lot ${fill.lotNumber}`}
                    {fill.notDispensedReason && notDispensedReasonLabels[fill.notDispensedReason]}
                    {fill.transferredTo && `to ${fill.transferredTo.name}`}
                    {fill.note && ` (${fill.note})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <FillForm item={item} onRecorded={load} onRefresh={load} />
      <DeliverySection item={item} onRecorded={load} onRefresh={load} />
    </section>
  );
}

/** The alerts about this prescription; the pharmacy acknowledges them for itself (the care team's acknowledgement is theirs). */
function AlertList({ item, onChanged }: { item: PortalPharmacyItemFragment; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const acknowledge = (alertId: string) => {
    setError(null);
    request(PortalPharmacyAcknowledgeAlertDocument, { alertId })
      .then(onChanged)
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };
  return (
    <section aria-labelledby="alerts-title" className="panel">
      <h2 id="alerts-title">Medication alerts</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {item.alerts.length === 0 ? (
        <p>No alert about this prescription.</p>
      ) : (
        <ul className="alerts">
          {item.alerts.map((alert) => (
            <li key={alert.id} className={`alert-item ${alert.urgency === 'URGENT' ? 'urgent' : ''}`}>
              <p>
                <strong>{alertKindLabels[alert.kind]}</strong> {alert.urgency === 'URGENT' && <span className="rx-badge alert-urgent">Urgent</span>}
              </p>
              <p>{alert.reason}</p>
              <p className="muted">
                Raised {dateTime(alert.createdAt)} · care team {alert.acknowledged ? 'has acknowledged it' : 'has not acknowledged it yet'}
              </p>
              {alert.pharmacyAcknowledgedAt ? (
                <p>Acknowledged by your pharmacy {dateTime(alert.pharmacyAcknowledgedAt)}.</p>
              ) : (
                <button type="button" className="secondary" onClick={() => acknowledge(alert.id)}>
                  Acknowledge for the pharmacy
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
