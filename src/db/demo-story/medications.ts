import type { EntityManager } from '@mikro-orm/postgresql';
import { ClinicalService } from '../../modules/clinical/clinical.service';
import { DeaSchedule, type PrescriptionData } from '../../modules/medications/prescription.entity';
import type { DeliveryUpdate } from '../../modules/pharmacy/delivery-event.schema';
import { DeliveryService } from '../../modules/pharmacy/delivery.service';
import { FillStatus } from '../../modules/pharmacy/dispensing-status';
import { PharmacyService } from '../../modules/pharmacy/pharmacy.service';
import type { DemoCast } from '../seed';
import { actAs } from './acting';
import { daysAgo, dateOf } from './calendar';

const clinical = new ClinicalService();
const pharmacy = new PharmacyService();
const deliveries = new DeliveryService();

/** What happens to one fill: dispensed some days ago, then its delivery's events (told for the latest fill only). */
interface FillStory {
  dispensedDaysAgo: number;
  delivery?: 'DELIVERED' | 'LATE';
}

interface PrescriptionStory {
  patient: 0 | 1 | 2;
  data: Omit<PrescriptionData, 'pharmacy' | 'prescriberId'>;
  ndc: string;
  /** Of each fill: the prescribed quantity. */
  daysSupply: number;
  fills: FillStory[];
}

/** Home delivery from the demo pharmacy, for every prescription of the story. */
const delivered = { homeDelivery: true };

const prescriptions: PrescriptionStory[] = [
  {
    patient: 0,
    data: { drugName: 'Lithium carbonate 300 mg capsule', dose: '600 mg', route: 'oral', sig: 'Take two capsules at bedtime', quantity: 60, refills: 5, ...delivered },
    ndc: '0054-4527-25',
    daysSupply: 30,
    fills: [
      { dispensedDaysAgo: 62 },
      { dispensedDaysAgo: 32 },
      { dispensedDaysAgo: 3, delivery: 'DELIVERED' },
    ],
  },
  {
    patient: 1,
    data: {
      drugName: 'Buprenorphine 8 mg / naloxone 2 mg sublingual film',
      dose: '1 film',
      route: 'sublingual',
      sig: 'Dissolve one film under the tongue once daily',
      quantity: 14,
      refills: 5,
      deaSchedule: DeaSchedule.III,
      ...delivered,
    },
    ndc: '12496-1208-03',
    daysSupply: 14,
    fills: [
      { dispensedDaysAgo: 17 },
      // Shipped four days ago, due yesterday, still not there: a missed MOUD dose is a relapse risk.
      { dispensedDaysAgo: 4, delivery: 'LATE' },
    ],
  },
  {
    patient: 1,
    data: { drugName: 'Sertraline 50 mg tablet', dose: '50 mg', route: 'oral', sig: 'Take one tablet every morning', quantity: 30, refills: 3, ...delivered },
    ndc: '16729-0213-01',
    daysSupply: 30,
    fills: [{ dispensedDaysAgo: 10, delivery: 'DELIVERED' }],
  },
  {
    patient: 2,
    data: { drugName: 'Sertraline 100 mg tablet', dose: '100 mg', route: 'oral', sig: 'Take one tablet every morning', quantity: 30, refills: 3, ...delivered },
    ndc: '16729-0214-01',
    daysSupply: 30,
    fills: [{ dispensedDaysAgo: 21, delivery: 'DELIVERED' }],
  },
  // Riley's lithium was just written: new on the pharmacist's worklist.
  {
    patient: 2,
    data: { drugName: 'Lithium carbonate 300 mg capsule', dose: '300 mg', route: 'oral', sig: 'Take one capsule twice daily', quantity: 60, refills: 2, ...delivered },
    ndc: '0054-4527-25',
    daysSupply: 30,
    fills: [],
  },
];

/** A fill's delivery events as the pharmacy reports them: shipped the day it was dispensed, then delivered the next day, or overdue. */
function deliveryEventsOf(fillNumber: number, fill: FillStory): DeliveryUpdate[] {
  if (!fill.delivery) return [];
  const shippedAt = daysAgo(fill.dispensedDaysAgo);
  const estimated = daysAgo(fill.dispensedDaysAgo - (fill.delivery === 'LATE' ? 3 : 1));
  const shipped: DeliveryUpdate = {
    fillNumber,
    status: 'SHIPPED',
    occurredAt: shippedAt.toISOString(),
    shipment: { carrier: 'Harbor Courier', trackingNumber: `HC${fill.dispensedDaysAgo}${fillNumber}7741`, estimatedDelivery: dateOf(estimated) },
  };
  if (fill.delivery !== 'DELIVERED') return [shipped];
  return [
    shipped,
    {
      fillNumber,
      status: 'DELIVERED',
      occurredAt: estimated.toISOString(),
      shipment: { carrier: 'Harbor Courier', trackingNumber: shipped.shipment!.trackingNumber },
      signature: { required: true, obtained: true, method: 'ELECTRONIC', signerName: 'Patient' },
    },
  ];
}

/**
 * The prescriber writes each prescription for the demo pharmacy (routed at once: the consents are
 * signed), the pharmacist reports its fills and their deliveries, and the late-delivery sweep the
 * worker runs raises the alert of the late buprenorphine delivery at once.
 */
export async function prescribeAndDispense(em: EntityManager, cast: DemoCast): Promise<void> {
  for (const story of prescriptions) {
    const patientId = cast.patients[story.patient].id;
    const startDate = dateOf(daysAgo((story.fills[0]?.dispensedDaysAgo ?? 0) + 1));
    const prescription = await actAs(em, cast.staff.prescriber, 'Prescribe', ({ em: fork, access, user }) =>
      clinical.prescribe(fork, access, user, patientId, { ...story.data, startDate, pharmacyId: cast.organizations.pharmacy }),
    );
    await actAs(em, cast.staff.pharmacist, 'RecordFillsAndDeliveries', async ({ em: fork, access, user }) => {
      for (const [fillNumber, fill] of story.fills.entries()) {
        await pharmacy.recordFill(fork, access, user, prescription.rxNumber!, {
          fillNumber,
          status: FillStatus.DISPENSED,
          quantity: story.data.quantity,
          daysSupply: story.daysSupply,
          ndc: story.ndc,
          lotNumber: `LOT${fill.dispensedDaysAgo}A`,
          dispensedOn: dateOf(daysAgo(fill.dispensedDaysAgo)),
        });
        for (const update of deliveryEventsOf(fillNumber, fill)) {
          await deliveries.setStatus(fork, access, user, prescription.id, update, { maxAheadSeconds: 0 });
        }
      }
    });
  }
  await deliveries.alertLate(em.fork());
}
