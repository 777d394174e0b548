import type { EntityManager } from '@mikro-orm/postgresql';
import { Assessment, AssessmentInstrument } from '../../modules/clinical/assessment.entity';
import { CarePlan, CarePlanType } from '../../modules/clinical/care-plan.entity';
import type { ClinicalRecord, ProvenanceInit } from '../../modules/clinical/clinical-record.entity';
import { ClinicalService } from '../../modules/clinical/clinical.service';
import { Diagnosis } from '../../modules/clinical/diagnosis.entity';
import type { Patient } from '../../modules/patients/patient.entity';
import type { DemoCast } from '../seed';
import { actAs } from './acting';
import { daysAgo, dateOf } from './calendar';

const clinical = new ClinicalService();

type Build = (patient: Patient, provenance: ProvenanceInit) => ClinicalRecord;

/** Each patient's records as the prescriber enters them, one `record` call each (as the API's mutations do). */
const recordsOf: Build[][] = [
  // Avery: bipolar depression improving on lithium; PHQ-9 weekly for eight weeks; a crisis plan.
  [
    (patient, provenance) => new Diagnosis(patient, provenance, { icd10Code: 'F31.32', text: 'Bipolar I disorder, current episode depressed, moderate', onsetDate: dateOf(daysAgo(900)) }),
    ...[19, 18, 16, 15, 13, 11, 10, 8].map(
      (score, week): Build =>
        (patient, provenance) => new Assessment(patient, provenance, { instrument: AssessmentInstrument.PHQ9, score, administeredAt: daysAgo(7 * (8 - week)) }),
    ),
    (patient, provenance) =>
      new CarePlan(patient, provenance, {
        planType: CarePlanType.CRISIS,
        text: 'Warning signs: sleeping under 4 hours, racing thoughts, withdrawing from family. Coping: evening walk, call sister Dana. Call or text 988, or the Harbor on-call line (555) 010-9000. Lithium kept in a weekly organizer.',
      }),
    (patient, provenance) =>
      new CarePlan(patient, provenance, { planType: CarePlanType.TREATMENT, text: 'IOP three evenings a week (DBT skills group, individual CBT); lithium level every 4-8 weeks; PCP follows diabetes.' }),
  ],
  // Jordan: opioid use disorder (42 CFR Part 2) on buprenorphine, with depression.
  [
    (patient, provenance) => new Diagnosis(patient, provenance, { icd10Code: 'F11.20', text: 'Opioid use disorder, moderate', onsetDate: dateOf(daysAgo(1400)) }),
    (patient, provenance) => new Diagnosis(patient, provenance, { icd10Code: 'F32.1', text: 'Major depressive disorder, single episode, moderate' }),
    ...[16, 14, 14, 12].map(
      (score, visit): Build =>
        (patient, provenance) => new Assessment(patient, provenance, { instrument: AssessmentInstrument.PHQ9, score, administeredAt: daysAgo(14 * (4 - visit)) }),
    ),
    (patient, provenance) =>
      new CarePlan(patient, provenance, {
        planType: CarePlanType.TREATMENT,
        text: 'Buprenorphine/naloxone maintenance with weekly group; naloxone kit at home; peer recovery coach.',
        addressesSud: true,
      }),
  ],
  // Riley: recurrent depression with anxiety, lithium augmentation; referred for in-person therapy.
  [
    (patient, provenance) => new Diagnosis(patient, provenance, { icd10Code: 'F33.1', text: 'Major depressive disorder, recurrent, moderate' }),
    (patient, provenance) => new Diagnosis(patient, provenance, { icd10Code: 'F41.1', text: 'Generalized anxiety disorder' }),
    ...[17, 15, 15, 14].map(
      (score, visit): Build =>
        (patient, provenance) => new Assessment(patient, provenance, { instrument: AssessmentInstrument.PHQ9, score, administeredAt: daysAgo(14 * (4 - visit)) }),
    ),
    (patient, provenance) =>
      new CarePlan(patient, provenance, {
        planType: CarePlanType.CRISIS,
        text: 'Warning signs: not leaving bed, skipping meals. Coping: call brother Sam, go to the library. Call or text 988.',
      }),
  ],
];

/** Diagnoses, PHQ-9 series and care plans, entered by the prescriber. */
export async function recordClinicalHistory(em: EntityManager, cast: DemoCast): Promise<void> {
  for (const [index, builds] of recordsOf.entries()) {
    const patientId = cast.patients[index].id;
    await actAs(em, cast.staff.prescriber, 'RecordClinicalData', async ({ em: fork, access, user }) => {
      for (const build of builds) await clinical.record(fork, access, user, patientId, build);
    });
  }
}
