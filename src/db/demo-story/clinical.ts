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

/** PHQ-9 totals taken every `everyDays` days, the last one `everyDays` ago. */
const phq9Series = (scores: number[], everyDays: number): Build[] =>
  scores.map(
    (score, index) => (patient, provenance) =>
      new Assessment(patient, provenance, { instrument: AssessmentInstrument.PHQ9, score, administeredAt: daysAgo(everyDays * (scores.length - index)) }),
  );

const diagnosis =
  (icd10Code: string, text: string, onsetDaysAgo?: number): Build =>
  (patient, provenance) =>
    new Diagnosis(patient, provenance, { icd10Code, text, onsetDate: onsetDaysAgo === undefined ? null : dateOf(daysAgo(onsetDaysAgo)) });

const plan =
  (planType: CarePlanType, text: string, addressesSud = false): Build =>
  (patient, provenance) =>
    new CarePlan(patient, provenance, { planType, text, addressesSud });

/** Each patient's records as the prescriber enters them, one `record` call each (as the API's mutations do). */
const recordsOf: Build[][] = [
  // Avery: bipolar depression improving on lithium; PHQ-9 weekly for eight weeks; a crisis plan.
  [
    diagnosis('F31.32', 'Bipolar I disorder, current episode depressed, moderate', 900),
    ...phq9Series([19, 18, 16, 15, 13, 11, 10, 8], 7),
    plan(
      CarePlanType.CRISIS,
      'Warning signs: sleeping under 4 hours, racing thoughts, withdrawing from family. Coping: evening walk, call sister Dana. Call or text 988, or the Harbor on-call line (555) 010-9000. Lithium kept in a weekly organizer.',
    ),
    plan(CarePlanType.TREATMENT, 'IOP three evenings a week (DBT skills group, individual CBT); lithium level every 4-8 weeks; PCP follows diabetes.'),
  ],
  // Jordan: opioid use disorder (42 CFR Part 2) on buprenorphine, with depression.
  [
    diagnosis('F11.20', 'Opioid use disorder, moderate', 1400),
    diagnosis('F32.1', 'Major depressive disorder, single episode, moderate'),
    ...phq9Series([16, 14, 14, 12], 14),
    plan(CarePlanType.TREATMENT, 'Buprenorphine/naloxone maintenance with weekly group; naloxone kit at home; peer recovery coach.', true),
  ],
  // Riley: recurrent depression with anxiety, lithium augmentation; referred for in-person therapy.
  [
    diagnosis('F33.1', 'Major depressive disorder, recurrent, moderate'),
    diagnosis('F41.1', 'Generalized anxiety disorder'),
    ...phq9Series([17, 15, 15, 14], 14),
    plan(CarePlanType.CRISIS, 'Warning signs: not leaving bed, skipping meals. Coping: call brother Sam, go to the library. Call or text 988.'),
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
