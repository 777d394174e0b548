import { Migration } from '@mikro-orm/migrations';

export class Migration20261201110000_fhir_record_versions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" add column "source_content_hash" varchar(64) null, add column "date_as_given" varchar(40) null, add column "date_precision" text check ("date_precision" in ('YEAR', 'MONTH', 'DAY', 'SECOND')) null;`);
    this.addSql(`alter table "patient" add column "birth_date_precision" text check ("birth_date_precision" in ('YEAR', 'MONTH', 'DAY', 'SECOND')) not null default 'DAY';`);
    this.addSql(`drop index "clinical_record_source_unique";`);
    this.addSql(`create unique index "clinical_record_source_unique" on "clinical_record" ("source_organization_id", "patient_id", "kind", "source_record_id") where "source_record_id" is not null and "superseded_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "clinical_record_source_unique";`);
    this.addSql(`create unique index "clinical_record_source_unique" on "clinical_record" ("source_organization_id", "kind", "source_record_id") where "source_record_id" is not null;`);
    this.addSql(`alter table "patient" drop column "birth_date_precision";`);
    this.addSql(`alter table "clinical_record" drop column "source_content_hash", drop column "date_as_given", drop column "date_precision";`);
  }

}
