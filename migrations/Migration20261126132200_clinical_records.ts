import { Migration } from '@mikro-orm/migrations';

export class Migration20261126132200_clinical_records extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "clinical_record" ("id" uuid not null, "created_at" timestamptz not null default now(), "kind" text check ("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT')) not null, "patient_id" uuid not null, "categories" text[] not null, "source_organization_id" uuid not null, "source_system" varchar(200) not null, "source_record_id" varchar(200) null, "received_at" timestamptz not null, "recorded_by_id" uuid null, "icd10code" varchar(10) null, "diagnosis_text" varchar(300) null, "diagnosis_status" text check ("diagnosis_status" in ('ACTIVE', 'RESOLVED', 'INACTIVE')) null, "drug_name" varchar(200) null, "rxnorm_code" varchar(20) null, "ingredient_rxcui" varchar(20) null, "dose" varchar(100) null, "route" varchar(50) null, "sig" varchar(300) null, "quantity" int null, "refills" int null, "prescriber_id" uuid null, "dea_schedule" text check ("dea_schedule" in ('II', 'III', 'IV', 'V')) null, "is_moud" boolean null, "pharmacy_id" uuid null, "home_delivery" boolean null, "start_date" date null, "prescription_status" text check ("prescription_status" in ('ACTIVE', 'STOPPED')) null, "instrument" text check ("instrument" in ('PHQ9', 'GAD7', 'AUDIT_C', 'CSSRS_SCREEN')) null, "score" int null, "administered_at" timestamptz null, "session_type" text check ("session_type" in ('GROUP', 'INDIVIDUAL')) null, "session_at" timestamptz null, "attendance_status" text check ("attendance_status" in ('ATTENDED', 'LATE', 'ABSENT', 'EXCUSED')) null, "sud_program" boolean null, "plan_type" text check ("plan_type" in ('TREATMENT', 'CRISIS')) null, "plan_text" text null, "addresses_sud" boolean null, "prescription_id" uuid null, "effect" varchar(500) null, "severity" text check ("severity" in ('MILD', 'MODERATE', 'SEVERE', 'LIFE_THREATENING')) null, "onset_date" date null, "follow_up" text null, constraint "clinical_record_pkey" primary key ("id"));`);
    this.addSql(`create index "clinical_record_kind_index" on "clinical_record" ("kind");`);
    this.addSql(`create index "clinical_record_patient_id_kind_index" on "clinical_record" ("patient_id", "kind");`);

    this.addSql(`alter table "clinical_record" add constraint "clinical_record_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_source_organization_id_foreign" foreign key ("source_organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_pharmacy_id_foreign" foreign key ("pharmacy_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_prescription_id_foreign" foreign key ("prescription_id") references "clinical_record" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop constraint "clinical_record_prescription_id_foreign";`);

    this.addSql(`drop table if exists "clinical_record" cascade;`);
  }

}
