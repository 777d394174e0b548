import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, request } from '../../api/client';
import { asApiError } from '../../api/errors';
import { useSession } from '../../auth/session';
import { WithheldReason } from '../../components/ConsentNotices';
import { PcpPatientsDocument, type PcpPatientsQuery } from '../../generated/graphql';
import { formatDay } from '../shared/patient-summary/format';
import { FhirUpload } from './FhirUpload';

type PatientRow = PcpPatientsQuery['patients']['edges'][number]['node'];

/** /app/pcp — the practice's consented patients (each opens the shared summary) and sending records. */
export function PcpHome() {
  const searchId = useId();
  const openId = useId();
  const [, navigate] = useLocation();
  const { me } = useSession();
  const practice = me.organization?.name ?? 'your practice';
  const [name, setName] = useState('');
  const [patients, setPatients] = useState<{ rows: PatientRow[]; total: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [patientId, setPatientId] = useState('');

  useEffect(() => {
    let current = true;
    request(PcpPatientsDocument, { first: 50, name: name.trim() || null }).then(
      ({ data }) => current && setPatients({ rows: data.patients.edges.map(({ node }) => node), total: data.patients.totalCount }),
      (failure: unknown) => current && setError(asApiError(failure)),
    );
    return () => {
      current = false;
    };
  }, [name]);

  function open(event: FormEvent) {
    event.preventDefault();
    if (patientId.trim()) navigate(`/patients/${encodeURIComponent(patientId.trim())}`);
  }

  return (
    <div className="stack">
      <section aria-labelledby="page-title">
        <h1 id="page-title">My patients</h1>
        <p className="meta">Patients whose consent in force names {practice}. Open one to read the shared treatment summary.</p>
        <div>
          <label htmlFor={searchId}>Search by name</label>
          <input id={searchId} type="search" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        {error && <WithheldReason errors={[error]} />}
        {!error && !patients && <p role="status">Loading…</p>}
        {patients && patients.rows.length === 0 && <p className="empty">No patient has a consent in force naming {practice}
            {name ? ' with this name' : ''}.</p>}
        {patients && patients.rows.length > 0 && (
          <ul className="records" aria-label="Consented patients">
            {patients.rows.map((patient) => (
              <li key={patient.id}>
                <Link href={`/patients/${patient.id}`}>
                  {patient.givenName} {patient.familyName}
                </Link>{' '}
                <span className="meta">born {formatDay(patient.birthDate)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="open-title">
        <h2 id="open-title">Open a record by patient id</h2>
        <form className="inline-form" onSubmit={open}>
          <div>
            <label htmlFor={openId}>Patient id</label>
            <input id={openId} value={patientId} onChange={(event) => setPatientId(event.target.value)} autoComplete="off" />
          </div>
          <button type="submit">Open</button>
        </form>
      </section>
      <FhirUpload />
    </div>
  );
}
