import { Migration } from '@mikro-orm/migrations';

/**
 * A medication alert is judged for Part 2 as its prescription's record (the prescribing
 * organization's), as a fill is: an alert about a program's MOUD prescription must not tell
 * another program treating the patient that it exists. Existing alerts take their prescription's.
 */
export class Migration20261201218100_medication_alert_derived_from extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "medication_alert" add column "derived_from_id" uuid null;`);
    this.addSql(
      `update "medication_alert" a set "derived_from_id" = p."source_organization_id" from "clinical_record" p where p."id" = a."prescription_id";`,
    );
    this.addSql(`alter table "medication_alert" alter column "derived_from_id" set not null;`);
    this.addSql(
      `alter table "medication_alert" add constraint "medication_alert_derived_from_id_foreign" foreign key ("derived_from_id") references "organization" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "medication_alert" drop constraint "medication_alert_derived_from_id_foreign";`);
    this.addSql(`alter table "medication_alert" drop column "derived_from_id";`);
  }
}
