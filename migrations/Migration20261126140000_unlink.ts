import { Migration } from '@mikro-orm/migrations';

export class Migration20261126140000_unlink extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "match_review" drop constraint if exists "match_review_status_check";`);

    this.addSql(`alter table "match_review" add constraint "match_review_status_check" check("status" in ('PENDING', 'LINKED', 'CREATED', 'REJECTED', 'UNLINKED'));`);

    this.addSql(`alter table "clinical_record" add column "inbox_message_id" uuid null;`);
    this.addSql(`create index "clinical_record_inbox_message_id_index" on "clinical_record" ("inbox_message_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "match_review" drop constraint if exists "match_review_status_check";`);

    this.addSql(`drop index "clinical_record_inbox_message_id_index";`);
    this.addSql(`alter table "clinical_record" drop column "inbox_message_id";`);

    this.addSql(`alter table "match_review" add constraint "match_review_status_check" check("status" in ('PENDING', 'LINKED', 'CREATED', 'REJECTED'));`);
  }

}
