import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { findByIdOrFail } from '../../db/find';
import type { AccessPolicy } from '../access/access-policy';
import { disclosedRecords, type RecordReading } from '../clinical/patient-records';
import { DataCategory } from '../consent/data-category';
import { LabResult } from '../labs/lab-result.entity';
import { Patient } from '../patients/patient.entity';
import type { PatientRow } from '../patients/patient-care';
import { type InteractionFlagData, interactionFlags } from './interactions';
import { MedicationReconciliation, ReconciliationAction } from './medication-reconciliation.entity';
import { Prescription, PrescriptionStatus } from './prescription.entity';
import { type MedicationGroupData, medicationKey, reconcile } from './reconciliation';
import { DispatchKind } from '../pharmacy/pharmacy-dispatch.entity';
import { lockPatientRouting, PrescriptionRoutingService, stopReasonMaxLength } from '../pharmacy/prescription-routing.service';

const routing = new PrescriptionRoutingService();

export interface MedicationDecisionInput {
  patientId: string;
  /** The medication group's ingredient the decision is about. */
  ingredient: string;
  action: ReconciliationAction;
  note?: string | null;
}

function ageOn(birthDate: string, today: Date): number {
  const birth = new Date(`${birthDate}T00:00:00Z`);
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  if (today.getUTCMonth() < birth.getUTCMonth() || (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate())) age--;
  return age;
}

/** Medication reconciliation across sources, the clinicians' decisions about it, and interaction flags. */
export class MedicationService {
  /** Each drug once, with its sources, discrepancies and the decisions of the reader's program (the patient sees all). */
  async medicationList(
    em: EntityManager,
    reading: RecordReading,
    patientId: string,
  ): Promise<(MedicationGroupData & { patientId: string; decisions: MedicationReconciliation[] })[]> {
    const medications = await disclosedRecords(reading, patientId, Prescription);
    const decisions = (await em.find(MedicationReconciliation, { patient: patientId }, { orderBy: { createdAt: 'desc', id: 'desc' } })).filter((decision) =>
      reading.access.showsProgramRecord(decision.programId),
    );
    return reconcile(medications).map((group) => ({ ...group, patientId, decisions: decisions.filter((decision) => decision.ingredient === group.ingredient) }));
  }

  /** Interaction flags for the current medications; lab-based rules only for readers who may see labs. */
  async interactionFlags(reading: RecordReading, patient: PatientRow): Promise<InteractionFlagData[]> {
    const medications = await disclosedRecords(reading, patient.id, Prescription);
    // A flag must not reveal a result (or its absence) to a reader who may not see labs.
    const labsVisible = (await reading.access.decide(patient.id, [DataCategory.LABS])).allowed.length > 0;
    const labs = labsVisible ? await disclosedRecords(reading, patient.id, LabResult) : [];
    const lastAnc = labs
      .filter((result) => result.loincCode === '751-8' || result.loincCode === '26499-4' || /neutrophil|\banc\b/i.test(result.testName))
      .map((result) => (result.effectiveAt ?? result.receivedAt).getTime())
      .sort((a, b) => b - a)[0];
    const now = new Date();
    return interactionFlags({
      medications: medications.filter((medication) => medication.prescriptionStatus === PrescriptionStatus.ACTIVE),
      age: ageOn(patient.birthDate, now),
      daysSinceAnc: !labsVisible ? undefined : lastAnc === undefined ? null : Math.floor((now.getTime() - lastAnc) / 86_400_000),
    });
  }

  /**
   * Records a clinician's reconciliation decision for a patient in their care; DISCONTINUE also
   * stops the program's own active prescriptions of that drug. The decision returned is disclosed
   * under MEDICATIONS once committed.
   */
  async recordDecision(em: EntityManager, access: AccessPolicy, actor: RequestUser, input: MedicationDecisionInput): Promise<MedicationReconciliation> {
    // Checked before the transaction, on the request's connection (see `ClinicalService.record`).
    await access.requireCareOf(input.patientId);
    const decision = await em.transactional(async (tx) => {
      const patient = await findByIdOrFail(tx, Patient, input.patientId, 'Patient');
      if (input.action === ReconciliationAction.DISCONTINUE) {
        await lockPatientRouting(tx, patient.id);
        const own = await tx.find(Prescription, { patient, sourceOrganization: actor.organizationId!, prescriptionStatus: PrescriptionStatus.ACTIVE });
        // A routed one's pharmacy is told it is stopped.
        for (const prescription of own.filter((each) => medicationKey(each) === input.ingredient)) routing.stop(tx, prescription, DispatchKind.STOP, input.note?.slice(0, stopReasonMaxLength) ?? null);
      }
      const made = new MedicationReconciliation(patient, input.ingredient, input.action, input.note ?? null, { byId: actor.id, programId: actor.organizationId! });
      tx.persist(made);
      return made;
    });
    await access.disclose(input.patientId, [DataCategory.MEDICATIONS]);
    return decision;
  }
}
