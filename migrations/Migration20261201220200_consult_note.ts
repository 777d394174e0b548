import { Migration } from '@mikro-orm/migrations';

/** A visit's summary: where a referral's consult note joins the patient's shared view. */
export class Migration20261201220200_consult_note extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" add column "summary" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop column "summary";`);
  }

}
