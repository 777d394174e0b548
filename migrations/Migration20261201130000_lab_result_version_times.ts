import { Migration } from '@mikro-orm/migrations';

export class Migration20261201130000_lab_result_version_times extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" add column "reported_at" timestamptz null, add column "analyzed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop column "reported_at", drop column "analyzed_at";`);
  }

}
