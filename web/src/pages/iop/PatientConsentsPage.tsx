import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { ApiErrorMessage } from '../../components/ApiErrorMessage';
import { useApiQuery } from '../../components/useApiQuery';
import { IopPatientConsentsDocument, OrganizationsDocument } from '../../generated/graphql';
import { ConsentState } from './ConsentState';
import { RequestConsentForm } from './RequestConsentForm';

/** A patient's consents with their state, and the form that requests a new one. */
export function PatientConsentsPage() {
  const { id } = useParams<{ id: string }>();
  const patient = useApiQuery(IopPatientConsentsDocument, { id });
  const organizations = useApiQuery(OrganizationsDocument, { first: 100 });
  const [requested, setRequested] = useState<string | null>(null);
  const names = new Map((organizations.answer?.data.organizations.edges ?? []).map(({ node }) => [node.id, node.name]));
  const data = patient.answer?.data.patient;
  const consents = [...(data?.consents ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Consents{data ? ` of ${data.givenName} ${data.familyName}` : ''}</h1>
      <p>
        <Link href={`/patients/${id}`}>Open the patient</Link> · <Link href="/iop">Program dashboard</Link>
      </p>
      {patient.error && <ApiErrorMessage error={patient.error} />}
      {patient.answer?.errors.map((error, index) => <ApiErrorMessage key={index} error={error} />)}
      <p role="status">{requested ? 'Consent requested: the patient is asked to sign it.' : ''}</p>
      {data && consents.length === 0 && <p>No consent yet.</p>}
      {consents.length > 0 && (
        <ul className="cards consents">
          {consents.map((consent) => (
            <li key={consent.id} className="card">
              <ConsentState consent={consent} organizationNames={names} />
            </li>
          ))}
        </ul>
      )}
      <h2>Request a consent</h2>
      <RequestConsentForm
        patientId={id}
        onRequested={(consentId) => {
          setRequested(consentId);
          patient.reload();
        }}
      />
    </section>
  );
}
