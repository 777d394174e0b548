import { Migration } from '@mikro-orm/migrations';

/**
 * Fills a pharmacy reports (dispense records, a kind of clinical record) and where a routed
 * prescription stands at its pharmacy. A fill is dispensed at most once.
 */
export class Migration20261201212100_fills extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_kind_check";`);

    this.addSql(`alter table "clinical_record" add column "dispensing_status" text check ("dispensing_status" in ('NEW', 'DISPENSED', 'PARTIALLY_DISPENSED', 'NOT_DISPENSED', 'TRANSFERRED')) null, add column "derived_from_id" uuid null, add column "fill_number" int null, add column "fill_status" text check ("fill_status" in ('DISPENSED', 'PARTIALLY_DISPENSED', 'NOT_DISPENSED', 'TRANSFERRED')) null, add column "dispensed_quantity" double precision null, add column "remaining_quantity" double precision null, add column "days_supply" int null, add column "ndc" varchar(13) null, add column "lot_number" varchar(50) null, add column "dispensed_on" date null, add column "not_dispensed_reason" text check ("not_dispensed_reason" in ('OUT_OF_STOCK', 'PRIOR_AUTHORIZATION_REQUIRED', 'PATIENT_DECLINED', 'NOT_PICKED_UP', 'CLINICAL_CONCERN')) null, add column "note" varchar(1000) null, add column "transferred_to_id" uuid null;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_derived_from_id_foreign" foreign key ("derived_from_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_transferred_to_id_foreign" foreign key ("transferred_to_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_kind_check" check("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT', 'ALLERGY', 'ENCOUNTER', 'LAB_RESULT', 'LAB_ORDER', 'DISPENSE'));`);
    this.addSql(`create unique index "clinical_record_fill_dispensed_unique" on "clinical_record" ("prescription_id", "fill_number") where "fill_status" = 'DISPENSED';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "clinical_record_fill_dispensed_unique";`);
    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_kind_check";`);
    this.addSql(`alter table "clinical_record" drop constraint "clinical_record_derived_from_id_foreign";`);
    this.addSql(`alter table "clinical_record" drop constraint "clinical_record_transferred_to_id_foreign";`);
    this.addSql(`alter table "clinical_record" drop column "dispensing_status", drop column "derived_from_id", drop column "fill_number", drop column "fill_status", drop column "dispensed_quantity", drop column "remaining_quantity", drop column "days_supply", drop column "ndc", drop column "lot_number", drop column "dispensed_on", drop column "not_dispensed_reason", drop column "note", drop column "transferred_to_id";`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_kind_check" check("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT', 'ALLERGY', 'ENCOUNTER', 'LAB_RESULT', 'LAB_ORDER'));`);
  }

}
