import { Migration } from '@mikro-orm/migrations';

export class Migration20261126143000_consents extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "consent" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "program_id" uuid not null, "recipient_organization_ids" text[] not null, "purpose" text check ("purpose" in ('TREATMENT', 'PAYMENT', 'HEALTH_CARE_OPERATIONS', 'PATIENT_REQUEST')) not null, "categories" text[] not null, "starts_at" timestamptz not null, "expires_at" timestamptz null, "expiry_event" varchar(300) null, "status" text check ("status" in ('REQUESTED', 'ACTIVE', 'DECLINED', 'EXPIRED', 'REVOKED')) not null, "signed_name" varchar(200) null, "signed_at" timestamptz null, "signature_method" varchar(50) null, "right_to_revoke" text not null, constraint "consent_pkey" primary key ("id"));`);
    this.addSql(`create index "consent_patient_id_index" on "consent" ("patient_id");`);

    this.addSql(`create table "consent_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "consent_id" uuid not null, "from_status" text check ("from_status" in ('REQUESTED', 'ACTIVE', 'DECLINED', 'EXPIRED', 'REVOKED')) null, "to_status" text check ("to_status" in ('REQUESTED', 'ACTIVE', 'DECLINED', 'EXPIRED', 'REVOKED')) not null, "by_user_id" uuid null, constraint "consent_event_pkey" primary key ("id"));`);
    this.addSql(`create index "consent_event_consent_id_index" on "consent_event" ("consent_id");`);

    this.addSql(`alter table "consent" add constraint "consent_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_program_id_foreign" foreign key ("program_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "consent_event" add constraint "consent_event_consent_id_foreign" foreign key ("consent_id") references "consent" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "consent_event" drop constraint "consent_event_consent_id_foreign";`);

    this.addSql(`drop table if exists "consent" cascade;`);

    this.addSql(`drop table if exists "consent_event" cascade;`);
  }

}
