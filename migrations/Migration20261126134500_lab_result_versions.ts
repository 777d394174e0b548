import { Migration } from '@mikro-orm/migrations';

export class Migration20261126134500_lab_result_versions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" add column "result_key" varchar(300) null, add column "superseded_at" timestamptz null, add column "superseded_by_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop column "result_key", drop column "superseded_at", drop column "superseded_by_id";`);
  }

}
