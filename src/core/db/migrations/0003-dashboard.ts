// The dashboard's data (issue 6), kept current by triggers so that a year of a million tickets
// sums in milliseconds:
// - `tickets` gains what the KPIs group by: the hotspot key, company request, answered on the
//   call (computed by the shared definitions in columns.ts), and covering indexes.
// - `kpi_facts`: one row per timeline event a KPI counts (KPI_EVENT_TYPES), with what the figures
//   need decoded from its JSON and the ticket's unit, district, creation, company flag and due
//   time copied in (kept current when the ticket changes; `rid` NULL while no ticket is visible,
//   and then it counts nowhere, as computeKpis ignores such events). `multi`: the ticket has more
//   than one fact of the kind, so distinct tickets = facts with multi 0 + distinct ones among
//   the few with multi 1.
// - `kpi_days`, `kpi_received`, `kpi_categories`: the facts, the tickets, and the tickets by
//   category summed per day (UTC+8 days: a
//   period aligned to them is read from the sums; anything else from the rows, exactly).
// Migrating a filled cache fills all of it from the rows and events already there, in place.
import type Database from 'better-sqlite3'
import { KPI_EVENT_TYPES } from '../../../shared/kpi-period'
import { OPEN_STATUSES, type Ticket } from '../../../shared/ticket'
import { dashboardColumns, statusCode } from '../columns'
import type { Migration } from './types'

export const ROLLUP_DAY_MS = 86_400_000
/** The sums' days run from 00:00 at UTC+8 (China Standard Time, the product's home zone). */
export const ROLLUP_OFFSET_MS = 8 * 3_600_000
const day = (ms: string) => `((${ms} + ${ROLLUP_OFFSET_MS}) / ${ROLLUP_DAY_MS})`

/** Fact kinds: the index of each entry of KPI_EVENT_TYPES (completed 0, called_back 1 …). */
export const FACT_KIND = Object.fromEntries(Object.keys(KPI_EVENT_TYPES).map((k, i) => [k, i])) as {
  [K in keyof typeof KPI_EVENT_TYPES]: number
}
const DONE = FACT_KIND.completed
const kindOf = (type: string) =>
  `CASE ${type} ${Object.values(KPI_EVENT_TYPES)
    .flatMap((types, i) => types.map((t) => `WHEN '${t}' THEN ${i}`))
    .join(' ')} END`
/** Satisfaction as stored: its index in SATISFACTIONS; anything else is unrated (NULL). */
const satOf = (v: string) =>
  `CASE ${v} WHEN 'satisfied' THEN 0 WHEN 'basically_satisfied' THEN 1 WHEN 'unsatisfied' THEN 2 END`
const msOf = (iso: string) => `CAST(round(unixepoch(${iso}, 'subsec') * 1000) AS INTEGER)`

/**
 * A fact decoded from an event row `e` (with `e.data` its JSON) and its ticket `t`: the due time
 * of a completion is the one the event carried (a string, or null for none), else the ticket's
 * (dueAsOf in kpi-period.ts); an unparsable one counts as none, i.e. on time.
 */
const FACT_COLUMNS = `kind, at, ticket_id, version, answered_evt, carried, due, sat, anchor_at,
  rid, unit, district, created, company, answered`
/** The anchor kind each paired kind counts against: returns against dispatches, redos … */
const ANCHOR: Array<[number, number]> = [
  [FACT_KIND.returned, FACT_KIND.dispatched],
  [FACT_KIND.reopened, FACT_KIND.completed],
]
/**
 * `anchor_at` of a return (redo): the time of the ticket's latest dispatch (completion) at or
 * before it — in a span iff the return pairs with a dispatch in the span (kpi-period.ts).
 */
const anchorAt = (x: string, later: string) =>
  `CASE ${later} ${ANCHOR.map(
    ([l, anchor]) => `WHEN ${l} THEN (SELECT max(a.at) FROM kpi_facts a
      WHERE a.ticket_id = ${x}.ticket_id AND a.kind = ${anchor} AND a.at <= ${x}.at)`,
  ).join(' ')} END`
