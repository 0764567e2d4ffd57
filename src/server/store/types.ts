// Row types of the server's tables, for Kysely. Column meanings are in the migrations.
import type { Generated } from 'kysely'

export interface UsersTable {
  id: string
  username: string
  display_name: string
  role: string
  unit: string | null
  password_hash: string
  active: number
  created_at: string
  updated_at: string
}

export interface SessionsTable {
  token_hash: string
  user_id: string
  created_at: string
  expires_at: string
  revoked_at: string | null
}

export interface ReferenceDataTable {
  version: number
  data: string
  created_at: string
  created_by: string | null
}

export interface Open311KeysTable {
  key_hash: string
  name: string
  created_at: string
  revoked_at: string | null
}

export interface CountersTable {
  name: string
  value: number
}

export interface TicketsTable {
  id: string
  number: string | null
  channel: string
  kind: string
  category: string
  urgency: string
  status: string
  unit: string | null
  units: string
  caller_phone: string | null
  caller_name: string | null
  address: string
  district: string | null
  description: string
  sign_by: string | null
  due_at: string | null
  completed_at: string | null
  needs_review: number
  created_at: string
  updated_at: string
  version: number
  seq: number
  data: string
}

export interface TicketAssignmentsTable {
  ticket_id: string
  id: string
  level: number
  role: string
  unit: string
  parent_unit: string | null
  state: string
  by_user: string
  by_unit: string | null
  at: string
  sign_by: string
  signed_at: string | null
  due_at: string
  ended_at: string | null
  on_time: number | null
  missed_part: number
  superseded: number
}

export interface TimelineEventsTable {
  id: string
  ticket_id: string
  version: number
  type: string
  at: string
  seq: number
  data: string
}

export interface ChangeLogTable {
  seq: number
  kind: 'ticket' | 'result' | 'reference' | 'kb'
  ticket_id: string | null
  client_id: string | null
  audience: string | null
  xid: number | null
  at: string
}

export interface ClientsTable {
  client_id: string
  user_id: string
  last_mutation_id: number
  last_seq: number | null
  updated_at: string
}

export interface MutationResultsTable {
  client_id: string
  mutation_id: number
  key: string | null
  name: string
  status: string
  code: string | null
  message: string | null
  seq: number
  at: string
}

export interface TicketNumbersTable {
  day: string
  last: number
}

export interface TicketSearchTable {
  sid: Generated<number>
  ticket_id: string
  body: string
}

export interface SchemaMigrationsTable {
  version: Generated<number>
  name: string
  applied_at: string
}

export interface JobRunsTable {
  job: string
  day: string
  owner: string
  started_at: string
  heartbeat_at: string
  finished_at: string | null
  result: string | null
}

export interface JobItemsTable {
  job: string
  day: string
  item: string
  at: string
}

export interface CasesTable {
  id: string
  ticket_id: string
  year: number
  title: string
  write_up: string
  rank: number | null
  nominated_by: string
  nominated_at: string
  updated_at: string
}

export interface AdminAuditTable {
  id: string
  at: string
  actor_id: string
  actor_name: string
  action: string
  target: string | null
  status: number
  details: string
}

export interface DB {
  users: UsersTable
  sessions: SessionsTable
  reference_data: ReferenceDataTable
  open311_keys: Open311KeysTable
  counters: CountersTable
  tickets: TicketsTable
  ticket_assignments: TicketAssignmentsTable
  timeline_events: TimelineEventsTable
  change_log: ChangeLogTable
  clients: ClientsTable
  mutation_results: MutationResultsTable
  ticket_numbers: TicketNumbersTable
  ticket_search: TicketSearchTable
  schema_migrations: SchemaMigrationsTable
  job_runs: JobRunsTable
  job_items: JobItemsTable
  cases: CasesTable
  admin_audit: AdminAuditTable
  kb_entries: KbEntriesTable
  kb_versions: KbVersionsTable
  kb_proposals: KbProposalsTable
}

export interface KbEntriesTable {
  id: string
  status: string
  unit: string
  title: string
  version: number
  review_by: string | null
  updated_at: string
  seq: number
  data: string
}

export interface KbVersionsTable {
  entry_id: string
  version: number
  action: string
  at: string
  by: string | null
  note: string | null
  changed: string
  data: string
}

export interface KbProposalsTable {
  id: string
  entry_id: string | null
  base_version: number | null
  unit: string
  status: string
  note: string | null
  by: string
  at: string
  decided_by: string | null
  decided_at: string | null
  reason: string | null
  data: string
}
