import { Migration } from '@mikro-orm/migrations';

/**
 * The program that registered each patient, which may enrol them again. Registration always
 * opened an enrolment in the registering program, so a known patient's first enrolment names it.
 */
export class Migration20261201171500_patient_registered_by extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "patient" add column "registered_by_id" uuid null;`);
    this.addSql(`alter table "patient" add constraint "patient_registered_by_id_foreign" foreign key ("registered_by_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`update "patient" set "registered_by_id" = (select "program_id" from "enrollment" where "enrollment"."patient_id" = "patient"."id" order by "started_at", "id" limit 1);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "patient" drop constraint "patient_registered_by_id_foreign";`);
    this.addSql(`alter table "patient" drop column "registered_by_id";`);
  }

}
