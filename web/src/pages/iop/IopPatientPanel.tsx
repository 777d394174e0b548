import { Link } from 'wouter';
import { useSession } from '../../auth/session';

/** The IOP staff's actions on a patient, for the shared patient view: refer, ask for a consent, reconcile medications. */
export function IopPatientPanel({ patientId, patientName }: { patientId: string; patientName: string }) {
  const { me } = useSession();
  if (me.role !== 'IOP_CLINICIAN') return null;
  return (
    <aside aria-labelledby="iop-actions-title" className="card iop-panel">
      <h2 id="iop-actions-title">Program actions</h2>
      <ul className="actions" aria-label={`Program actions for ${patientName}`}>
        <li>
          <Link href={`/referrals/new?patient=${patientId}`}>Send a referral</Link>
        </li>
        <li>
          <Link href={`/iop/patients/${patientId}/consents`}>Request a consent</Link>
        </li>
        <li>
          <Link href={`/iop/patients/${patientId}/medications`}>Medication reconciliation</Link>
        </li>
      </ul>
    </aside>
  );
}