/** The facts of `source`: rows with `at, ticket_id, version, data` (an event row, or `new`). */
const factSelect = (source: string, anchor: string) => `SELECT x.kind, x.at, x.ticket_id, x.version,
    x.type = 'answered', x.kind <> ${DONE} OR x.jt IN ('text', 'null'),
    CASE WHEN x.kind <> ${DONE} OR x.jt = 'null' THEN NULL
      WHEN x.jt = 'text' THEN ${msOf(`json_extract(x.data, '$.data.dueAt')`)} ELSE t.due_at END,
    CASE WHEN x.kind = ${FACT_KIND.called_back} THEN ${satOf(`json_extract(x.data, '$.data.satisfaction')`)} END,
    ${anchor}, t.rid, t.unit, t.district, t.created_at, t.company, t.answered
  FROM (SELECT e.at, e.ticket_id, e.version, e.data,
      ${kindOf(`json_extract(e.data, '$.type')`)} AS kind, json_extract(e.data, '$.type') AS type,
      json_type(e.data, '$.data.dueAt') AS jt FROM ${source}) x
  LEFT JOIN tickets t ON t.id = x.ticket_id WHERE x.kind IS NOT NULL`
const NEW_EVENT = `(SELECT new.at AS at, new.ticket_id AS ticket_id, new.version AS version,
  new.data AS data) e`

/** A fact's share of `kpi_days`, times `sign`; `f` is the fact row (`new`, `old` or an alias). */
export const ON_TIME = (f: string) =>
  `(${f}.kind = ${DONE} AND (${f}.due IS NULL OR ${f}.at <= ${f}.due))`
export const DAY_SUMS = [
  'n',
  'n1',
  'ok',
  'ok1',
  'ms',
  's0',
  's1',
  's2',
  's0_1',
  's1_1',
  's2_1',
] as const
export const shares = (f: string): string[] => [
  '1',
  `${f}.multi = 0`,
  ON_TIME(f),
  `${ON_TIME(f)} AND ${f}.multi = 0`,
  `CASE WHEN ${f}.kind = ${DONE} THEN ${f}.at - ${f}.created ELSE 0 END`,
  ...[0, 1, 2].map((s) => `coalesce(${f}.sat = ${s}, 0)`),
  ...[0, 1, 2].map((s) => `coalesce(${f}.sat = ${s} AND ${f}.multi = 0, 0)`),
]
const addToDays = (f: string, sign: 1 | -1) => `
  INSERT INTO kpi_days (day, kind, district, company, ${DAY_SUMS.join(', ')})
  SELECT ${day(`${f}.at`)}, ${f}.kind, coalesce(${f}.district, ''), ${f}.company,
    ${shares(f)
      .map((s) => `${sign} * (${s})`)
      .join(', ')}
  WHERE ${f}.rid IS NOT NULL
  ON CONFLICT (day, kind, district, company) DO UPDATE SET
    ${DAY_SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')};`
const addToReceived = (t: string, sign: 1 | -1) => `
  INSERT INTO kpi_received (day, district, n, answered)
  VALUES (${day(`${t}.created_at`)}, coalesce(${t}.district, ''), ${sign}, ${sign} * ${t}.answered)
  ON CONFLICT (day, district) DO UPDATE SET
    n = n + excluded.n, answered = answered + excluded.answered;
  INSERT INTO kpi_categories (category, day, district, n)
  VALUES (${t}.category, ${day(`${t}.created_at`)}, coalesce(${t}.district, ''), ${sign})
  ON CONFLICT (category, day, district) DO UPDATE SET n = n + excluded.n;`
const copyTicket = `rid = new.rid, unit = new.unit, district = new.district,
  created = new.created_at, company = new.company, answered = new.answered,
  due = CASE WHEN carried THEN due ELSE new.due_at END`
const ticketChanged = `rid IS NOT new.rid OR unit IS NOT new.unit OR district IS NOT new.district
  OR created IS NOT new.created_at OR company IS NOT new.company OR answered IS NOT new.answered
  OR (carried = 0 AND due IS NOT new.due_at)`
// In these updates `+kind` keeps the planner on the ticket's index: left to itself, without
// statistics, it walks every fact of the kind by the primary key (and triggers cannot say
// INDEXED BY).
/** A dispatch (completion) came or went: the ticket's returns (redos) look again. */
const setAnchors = (f: string) =>
  ANCHOR.map(
    ([later, anchor]) => `
  UPDATE kpi_facts SET anchor_at = ${anchorAt('kpi_facts', String(later))}
  WHERE ${f}.kind = ${anchor} AND ticket_id = ${f}.ticket_id AND +kind = ${later};`,
  ).join('')
