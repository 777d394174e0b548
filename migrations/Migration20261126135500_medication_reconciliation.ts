import { Migration } from '@mikro-orm/migrations';

export class Migration20261126135500_medication_reconciliation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "medication_reconciliation" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "ingredient" varchar(200) not null, "action" text check ("action" in ('KEEP', 'DISCONTINUE', 'CHANGE')) not null, "note" text null, "decided_by_id" uuid not null, "program_id" uuid not null, constraint "medication_reconciliation_pkey" primary key ("id"));`);
    this.addSql(`create index "medication_reconciliation_patient_id_ingredient_index" on "medication_reconciliation" ("patient_id", "ingredient");`);

    this.addSql(`alter table "medication_reconciliation" add constraint "medication_reconciliation_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "medication_reconciliation" cascade;`);
  }

}
