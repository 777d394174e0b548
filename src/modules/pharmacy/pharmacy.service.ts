import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestUser } from '../../auth/request-user';
import { conflictOnDuplicate, findByIdOrFail, isUuid } from '../../db/find';
import { paginate, type Page, type PageRequest } from '../../db/paging';
import { BadInputError, NotFoundError } from '../../errors';
import { addToOutbox } from '../../jobs/outbox';
import type { AccessPolicy } from '../access/access-policy';
import { Allergy } from '../clinical/allergy.entity';
import { disclosedRecords, type RecordReading } from '../clinical/patient-records';
import { isRecordOf } from '../clinical/record-kinds';
import type { RecordRow } from '../clinical/record-rows';
import { DataCategory } from '../consent/data-category';
import { Prescription, PrescriptionRouting, PrescriptionStatus } from '../medications/prescription.entity';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { CareTeamMember } from '../patients/care-team-member.entity';
import { EnrollmentStatus } from '../patients/enrollment.entity';
import { Patient } from '../patients/patient.entity';
import { User } from '../users/user.entity';
import { adherenceOf, isRefillLate, type Adherence } from './adherence';
import { AlertUrgency, MedicationAlert, MedicationAlertKind } from './medication-alert.entity';
import { Delivery } from './delivery.entity';
import { MedicationAlertService } from './medication-alert.service';
import { Dispense } from './dispense.entity';
import { DispensingStatus, dispensingStatusOf, FillStatus } from './dispensing-status';
import { assertFillAllowed, checkedFill, handsOver, type FillReport } from './fill-rules';
import { routedPrescriptionByRef } from './prescription-ref';
import { worklistChanged } from './worklist-changed';

export interface WorklistFilter extends PageRequest {
  status?: DispensingStatus | null;
  /** Routed on or after. */
  from?: Date | null;
  /** Routed before. */
  to?: Date | null;
}

/** One routed prescription with what dispensing it needs, and nothing else of the chart. */
export interface WorklistItemData {
  prescription: Prescription;
  dispensingStatus: DispensingStatus;
  patient: Patient;
  allergies: Allergy[];
  prescriberName: string | null;
  fills: Dispense[];
  /** Its fills' deliveries as the pharmacy reported them, by fill number. */
  deliveries: Delivery[];
  /** The medication alerts about it, newest first. */
  alerts: MedicationAlert[];
}

const alerts = new MedicationAlertService();

/** Days the adherence measures look back over, at most (the window opens at the first fill within them). */
export const adherenceWindowDays = 180;

/** Prescriptions the late-refill sweep reads at a time. */
const lateRefillBatch = 200;

/** The pharmacist's worklist and fill reports (NCPDP SCRIPT RxFill), and fills as the patient view shows them. */
export class PharmacyService {
  /** The prescriptions routed to the pharmacist's own pharmacy, oldest first, each disclosed with what dispensing needs. */
  async worklist(em: EntityManager, access: AccessPolicy, filter: WorklistFilter): Promise<Page<WorklistItemData>> {
    const pharmacyId = access.dispensingPharmacy();
    if (filter.from && filter.to && filter.from >= filter.to) throw new BadInputError('"from" must be before "to"', { argument: 'from' });
    const where: FilterQuery<Prescription> = { pharmacy: pharmacyId, routing: PrescriptionRouting.ROUTED, supersededAt: null };
    if (filter.status) where.dispensingStatus = filter.status === DispensingStatus.NEW ? null : filter.status;
    if (filter.from || filter.to) where.routedAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    const page = await paginate(em, Prescription, where, filter);
    const items = await this.dispensingItems(em, access, page.edges.map((edge) => edge.node));
    return {
      ...page,
      edges: page.edges.flatMap((edge) => {
        const node = items.get(edge.node);
        return node ? [{ cursor: edge.cursor, node }] : [];
      }),
    };
  }

  /** One prescription routed to the pharmacist's own pharmacy, as the worklist shows it; NOT_FOUND, as for an unknown id, for any other. */
  async worklistItem(em: EntityManager, access: AccessPolicy, prescriptionId: string): Promise<WorklistItemData> {
    const pharmacyId = access.dispensingPharmacy();
    const prescription = isUuid(prescriptionId)
      ? await em.findOne(Prescription, { id: prescriptionId, pharmacy: pharmacyId, routing: PrescriptionRouting.ROUTED, supersededAt: null })
      : null;
    const item = prescription ? (await this.dispensingItems(em, access, [prescription])).get(prescription) : undefined;
    if (!item) throw new NotFoundError('Prescription', prescriptionId);
    return item;
  }

