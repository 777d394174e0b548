import { Migration } from '@mikro-orm/migrations';

export class Migration20261126124342 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_event" ("id" bigserial primary key, "occurred_at" timestamptz not null default now(), "user_id" uuid not null, "role" text check ("role" in ('IOP_CLINICIAN', 'PCP', 'PHARMACIST', 'LAB', 'LOCAL_PROVIDER', 'PATIENT', 'ADMIN')) not null, "organization_id" uuid null, "patient_id" uuid not null, "categories" text[] not null, "purpose" text check ("purpose" in ('TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST')) not null, "consent_id" uuid null, "operation" varchar(200) not null, "request_id" varchar(100) not null);`);
    this.addSql(`create index "audit_event_patient_id_occurred_at_index" on "audit_event" ("patient_id", "occurred_at");`);

    this.addSql(`create table "inbox_message" ("id" uuid not null, "created_at" timestamptz not null default now(), "source" text check ("source" in ('FHIR', 'HL7V2', 'PHARMACY')) not null, "source_organization_id" uuid null, "source_message_id" varchar(200) null, "content_type" varchar(200) not null, "headers" jsonb not null, "body" text not null, "received_at" timestamptz not null default now(), "state" text check ("state" in ('RECEIVED', 'PROCESSED', 'FAILED', 'REJECTED')) not null, "processed_at" timestamptz null, "error" text null, constraint "inbox_message_pkey" primary key ("id"));`);
    this.addSql(`create index "inbox_message_state_received_at_index" on "inbox_message" ("state", "received_at");`);
    this.addSql(`alter table "inbox_message" add constraint "inbox_message_source_source_organization_id_sourc_bbde4_unique" unique ("source", "source_organization_id", "source_message_id");`);

    this.addSql(`create table "organization" ("id" uuid not null, "created_at" timestamptz not null default now(), "name" varchar(200) not null, "kind" text check ("kind" in ('IOP', 'PRIMARY_CARE', 'PHARMACY', 'LAB', 'LOCAL_PROVIDER')) not null, constraint "organization_pkey" primary key ("id"));`);

    this.addSql(`create table "outbox_message" ("id" bigserial primary key, "queue" varchar(100) not null, "job_name" varchar(100) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "relayed_at" timestamptz null);`);
    this.addSql(`create index "outbox_message_unrelayed_idx" on "outbox_message" ("id") where "relayed_at" is null;`);

    this.addSql(`create table "patient" ("id" uuid not null, "created_at" timestamptz not null default now(), "given_name" varchar(100) not null, "family_name" varchar(100) not null, "birth_date" date not null, "phone" varchar(40) null, "address_line" varchar(200) null, "city" varchar(100) null, "region" varchar(50) null, "postal_code" varchar(20) null, constraint "patient_pkey" primary key ("id"));`);

    this.addSql(`create table "enrollment" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "program_id" uuid not null, "status" text check ("status" in ('ACTIVE', 'DISCHARGED', 'WITHDRAWN')) not null default 'ACTIVE', "started_at" timestamptz not null, "ended_at" timestamptz null, constraint "enrollment_pkey" primary key ("id"));`);
    this.addSql(`create index "enrollment_patient_id_index" on "enrollment" ("patient_id");`);
    this.addSql(`create index "enrollment_program_id_index" on "enrollment" ("program_id");`);

    this.addSql(`create table "patient_identifier" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "organization_id" uuid not null, "value" varchar(100) not null, constraint "patient_identifier_pkey" primary key ("id"));`);
    this.addSql(`create index "patient_identifier_patient_id_index" on "patient_identifier" ("patient_id");`);
    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_organization_id_value_unique" unique ("organization_id", "value");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "email" varchar(320) not null, "display_name" varchar(200) not null, "active" boolean not null default true, "patient_id" uuid null, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`create index "app_user_patient_id_index" on "app_user" ("patient_id");`);

    this.addSql(`create table "notification" ("id" uuid not null, "created_at" timestamptz not null default now(), "recipient_id" uuid not null, "kind" varchar(100) not null, "subject_type" varchar(100) not null, "subject_id" uuid not null, "source_key" varchar(200) not null, "read_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_recipient_id_index" on "notification" ("recipient_id");`);
    this.addSql(`alter table "notification" add constraint "notification_source_key_recipient_id_unique" unique ("source_key", "recipient_id");`);

    this.addSql(`create table "membership" ("id" uuid not null, "created_at" timestamptz not null default now(), "user_id" uuid not null, "organization_id" uuid not null, "role" text check ("role" in ('IOP_CLINICIAN', 'PCP', 'PHARMACIST', 'LAB', 'LOCAL_PROVIDER', 'PATIENT', 'ADMIN')) not null, "active" boolean not null default true, constraint "membership_pkey" primary key ("id"));`);
    this.addSql(`create index "membership_organization_id_index" on "membership" ("organization_id");`);
    this.addSql(`alter table "membership" add constraint "membership_user_id_organization_id_role_unique" unique ("user_id", "organization_id", "role");`);

    this.addSql(`create table "care_team_member" ("id" uuid not null, "created_at" timestamptz not null default now(), "enrollment_id" uuid not null, "user_id" uuid not null, "team_role" text check ("team_role" in ('PRESCRIBER', 'THERAPIST', 'CASE_MANAGER', 'NURSE')) not null, "removed_at" timestamptz null, constraint "care_team_member_pkey" primary key ("id"));`);
    this.addSql(`create index "care_team_member_user_id_index" on "care_team_member" ("user_id");`);
    this.addSql(`alter table "care_team_member" add constraint "care_team_member_enrollment_id_user_id_unique" unique ("enrollment_id", "user_id");`);

    this.addSql(`alter table "enrollment" add constraint "enrollment_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "enrollment" add constraint "enrollment_program_id_foreign" foreign key ("program_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "app_user" add constraint "app_user_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "notification" add constraint "notification_recipient_id_foreign" foreign key ("recipient_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "care_team_member" add constraint "care_team_member_enrollment_id_foreign" foreign key ("enrollment_id") references "enrollment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "care_team_member" add constraint "care_team_member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete restrict;`);
  }

}
