import { Migration } from '@mikro-orm/migrations';

/** Referrals to in-person care and their timeline (issue 14). */
export class Migration20261201220100_referrals extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "referral" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "sender_organization_id" uuid not null, "sender_user_id" uuid not null, "recipient_organization_id" uuid not null, "urgency" text check ("urgency" in ('ROUTINE', 'URGENT', 'EMERGENT')) not null, "requested_service" varchar(300) not null, "reason" text not null, "clinical_question" text not null, "requested_categories" text[] not null, "status" text check ("status" in ('DRAFT', 'REQUESTED', 'RECEIVED', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW', 'CANCELLED', 'FAILED')) not null, "version" int not null default 1, "appointment_at" timestamptz null, "appointment_place" varchar(300) null, "status_reason" text null, "consult_note" text null, "consult_note_pdf" bytea null, "consult_record_id" uuid null, "failure_reason_code" varchar(100) null, "sent_at" timestamptz null, "packet_record_ids" text[] not null default '{}', "packet_withheld" jsonb not null default '[]', "packet_consent_ids" text[] not null default '{}', "letter_version" int not null default 0, constraint "referral_pkey" primary key ("id"));`);
    this.addSql(`create index "referral_patient_id_index" on "referral" ("patient_id");`);
    this.addSql(`create index "referral_recipient_organization_id_status_index" on "referral" ("recipient_organization_id", "status");`);
    this.addSql(`create index "referral_sender_organization_id_status_index" on "referral" ("sender_organization_id", "status");`);

    this.addSql(`create table "referral_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "referral_id" uuid not null, "from_status" text check ("from_status" in ('DRAFT', 'REQUESTED', 'RECEIVED', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW', 'CANCELLED', 'FAILED')) null, "to_status" text check ("to_status" in ('DRAFT', 'REQUESTED', 'RECEIVED', 'ACCEPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW', 'CANCELLED', 'FAILED')) not null, "actor_user_id" uuid null, "organization_id" uuid null, "note" text null, "appointment_at" timestamptz null, "appointment_place" varchar(300) null, constraint "referral_event_pkey" primary key ("id"));`);
    this.addSql(`create index "referral_event_referral_id_index" on "referral_event" ("referral_id");`);

    this.addSql(`alter table "referral" add constraint "referral_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_sender_organization_id_foreign" foreign key ("sender_organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "referral" add constraint "referral_sender_user_id_foreign" foreign key ("sender_user_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "referral" add constraint "referral_recipient_organization_id_foreign" foreign key ("recipient_organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "referral_event" add constraint "referral_event_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "referral_event" drop constraint "referral_event_referral_id_foreign";`);

    this.addSql(`drop table if exists "referral" cascade;`);

    this.addSql(`drop table if exists "referral_event" cascade;`);
  }

}
