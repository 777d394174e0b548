import { Migration } from '@mikro-orm/migrations';

export class Migration20261126143500_break_glass extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "break_glass_access" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "user_id" uuid not null, "organization_id" uuid not null, "reason" text not null, "expires_at" timestamptz not null, constraint "break_glass_access_pkey" primary key ("id"));`);
    this.addSql(`create index "break_glass_access_patient_id_index" on "break_glass_access" ("patient_id");`);

    this.addSql(`alter table "break_glass_access" add constraint "break_glass_access_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "audit_event" add column "break_glass_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "break_glass_access" cascade;`);

    this.addSql(`alter table "audit_event" drop column "break_glass_id";`);
  }

}
