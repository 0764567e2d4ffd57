// What the megacity benchmark found missing (issue 18, docs/operations.md "At megacity scale"):
//
// - `ticket_units` (PostgreSQL): one row per unit a ticket is with — (unit, open, updated_at,
//   ticket_id) — kept by a trigger on `tickets`, so a unit's first sync reads its own tickets
//   in one index range, newest first, where it walked every unit's tickets testing `units` as a
//   substring (149 s for a busy unit at 6 million tickets). `open` is the status test of
//   snapshot.ts, written as literals: a change to OPEN_STATUSES needs a new migration, as for
//   migration 7's partial index. SQLite keeps the substring test (it holds a town, not a city).
// - `tickets (due_at)` and `timeline_events (type, at)`: the dashboard's server-side figures
//   over a period (due within it; callbacks in it) read that period, not the whole table.
// - PostgreSQL: `timeline_events` said the same thing twice, a primary key on the text id
//   `<ticket>/<version>` and an index on (ticket_id, version); (ticket_id, version) becomes the
//   primary key and the text-id index goes (a sixth of the table's size). Still unique, so two
//   consoles creating one ticket at once still collide. SQLite would need a table rebuild for it.
import { sql } from 'kysely'
import { OPEN_STATUSES } from '../../../shared/ticket'
import type { Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 17,
  name: 'megacity-indexes',
  async up(db, engine: Engine) {
    await sql`create index tickets_due_at_ix on tickets (due_at)`.execute(db)
    await sql`create index timeline_events_type_at_ix on timeline_events (type, at)`.execute(db)
    if (engine !== 'postgres') return

    await sql`alter table timeline_events drop constraint timeline_events_pkey`.execute(db)
    await sql`alter table timeline_events add constraint timeline_events_pk
      primary key (ticket_id, version)`.execute(db)
    await sql`drop index timeline_events_ticket_id_version_ix`.execute(db)

    const open = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')
    await sql`create table ticket_units (
      unit text not null,
      open boolean not null,
      updated_at text not null,
      ticket_id text not null,
      primary key (unit, open, updated_at, ticket_id))`.execute(db)
    await sql
      .raw(
        `create function ticket_units_sync() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'INSERT' then
            if tg_op = 'UPDATE' and new.units is not distinct from old.units
               and new.status is not distinct from old.status
               and new.updated_at is not distinct from old.updated_at then
              return null;
            end if;
            delete from ticket_units
              where unit = any(string_to_array(trim(both '|' from old.units), '|'))
                and open = (old.status in (${open})) and updated_at = old.updated_at
                and ticket_id = old.id;
          end if;
          if tg_op <> 'DELETE' and new.units <> '' then
            insert into ticket_units (unit, open, updated_at, ticket_id)
              select u, new.status in (${open}), new.updated_at, new.id
              from unnest(string_to_array(trim(both '|' from new.units), '|')) u
              on conflict do nothing;
          end if;
          return null;
        end $$`,
      )
      .execute(db)
    await sql`create trigger ticket_units_sync after insert or update or delete on tickets
      for each row execute function ticket_units_sync()`.execute(db)
    await sql
      .raw(
        `insert into ticket_units (unit, open, updated_at, ticket_id)
         select u, t.status in (${open}), t.updated_at, t.id
         from tickets t, unnest(string_to_array(trim(both '|' from t.units), '|')) u
         where t.units <> '' on conflict do nothing`,
      )
      .execute(db)
    // Statistics now, not at autovacuum's leisure: without them a unit's page is planned as a
    // sort of all its rows rather than the first rows of its index range.
    await sql`analyze ticket_units`.execute(db)
  },
}
