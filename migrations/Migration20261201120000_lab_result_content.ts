import { Migration } from '@mikro-orm/migrations';

export class Migration20261201120000_lab_result_content extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinical_record" alter column "value_text" type text using ("value_text"::text);`);
    this.addSql(`alter table "clinical_record" add column "value_comparator" varchar(2) null, add column "value_bound" double precision null, add column "value_code" varchar(50) null, add column "value_code_system" varchar(50) null, add column "order_comment" text null, add column "effective_time_source" text check ("effective_time_source" in ('OBSERVATION_TIME', 'COLLECTION_TIME', 'COLLECTION_END_TIME', 'ANALYSIS_TIME', 'MESSAGE_TIME')) null;`);
    // Results imported so far kept OBX-14 or OBR-7, both an observation date/time, or nothing.
    this.addSql(`update "clinical_record" set "effective_time_source" = 'OBSERVATION_TIME' where "kind" = 'LAB_RESULT' and "effective_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinical_record" drop column "value_comparator", drop column "value_bound", drop column "value_code", drop column "value_code_system", drop column "order_comment", drop column "effective_time_source";`);
    this.addSql(`alter table "clinical_record" alter column "value_text" type varchar(500) using (left("value_text", 500));`);
  }

}
