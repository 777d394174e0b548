import { Migration } from '@mikro-orm/migrations';

export class Migration20261126132801_inbound_records extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "match_review" ("id" uuid not null, "created_at" timestamptz not null default now(), "inbox_message_id" uuid not null, "source_organization_id" uuid not null, "demographics" jsonb not null, "candidate_ids" text[] not null, "status" text check ("status" in ('PENDING', 'LINKED', 'CREATED', 'REJECTED')) not null default 'PENDING', "patient_id" uuid null, "resolved_by_id" uuid null, "resolved_at" timestamptz null, constraint "match_review_pkey" primary key ("id"));`);
    this.addSql(`create index "match_review_inbox_message_id_index" on "match_review" ("inbox_message_id");`);

    this.addSql(`alter table "match_review" add constraint "match_review_inbox_message_id_foreign" foreign key ("inbox_message_id") references "inbox_message" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "match_review" add constraint "match_review_source_organization_id_foreign" foreign key ("source_organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "match_review" add constraint "match_review_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "inbox_message" drop constraint if exists "inbox_message_state_check";`);

    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_kind_check";`);

    this.addSql(`alter table "inbox_message" add constraint "inbox_message_state_check" check("state" in ('RECEIVED', 'HELD', 'PROCESSED', 'FAILED', 'REJECTED'));`);

    this.addSql(`alter table "clinical_record" add column "substance" varchar(300) null, add column "substance_code" varchar(50) null, add column "reaction" varchar(300) null, add column "criticality" text check ("criticality" in ('LOW', 'HIGH', 'UNABLE_TO_ASSESS')) null, add column "encounter_type" varchar(300) null, add column "encounter_status" varchar(30) null, add column "started_at" timestamptz null, add column "ended_at" timestamptz null, add column "loinc_code" varchar(20) null, add column "test_name" varchar(300) null, add column "value_numeric" double precision null, add column "value_text" varchar(500) null, add column "unit" varchar(50) null, add column "reference_low" double precision null, add column "reference_high" double precision null, add column "reference_text" varchar(100) null, add column "abnormal_flag" varchar(5) null, add column "result_status" text check ("result_status" in ('PRELIMINARY', 'FINAL', 'CORRECTED', 'CANCELLED')) null, add column "effective_at" timestamptz null;`);
    this.addSql(`alter table "clinical_record" add constraint "clinical_record_kind_check" check("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT', 'ALLERGY', 'ENCOUNTER', 'LAB_RESULT'));`);
    this.addSql(`create unique index "clinical_record_source_unique" on "clinical_record" ("source_organization_id", "kind", "source_record_id") where "source_record_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "match_review" cascade;`);

    this.addSql(`alter table "clinical_record" drop constraint if exists "clinical_record_kind_check";`);

    this.addSql(`alter table "inbox_message" drop constraint if exists "inbox_message_state_check";`);

    this.addSql(`drop index "clinical_record_source_unique";`);
    this.addSql(`alter table "clinical_record" drop column "substance", drop column "substance_code", drop column "reaction", drop column "criticality", drop column "encounter_type", drop column "encounter_status", drop column "started_at", drop column "ended_at", drop column "loinc_code", drop column "test_name", drop column "value_numeric", drop column "value_text", drop column "unit", drop column "reference_low", drop column "reference_high", drop column "reference_text", drop column "abnormal_flag", drop column "result_status", drop column "effective_at";`);

    this.addSql(`alter table "clinical_record" add constraint "clinical_record_kind_check" check("kind" in ('DIAGNOSIS', 'PRESCRIPTION', 'ASSESSMENT', 'ATTENDANCE', 'CARE_PLAN', 'SIDE_EFFECT'));`);

    this.addSql(`alter table "inbox_message" add constraint "inbox_message_state_check" check("state" in ('RECEIVED', 'PROCESSED', 'FAILED', 'REJECTED'));`);
  }

}
