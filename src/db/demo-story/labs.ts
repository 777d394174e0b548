import type { EntityManager } from '@mikro-orm/postgresql';
import { hl7OruFormat } from '../../modules/ingest/hl7/oru.format';
import { IngestService } from '../../modules/ingest/ingest.service';
import type { DemoCast } from '../seed';
import { daysAgo, hl7TimeOf } from './calendar';
import { demoPatients } from './patients';

const ingest = new IngestService();

interface LithiumLevel {
  patient: 0 | 2;
  daysAgo: number;
  value: string;
  /** OBX-8: L, N, or HH (critical). */
  flag: 'L' | 'N' | 'HH';
}

/** Avery's lithium levels climbing into range over five months; Riley's latest one critical (HH, over 1.5 mmol/L). */
const levels: LithiumLevel[] = [
  { patient: 0, daysAgo: 150, value: '0.5', flag: 'L' },
  { patient: 0, daysAgo: 105, value: '0.7', flag: 'N' },
  { patient: 0, daysAgo: 62, value: '0.8', flag: 'N' },
  { patient: 0, daysAgo: 30, value: '1.0', flag: 'N' },
  { patient: 0, daysAgo: 6, value: '1.1', flag: 'N' },
  { patient: 2, daysAgo: 35, value: '0.8', flag: 'N' },
  { patient: 2, daysAgo: 1, value: '1.9', flag: 'HH' },
];

/**
 * The lab's ORU^R01 for one level, in the README example's shape (the lab's identifier in PID-3,
 * with the patient's address and phone, so the first one is linked by demographics and the
 * lab's identifier is remembered for the next), under a control id and order of its own.
 */
export function lithiumMessage(level: LithiumLevel, index: number): Buffer {
  const patient = demoPatients[level.patient];
  const { contact } = patient;
  const drawn = hl7TimeOf(daysAgo(level.daysAgo));
  const reported = hl7TimeOf(daysAgo(level.daysAgo - 0.2));
  const order = `DEMO-ORD-${index + 1}`;
  return Buffer.from(
    [
      `MSH|^~\\&|LABSYS|REGIONAL LAB|CAREBRIDGE|HARBOR|${reported}||ORU^R01|DEMO-LAB-${index + 1}|P|2.5.1`,
      `PID|1||${patient.labId}^^^REGLAB^MR||${patient.familyName}^${patient.givenName}||${patient.birthDate.replaceAll('-', '')}|||` +
        `|${contact.addressLine}^^${contact.city}^${contact.region}^${contact.postalCode}||${contact.phone}`,
      `OBR|1|${order}|FIL-${order}|14334-7^Lithium^LN|||${drawn}`,
      `OBX|1|NM|14334-7^Lithium [Moles/volume] in Serum or Plasma^LN||${level.value}|mmol/L|0.6-1.2|${level.flag}|||F|||${drawn}`,
      '',
    ].join('\r'),
    'latin1',
  );
}

/**
 * The lab sends each level as it would over `POST /ingest/hl7` (stored raw with its import job),
 * and each is imported now rather than by the worker, so the trend and the critical alert are there
 * at once; the worker's job then finds it imported and skips it.
 */
export async function receiveLabResults(em: EntityManager, cast: DemoCast): Promise<void> {
  for (const [index, level] of levels.entries()) {
    const acceptance = await ingest.accept(em.fork(), hl7OruFormat, cast.organizations.lab, lithiumMessage(level, index), {
      contentType: 'x-application/hl7-v2+er7',
      headers: {},
    });
    if (acceptance.kind !== 'accepted') throw new Error(`The demo's lab message ${index + 1} was not accepted (${acceptance.kind})`);
    const outcome = await ingest.importMessage(em.fork(), acceptance.message.id);
    if (outcome.status !== 'PROCESSED') throw new Error(`The demo's lab message ${index + 1} was not imported (${outcome.status})`);
  }
}
