import { Migration } from '@mikro-orm/migrations';

export class Migration20261126140500_lab_result_comment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" add column "comment" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop column "comment";`);
  }

}
