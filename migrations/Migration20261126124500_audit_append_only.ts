import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail is append-only: the database refuses UPDATE, DELETE and TRUNCATE on it for
 * every role, including the application's own.
 */
export class Migration20261126124500_audit_append_only extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function audit_event_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % is not allowed', tg_op
          using errcode = 'insufficient_privilege';
      end;
      $$;`);
    this.addSql(`create trigger audit_event_no_update_delete before update or delete on "audit_event"
      for each row execute function audit_event_refuse_change();`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on "audit_event"
      for each statement execute function audit_event_refuse_change();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists audit_event_no_truncate on "audit_event";');
    this.addSql('drop trigger if exists audit_event_no_update_delete on "audit_event";');
    this.addSql('drop function if exists audit_event_refuse_change();');
  }
}
