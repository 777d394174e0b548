import { Migration } from '@mikro-orm/migrations';

/** A pharmacy acknowledges a medication alert about a prescription routed to it, apart from the care team (issue 15). */
export class Migration20261202000400_medication_alert_pharmacy_acknowledgement extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "medication_alert" add column "pharmacy_acknowledged_at" timestamptz null, add column "pharmacy_acknowledged_by_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "medication_alert" drop column "pharmacy_acknowledged_at", drop column "pharmacy_acknowledged_by_id";`);
  }
}
