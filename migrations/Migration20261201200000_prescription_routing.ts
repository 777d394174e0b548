import { Migration } from '@mikro-orm/migrations';

/** A prescription's number (RX- and 6 digits) and where it stands in reaching its pharmacy. */
export class Migration20261201200000_prescription_routing extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" add column "rx_number" varchar(9) null, add column "routing" text check ("routing" in ('AWAITING_CONSENT', 'ROUTED')) null, add column "routed_at" timestamptz null;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_rx_number_unique" unique ("rx_number");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop constraint "clinical_record_rx_number_unique";`);
    this.addSql(`alter table "clinical_record" drop column "rx_number", drop column "routing", drop column "routed_at";`);
  }

}
