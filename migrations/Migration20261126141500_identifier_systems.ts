import { Migration } from '@mikro-orm/migrations';

export class Migration20261126141500_identifier_systems extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "patient_identifier" drop constraint "patient_identifier_organization_id_value_unique";`);

    this.addSql(`alter table "patient_identifier" add column "system" varchar(200) not null default '';`);
    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_organization_id_system_value_unique" unique ("organization_id", "system", "value");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "patient_identifier" drop constraint "patient_identifier_organization_id_system_value_unique";`);
    this.addSql(`alter table "patient_identifier" drop column "system";`);

    this.addSql(`alter table "patient_identifier" add constraint "patient_identifier_organization_id_value_unique" unique ("organization_id", "value");`);
  }

}
