import { Migration } from '@mikro-orm/migrations';

export class Migration20261126135000_critical_alerts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "critical_alert" ("id" uuid not null, "created_at" timestamptz not null default now(), "patient_id" uuid not null, "lab_result_id" uuid not null, "rule" varchar(100) not null, "reason" varchar(300) not null, "status" text check ("status" in ('OPEN', 'ESCALATED', 'ACKNOWLEDGED')) not null default 'OPEN', "escalated_at" timestamptz null, "acknowledged_at" timestamptz null, "acknowledged_by_id" uuid null, constraint "critical_alert_pkey" primary key ("id"));`);
    this.addSql(`create index "critical_alert_patient_id_index" on "critical_alert" ("patient_id");`);

    this.addSql(`alter table "critical_alert" add constraint "critical_alert_patient_id_foreign" foreign key ("patient_id") references "patient" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "critical_alert" add constraint "critical_alert_lab_result_id_foreign" foreign key ("lab_result_id") references "clinical_record" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "critical_alert" cascade;`);
  }

}