  /**
   * Of prescriptions routed to the reader's pharmacy, those the policy discloses for dispensing
   * (audited), each with what dispensing needs: the patient's contact and allergies, the
   * prescriber's name, and the pharmacy's own fills, deliveries and the alerts they raised.
   */
  private async dispensingItems(em: EntityManager, access: AccessPolicy, routed: Prescription[]): Promise<Map<Prescription, WorklistItemData>> {
    const prescriptions = await access.discloseForDispensing(routed);
    const ids = prescriptions.map((prescription) => prescription.id);
    const patientIds = [...new Set(prescriptions.map((prescription) => prescription.patient.id))];
    const prescriberIds = [...new Set(prescriptions.flatMap((prescription) => (prescription.prescriberId ? [prescription.prescriberId] : [])))];
    const [patients, allergies, prescribers, fills, deliveries, alerts] = await Promise.all([
      em.find(Patient, { id: { $in: patientIds } }),
      em.find(Allergy, { patient: { $in: patientIds }, supersededAt: null }, { orderBy: { receivedAt: 'asc', id: 'asc' } }),
      em.find(User, { id: { $in: prescriberIds } }, { fields: ['displayName'] }),
      em.find(Dispense, { prescription: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      em.find(Delivery, { prescription: { $in: ids } }, { orderBy: { fillNumber: 'asc' }, populate: ['sourceOrganization'] }),
      em.find(MedicationAlert, { prescription: { $in: ids } }, { orderBy: { createdAt: 'desc', id: 'asc' } }),
    ]);
    const item = (prescription: Prescription): WorklistItemData => ({
      prescription,
      dispensingStatus: prescription.dispensingStatus ?? DispensingStatus.NEW,
      patient: patients.find((patient) => patient.id === prescription.patient.id)!,
      allergies: allergies.filter((allergy) => allergy.patient.id === prescription.patient.id),
      prescriberName: prescribers.find((user) => user.id === prescription.prescriberId)?.displayName ?? null,
      fills: fills.filter((fill) => fill.prescription.id === prescription.id),
      deliveries: deliveries.filter((delivery) => delivery.prescription.id === prescription.id),
      alerts: alerts.filter((alert) => alert.prescription.id === prescription.id),
    });
    return new Map(prescriptions.map((prescription) => [prescription, item(prescription)]));
  }

  /**
   * Records a fill of a prescription routed to the pharmacist's pharmacy, as a dispense record from
   * that pharmacy. The prescription's row is locked while its fills are checked, so of two reports
   * of the same fill at once one is recorded and the other refused (CONFLICT). A fill not dispensed
   * raises a medication alert for the prescriber, a transfer tells the prescriber, and every fill
   * is published live (`fillRecorded`), each through the outbox in the same transaction.
   */
  async recordFill(em: EntityManager, access: AccessPolicy, actor: RequestUser, prescriptionRef: string, report: FillReport): Promise<Dispense> {
    const pharmacyId = access.dispensingPharmacy();
    const fill = checkedFill(report);
    const work = em.transactional(async (tx) => {
      const prescription = await routedPrescriptionByRef(tx, pharmacyId, prescriptionRef);
      if (!prescription) throw new NotFoundError('Prescription', prescriptionRef);
      access.requireDispensing(prescription, prescriptionRef);
      await tx.lock(prescription, LockMode.PESSIMISTIC_WRITE);
      const history = await tx.find(Dispense, { prescription }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      assertFillAllowed(prescription, history, fill);
      const transferredTo = report.transferredToId ? await this.receivingPharmacy(tx, pharmacyId, report.transferredToId) : null;
      const dispense = new Dispense(
        prescription.patient,
        { sourceOrganization: tx.getReference(Organization, pharmacyId), sourceSystem: 'carebridge', recordedById: actor.id },
        prescription,
        { ...fill, transferredTo },
      );
      prescription.dispensingStatus = dispensingStatusOf(fill.status);
      tx.persist(dispense);
      if (fill.status === FillStatus.NOT_DISPENSED) {
        // A missed MOUD/MAUD dose is a relapse risk: urgent, so the on-call hears of it too.
        await alerts.raise(tx, {
          kind: MedicationAlertKind.NOT_DISPENSED,
          subjectKey: `dispense/${dispense.id}`,
          urgency: prescription.isMoud ? AlertUrgency.URGENT : AlertUrgency.ROUTINE,
          reason: `Fill ${fill.fillNumber} not dispensed: ${fill.reason}`,
          prescription,
          sourceOrganizationId: pharmacyId,
        });
      }
      if (fill.status === FillStatus.TRANSFERRED) addToOutbox(tx, 'notifications', 'fill.transferred', { dispenseId: dispense.id });
      addToOutbox(tx, 'notifications', 'live.publish', { topic: 'fillRecorded', patientId: prescription.patient.id, recordId: dispense.id });
      worklistChanged(tx, prescription);
      return dispense;
    });
    return conflictOnDuplicate(work, `Fill ${fill.fillNumber} was already dispensed`);
  }

  /** The patient's fills of these prescriptions that the reader may see, oldest first (MEDICATIONS; of MOUD/MAUD, SUD). */
  async fillsOf(reading: RecordReading, patientId: string, prescriptionIds: string[]): Promise<RecordRow<Dispense>[]> {
    const wanted = new Set(prescriptionIds);
    return disclosedRecords(reading, patientId, Dispense, (fills) => fills.filter((fill) => fill.prescription && wanted.has(fill.prescription.id)));
  }

  /**
   * Adherence of one medication (its prescriptions, and the fills the reader may see) on `today`:
   * PDC and refill timing from the fills that handed it over, and whether a refill is late beyond
   * `lateAfterDays` while a prescription of it has a refill left.
   */
  adherence(
    prescriptions: readonly RecordRow<Prescription>[],
    fills: readonly RecordRow<Dispense>[],
    lateAfterDays: number,
    today: string = new Date().toISOString().slice(0, 10),
  ): Adherence & { refillLate: boolean } {
    const handedOver = fills.filter((fill) => handsOver(fill.fillStatus) && fill.dispensedOn && fill.daysSupply);
    const adherence = adherenceOf(
      handedOver.map((fill) => ({ dispensedOn: fill.dispensedOn!, daysSupply: fill.daysSupply! })),
      today,
      adherenceWindowDays,
    );
    // Only prescriptions sent to a pharmacy and still active are expected to be refilled.
    const filled = prescriptions.filter((prescription) => prescription.routing === PrescriptionRouting.ROUTED && prescription.prescriptionStatus === PrescriptionStatus.ACTIVE);
    const refillsLeft = filled.reduce((left, prescription) => {
      const used = new Set(fills.filter((fill) => fill.prescription?.id === prescription.id && handsOver(fill.fillStatus)).map((fill) => fill.fillNumber));
      return left + Math.max(0, prescription.refills + 1 - used.size);
    }, 0);
    return { ...adherence, refillLate: isRefillLate(adherence, lateAfterDays, refillsLeft) };
  }

  /**
   * Alerts the care team (urgent, and the on-call too, for MOUD) of every refill later than
   * `lateAfterDays` past due on an active prescription routed to a pharmacy with a refill left,
   * once per prescription and expected fill. Due-dated in the database and found by the
   * reconciler's sweep, so a Redis loss delays it by one sweep at most. The query only narrows
   * the prescriptions to look at (by their last fill, set-based); whether a refill is late is
   * `adherence`'s rule, as the patient view shows it, read in batches. Returns how many alerts it raised.
   */
  async alertLateRefills(em: EntityManager, lateAfterDays: number, today: string = new Date().toISOString().slice(0, 10)): Promise<number> {
    // One pass over the window's fills, grouped per prescription (a correlated subquery per fill
    // was quadratic: minutes for 60,000 fills; this is 0.2 s).
    const candidates = await em.execute<{ id: string; next_fill: number }[]>(
      `with handed_over as (
         select f.prescription_id, f.fill_number, f.dispensed_on, f.dispensed_on + f.days_supply as supplied_until
         from clinical_record f
         where f.kind = ? and f.fill_status in (?, ?) and f.dispensed_on is not null and f.days_supply is not null
           and f.dispensed_on > ?::date - ?::int and f.dispensed_on <= ?::date
       ), by_prescription as (
         select prescription_id, max(fill_number) + 1 as next_fill, count(distinct fill_number) as fills_used,
           (array_agg(supplied_until order by dispensed_on desc))[1] as due
         from handed_over group by prescription_id
       )
       select p.id, l.next_fill from clinical_record p join by_prescription l on l.prescription_id = p.id
       where p.kind = ? and p.routing = ? and p.prescription_status = ? and p.superseded_at is null and p.pharmacy_id is not null
         and l.fills_used < p.refills + 1 and l.due + ?::int < ?::date
         and not exists (select 1 from medication_alert a where a.kind = ? and a.subject_key = p.id::text || '/fill-' || l.next_fill)
       order by p.id`,
      [
        'DISPENSE',
        FillStatus.DISPENSED,
        FillStatus.PARTIALLY_DISPENSED,
        today,
        adherenceWindowDays,
        today,
        'PRESCRIPTION',
        PrescriptionRouting.ROUTED,
        PrescriptionStatus.ACTIVE,
        lateAfterDays,
        today,
        MedicationAlertKind.REFILL_LATE,
      ],
    );
    let raised = 0;
    for (let start = 0; start < candidates.length; start += lateRefillBatch) {
      const batch = candidates.slice(start, start + lateRefillBatch);
      const nextFill = new Map(batch.map((row) => [row.id, Number(row.next_fill)]));
      const [prescriptions, fills] = await Promise.all([
        em.find(Prescription, { id: { $in: [...nextFill.keys()] } }),
        em.find(Dispense, { prescription: { $in: [...nextFill.keys()] } }),
      ]);
      for (const prescription of prescriptions) {
        const adherence = this.adherence([prescription], fills.filter((fill) => fill.prescription.id === prescription.id), lateAfterDays, today);
        if (!adherence.refillLate) continue;
        const fillNumber = nextFill.get(prescription.id)!;
        const id = await em.fork().transactional((tx) =>
          alerts.raise(tx, {
            kind: MedicationAlertKind.REFILL_LATE,
            subjectKey: `${prescription.id}/fill-${fillNumber}`,
            urgency: prescription.isMoud ? AlertUrgency.URGENT : AlertUrgency.ROUTINE,
            reason: `Fill ${fillNumber}: due ${adherence.nextFillDue}, ${adherence.daysLate} days late (threshold ${lateAfterDays})`,
            prescription,
            sourceOrganizationId: prescription.pharmacy!.id,
          }),
        );
        if (id) raised += 1;
      }
      em.clear();
    }
    return raised;
  }

  /** A fill report the reader may open (say, from a notification); NOT_FOUND, as for an unknown id, for one they may not. */
  async openDispense(em: EntityManager, reading: RecordReading, id: string): Promise<RecordRow<Dispense>> {
    const { patient } = await findByIdOrFail(em, Dispense, id, 'Dispense');
    const rows = await reading.loaders.clinicalRecordsByPatient.load(patient.id);
    const row = rows.find((record): record is RecordRow<Dispense> => record.id === id && isRecordOf(record, Dispense));
    const shown = await reading.access.openRecord(patient.id, DataCategory.MEDICATIONS, row);
    if (!shown) throw new NotFoundError('Dispense', id);
    return shown;
  }

  /**
   * Who is told of a transferred prescription: the prescriber; for a prescription with
   * none here (imported), the current care team of the patient in the program that holds it.
   */
  async toldOfFill(em: EntityManager, dispenseId: string): Promise<{ dispense: Dispense; userIds: string[] } | null> {
    const dispense = await em.findOne(Dispense, { id: dispenseId }, { populate: ['prescription'] });
    if (!dispense) return null;
    if (dispense.prescription.prescriberId) return { dispense, userIds: [dispense.prescription.prescriberId] };
    const team = await em.find(CareTeamMember, {
      removedAt: null,
      enrollment: { patient: dispense.patient, program: dispense.derivedFrom, status: EnrollmentStatus.ACTIVE },
    });
    return { dispense, userIds: team.map((member) => member.user.id) };
  }

  /** Another pharmacy, the one a prescription is transferred to. */
  private async receivingPharmacy(em: EntityManager, ownPharmacyId: string, id: string): Promise<Organization> {
    const organization = await findByIdOrFail(em, Organization, id, 'Organization');
    if (organization.kind !== OrganizationKind.PHARMACY) throw new BadInputError('A prescription is transferred to a pharmacy', { field: 'transferredToId' });
    if (organization.id === ownPharmacyId) throw new BadInputError('A transfer goes to another pharmacy than yours', { field: 'transferredToId' });
    return organization;
  }
}