const setMulti = (f: string, to: 0 | 1) => `
  UPDATE kpi_facts SET multi = ${to}
  WHERE ticket_id = ${f}.ticket_id AND +kind = ${f}.kind AND multi = ${1 - to}
    AND (SELECT count(*) FROM kpi_facts WHERE ticket_id = ${f}.ticket_id AND kind = ${f}.kind)
      ${to ? '> 1' : '= 1'};`

/** As literals, so that queries naming the same list can use the partial index. */
export const OPEN_CODES = OPEN_STATUSES.map(statusCode).join(', ')

const TABLES = `
  ALTER TABLE tickets ADD COLUMN place TEXT;
  ALTER TABLE tickets ADD COLUMN company INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE tickets ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX tickets_place ON tickets (place, district) WHERE place IS NOT NULL;
  CREATE INDEX tickets_category_district ON tickets (category, district);
  CREATE INDEX tickets_created ON tickets (created_at, district, unit, category, place);
  CREATE INDEX tickets_open ON tickets (status, unit, district, category, created_at, dl_over, dl_risk)
    WHERE status IN (${OPEN_CODES});

  CREATE TABLE kpi_facts (
    kind INTEGER NOT NULL,
    at INTEGER NOT NULL,
    ticket_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    answered_evt INTEGER NOT NULL,
    carried INTEGER NOT NULL,
    due INTEGER,
    sat INTEGER,
    anchor_at INTEGER,
    multi INTEGER NOT NULL DEFAULT 0,
    rid INTEGER,
    unit TEXT,
    district TEXT,
    created INTEGER,
    company INTEGER,
    answered INTEGER,
    PRIMARY KEY (kind, at, ticket_id, version)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX kpi_facts_ticket ON kpi_facts (ticket_id, kind, at);
  CREATE INDEX kpi_facts_unit ON kpi_facts (unit, kind, at);
  CREATE INDEX kpi_facts_multi ON kpi_facts
    (kind, ticket_id, at, due, sat, company, rid, unit, district) WHERE multi = 1;
  CREATE INDEX kpi_facts_answered ON kpi_facts (created)
    WHERE kind = ${DONE} AND answered_evt = 1 AND answered = 0;

  CREATE TABLE kpi_days (
    day INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    district TEXT NOT NULL,
    company INTEGER NOT NULL,
    ${DAY_SUMS.map((c) => `${c} INTEGER NOT NULL`).join(',\n    ')},
    PRIMARY KEY (day, kind, district, company)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE kpi_categories (
    category TEXT NOT NULL,
    day INTEGER NOT NULL,
    district TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (category, day, district)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE kpi_received (
    day INTEGER NOT NULL,
    district TEXT NOT NULL,
    n INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    PRIMARY KEY (day, district)
  ) STRICT, WITHOUT ROWID;`

const TRIGGERS = `
  CREATE TRIGGER kpi_events_ai AFTER INSERT ON events BEGIN
    DELETE FROM kpi_facts WHERE ticket_id = new.ticket_id AND version = new.version;
    INSERT INTO kpi_facts (${FACT_COLUMNS}) ${factSelect(NEW_EVENT, anchorAt('x', 'x.kind'))};
  END;
  CREATE TRIGGER kpi_events_ad AFTER DELETE ON events BEGIN
    DELETE FROM kpi_facts WHERE ticket_id = old.ticket_id AND version = old.version;
  END;
  CREATE TRIGGER kpi_facts_ai AFTER INSERT ON kpi_facts BEGIN
    ${addToDays('new', 1)}
    ${setMulti('new', 1)}
    ${setAnchors('new')}
  END;
  CREATE TRIGGER kpi_facts_ad AFTER DELETE ON kpi_facts BEGIN
    ${addToDays('old', -1)}
    ${setMulti('old', 0)}
    ${setAnchors('old')}
  END;
  CREATE TRIGGER kpi_facts_au AFTER UPDATE OF multi, due, rid, district, created, company
  ON kpi_facts BEGIN
    ${addToDays('old', -1)}
    ${addToDays('new', 1)}
  END;
  CREATE TRIGGER kpi_tickets_ai AFTER INSERT ON tickets BEGIN
    UPDATE kpi_facts SET ${copyTicket} WHERE ticket_id = new.id;
    ${addToReceived('new', 1)}
  END;
  CREATE TRIGGER kpi_tickets_ad AFTER DELETE ON tickets BEGIN
    UPDATE kpi_facts SET rid = NULL WHERE ticket_id = old.id;
    ${addToReceived('old', -1)}
  END;
  CREATE TRIGGER kpi_tickets_au AFTER UPDATE OF unit, district, created_at, company, answered, due_at
  ON tickets WHEN old.unit IS NOT new.unit OR old.district IS NOT new.district
    OR old.created_at IS NOT new.created_at OR old.company IS NOT new.company
    OR old.answered IS NOT new.answered OR old.due_at IS NOT new.due_at BEGIN
    UPDATE kpi_facts SET ${copyTicket} WHERE ticket_id = new.id AND (${ticketChanged});
  END;
  CREATE TRIGGER kpi_received_au AFTER UPDATE OF district, created_at, answered, category
  ON tickets WHEN old.district IS NOT new.district OR old.created_at IS NOT new.created_at
    OR old.answered IS NOT new.answered OR old.category IS NOT new.category BEGIN
    ${addToReceived('old', -1)}
    ${addToReceived('new', 1)}
  END;`

