import { Migration } from '@mikro-orm/migrations';

/** A patient has at most one login (nulls, the staff's, do not collide). */
export class Migration20261201190000_one_login_per_patient extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "app_user_patient_id_index";`);
    this.addSql(`alter table "app_user" add constraint "app_user_patient_id_unique" unique ("patient_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "app_user" drop constraint "app_user_patient_id_unique";`);
    this.addSql(`create index "app_user_patient_id_index" on "app_user" ("patient_id");`);
  }

}
