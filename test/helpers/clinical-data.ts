import type { EntityManager } from '@mikro-orm/postgresql';
import { Assessment, AssessmentInstrument } from '../../src/modules/clinical/assessment.entity';
import { Attendance, AttendanceStatus, SessionType } from '../../src/modules/clinical/attendance.entity';
import { CarePlan, CarePlanType } from '../../src/modules/clinical/care-plan.entity';
import type { ProvenanceInit } from '../../src/modules/clinical/clinical-record.entity';
import { Diagnosis } from '../../src/modules/clinical/diagnosis.entity';
import { SideEffect, SideEffectSeverity } from '../../src/modules/clinical/side-effect.entity';
import { Prescription } from '../../src/modules/medications/prescription.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Patient } from '../../src/modules/patients/patient.entity';

/**
 * Writes `count` clinical records of every kind in turn for a patient, as if entered by a
 * clinician of `programId`, with prescriptions routed to `pharmacyId`. For view and load tests.
 */
export async function addClinicalRecords(
  em: EntityManager,
  ids: { patientId: string; programId: string; pharmacyId: string; clinicianId: string },
  count: number,
): Promise<void> {
  const fork = em.fork();
  const patient = fork.getReference(Patient, ids.patientId);
  const provenance: ProvenanceInit = {
    sourceOrganization: fork.getReference(Organization, ids.programId),
    sourceSystem: 'carebridge',
    recordedById: ids.clinicianId,
  };
  const pharmacy = fork.getReference(Organization, ids.pharmacyId);
  let lastPrescription: Prescription | null = null;
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000);
    switch (i % 6) {
      case 0:
        fork.persist(new Diagnosis(patient, provenance, { icd10Code: i % 12 === 0 ? 'F11.20' : 'F33.1', text: `Diagnosis ${i}` }));
        break;
      case 1:
        lastPrescription = new Prescription(patient, provenance, {
          drugName: i % 12 === 1 ? 'Buprenorphine 8 mg / naloxone 2 mg film' : 'Sertraline 50 mg tablet',
          dose: '1 unit',
          route: 'oral',
          sig: 'daily',
          pharmacy,
          prescriberId: ids.clinicianId,
        });
        fork.persist(lastPrescription);
        break;
      case 2:
        fork.persist(new Assessment(patient, provenance, { instrument: AssessmentInstrument.PHQ9, score: i % 28, administeredAt: at }));
        break;
      case 3:
        fork.persist(new Attendance(patient, provenance, { sessionType: SessionType.GROUP, sessionAt: at, status: AttendanceStatus.ATTENDED, sudProgram: i % 2 === 0 }));
        break;
      case 4:
        fork.persist(new CarePlan(patient, provenance, { planType: i % 8 === 4 ? CarePlanType.CRISIS : CarePlanType.TREATMENT, text: `Plan ${i}` }));
        break;
      default:
        fork.persist(new SideEffect(patient, provenance, { prescription: lastPrescription, effect: `Effect ${i}`, severity: SideEffectSeverity.MILD }));
    }
  }
  await fork.flush();
}