/**
 * Refill the facts and both sums from `events` and `tickets` in a few set-wise statements, with
 * the triggers set aside meanwhile (inside the caller's transaction). For a filled cache when
 * this migration runs, and after LocalStore.bulkLoad (which writes tickets with triggers off).
 */
export function rebuildKpiTables(db: Database.Database): void {
  const triggers = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kpi\\_%' ESCAPE '\\'`,
    )
    .all() as Array<{ name: string; sql: string }>
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`)
  // The facts' own indexes are set aside too and built once the facts are in, written in key
  // order: a first sync's quarter of a million facts went into four indexes at random places.
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kpi_facts'
       AND sql IS NOT NULL`,
    )
    .all() as Array<{ name: string; sql: string }>
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`)
  db.exec(`
    DELETE FROM kpi_facts;
    DELETE FROM kpi_days;
    DELETE FROM kpi_received;
    DELETE FROM kpi_categories;
    INSERT OR REPLACE INTO kpi_facts (${FACT_COLUMNS})
      ${factSelect('events e', 'NULL')} ORDER BY 1, 2, 3, 4;`)
  for (const i of indexes) db.exec(i.sql)
  db.exec(`
    UPDATE kpi_facts SET multi = 1 WHERE (ticket_id, kind) IN (
      SELECT ticket_id, kind FROM kpi_facts GROUP BY ticket_id, kind HAVING count(*) > 1);
    UPDATE kpi_facts SET anchor_at = ${anchorAt('kpi_facts', 'kind')}
      WHERE kind IN (${ANCHOR.map(([later]) => later).join(', ')});
    INSERT INTO kpi_days (day, kind, district, company, ${DAY_SUMS.join(', ')})
      SELECT ${day('f.at')}, f.kind, coalesce(f.district, ''), f.company,
        ${shares('f')
          .map((s) => `sum(${s})`)
          .join(', ')}
      FROM kpi_facts f WHERE f.rid IS NOT NULL GROUP BY 1, 2, 3, 4;
    INSERT INTO kpi_received (day, district, n, answered)
      SELECT ${day('created_at')}, coalesce(district, ''), count(*), sum(answered)
      FROM tickets GROUP BY 1, 2;
    INSERT INTO kpi_categories (category, day, district, n)
      SELECT category, ${day('created_at')}, coalesce(district, ''), count(*)
      FROM tickets GROUP BY 1, 2, 3;
  `)
  for (const t of triggers) db.exec(t.sql)
}

/** The new ticket columns of rows already there, from their JSON through the shared rules. */
function fillTicketColumns(db: Database.Database): void {
  const page = db.prepare(
    `SELECT t.rid, coalesce(t.local, s.data) AS data FROM tickets t
     LEFT JOIN server_tickets s ON s.id = t.id WHERE t.rid > ? ORDER BY t.rid LIMIT 5000`,
  )
  const set = db.prepare('UPDATE tickets SET place = ?, company = ?, answered = ? WHERE rid = ?')
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const rows = page.all(after) as Array<{ rid: number; data: string | null }>
    if (rows.length === 0) return
    for (const r of rows) {
      if (r.data == null) continue
      const c = dashboardColumns(JSON.parse(r.data) as Ticket)
      if (c.place != null || c.company || c.answered) set.run(c.place, c.company, c.answered, r.rid)
    }
    after = rows.at(-1)!.rid
  }
}

export const m0003: Migration = {
  version: 3,
  name: 'dashboard',
  kind: 'cache',
  up(db) {
    db.exec(TABLES)
    fillTicketColumns(db)
    db.exec(TRIGGERS)
    rebuildKpiTables(db)
  },
}
