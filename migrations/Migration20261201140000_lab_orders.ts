import { Migration } from '@mikro-orm/migrations';

/** Lab orders and their status (OBR-25), a kind of clinical record. */
export class Migration20261201140000_lab_orders extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_kind_check";`);

    this.addSql(`alter table "clinical_record" add column "order_id" varchar(200) null, add column "order_status" text check ("order_status" in ('ORDERED', 'SCHEDULED', 'IN_PROCESS', 'RESULTS_IN_PART', 'PRELIMINARY', 'FINAL', 'CORRECTED', 'CANCELLED')) null, add column "status_changed_at" timestamptz null;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_kind_check" check("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT', 'ALLERGY', 'ENCOUNTER', 'LAB_RESULT', 'LAB_ORDER'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_kind_check";`);

    this.addSql(`alter table "clinical_record" drop column "order_id", drop column "order_status", drop column "status_changed_at";`);

    this.addSql(`alter table "clinical_record" add constraint "clinical_record_kind_check" check("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT', 'ALLERGY', 'ENCOUNTER', 'LAB_RESULT'));`);
  }

}
