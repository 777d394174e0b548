import { Migration } from '@mikro-orm/migrations';

/** The systems in which an organization's own identifiers are named in inbound messages (one owner each). */
export class Migration20261201100500_organization_identifier_systems extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "organization_identifier_system" ("id" uuid not null, "created_at" timestamptz not null default now(), "organization_id" uuid not null, "system" varchar(200) not null, constraint "organization_identifier_system_pkey" primary key ("id"));`);
    this.addSql(`create index "organization_identifier_system_organization_id_index" on "organization_identifier_system" ("organization_id");`);
    this.addSql(`alter table "organization_identifier_system" add constraint "organization_identifier_system_system_unique" unique ("system");`);
    this.addSql(`alter table "organization_identifier_system" add constraint "organization_identifier_system_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "organization_identifier_system" cascade;`);
  }

}
