import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { Diagnosis } from '../../src/modules/clinical/diagnosis.entity';
import { CarePlan, CarePlanType } from '../../src/modules/clinical/care-plan.entity';
import { Organization, OrganizationKind } from '../../src/modules/organizations/organization.entity';
import { Patient } from '../../src/modules/patients/patient.entity';
import { Prescription } from '../../src/modules/medications/prescription.entity';
import { renderReferralLetter } from '../../src/modules/referrals/referral-letter';
import { referralBundle } from '../../src/modules/referrals/referral-bundle';
import { ReferralUrgency, type ReferralPacket } from '../../src/modules/referrals/referral-packet';

/**
 * `npx node -r @swc-node/register test/bench/referral-letter.ts`: what rendering a referral's letter
 * and its FHIR Bundle costs, for a packet of 15 records, in process (no database). Prints, does not judge.
 */
async function main() {
  const program = new Organization('Harbor Virtual IOP', OrganizationKind.IOP);
  const patient = new Patient('Avery', 'Demo', '1984-02-29');
  const from = { sourceOrganization: program, sourceSystem: 'carebridge' };
  const records = [
    ...Array.from({ length: 5 }, (_, i) => new Diagnosis(patient, from, { icd10Code: 'F33.1', text: `Diagnosis ${i}` })),
    ...Array.from({ length: 8 }, (_, i) => new Prescription(patient, from, { drugName: `Drug ${i}`, dose: '1 tablet', route: 'oral', sig: 'daily' })),
    new CarePlan(patient, from, { planType: CarePlanType.TREATMENT, text: 'Weekly CBT and medication management' }),
    new CarePlan(patient, from, { planType: CarePlanType.CRISIS, text: 'Call 988' }),
  ];
  const packet: ReferralPacket = {
    referral: { id: '6f1d0c52-3a4b-4f4e-9a43-0c6f6f6b2a10', version: 1, urgency: ReferralUrgency.URGENT, requestedService: 'Psychiatry', reason: 'Reason', clinicalQuestion: 'Question', sentAt: new Date('2026-12-01T18:30:00Z') },
    patient, identifiers: [], sender: { organizationId: program.id, organizationName: program.name, clinicianName: 'Dr. Sender', phone: null, email: 'a@b.example' },
    recipient: { organizationId: 'r', organizationName: 'Riverside Psychiatry' }, records, withheld: [], consentIds: [], includesSud: false,
  };
  const runs = 200;
  await renderReferralLetter(packet);
  const started = process.hrtime.bigint();
  let bytes: Buffer = Buffer.alloc(0);
  for (let i = 0; i < runs; i++) bytes = await renderReferralLetter(packet);
  const renderMs = Number(process.hrtime.bigint() - started) / 1e6 / runs;
  const bundleStarted = process.hrtime.bigint();
  let body = '';
  for (let i = 0; i < runs; i++) body = JSON.stringify(referralBundle(packet, { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), version: 1 }));
  const bundleMs = Number(process.hrtime.bigint() - bundleStarted) / 1e6 / runs;
  console.log(`records=${records.length} pdfBytes=${bytes.length} renderMs=${renderMs.toFixed(2)} bundleBytes=${body.length} bundleMs=${bundleMs.toFixed(2)} runs=${runs}`);
}
void main();
