// ConsoleApi: the one contract between the renderer and the console core (DESIGN.md §2).
// Method name → argument schema and result type, plus a typed event stream. Electron IPC and the
// web host only carry it; the core implements it. Adding a method is one entry in `apiArgs` and
// one in `ApiResults`, and one handler in the core.
import { z } from 'zod'
import type { DispatcherFigure, LevelFigure } from './kpi-levels'
import { ACTION_NAMES, categoryCode, districtCode, isoTime, unitCode } from './actions'
import type { ActionName } from './actions'
import type { Alert } from './alerts'
import {
  CASE_FORMATS,
  caseYearNumber,
  nominateCaseSchema,
  updateCaseSchema,
  type CaseView,
} from './cases'
import { bulletinArgsSchema, type Bulletin } from './bulletin'
import { dashboardArgsSchema, kpiEventFilterSchema, type Dashboard } from './dashboard'
import type { DeadlineState } from './deadline-state'
import type { KpiReport } from './kpi'
import {
  KB_PROPOSAL_STATUSES,
  KB_STATUSES,
  kbEntryInputSchema,
  kbProposeSchema,
  type KbEntry,
  type KbProposal,
  type KbStats,
  type KbVersion,
} from './knowledge'
import type { KbHit } from './knowledge-rank'
import type { ReferenceData } from './reference'
import { settingsPatchSchema, type Settings } from './settings'
import type { Localized } from './validation'
import {
  CHANNELS,
  KINDS,
  ROLES,
  STATUSES,
  URGENCIES,
  type Channel,
  type Kind,
  type Role,
  type Status,
  type Ticket,
  type TimelineEvent,
  type Urgency,
} from './ticket'

// --- Answers ---------------------------------------------------------------------------------

export interface ApiError {
  /** Machine-readable: `invalid_input`, `not_found`, `forbidden`, `not_logged_in`, a rule's code … */
  code: string
  /** In the console's language. */
  message: string
  /** Both languages, when known. */
  localized?: Localized
  /** The offending field, dotted (`ticket.caller.phone`). */
  field?: string
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError }

// --- Queue queries ---------------------------------------------------------------------------

export const DEADLINE_STATES = ['none', 'ok', 'at_risk', 'overdue'] as const

export const SORT_COLUMNS = [
  'number',
  'createdAt',
  'updatedAt',
  'dueAt',
  'signBy',
  'urgency',
  'category',
  'district',
  'unit',
  'status',
  'channel',
  'kind',
] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]

/** Saved views of the queue (DESIGN.md §3, issue 5): each is a filter the core knows. */
export const SAVED_VIEWS = [
  'new',
  'at_risk',
  'overdue',
  'returns',
  'extensions',
  'callbacks',
  'mine',
  'all',
  /** Unit staff (issue 16): tickets to pass down or handle at their level (待下派). */
  'down',
] as const
export type SavedView = (typeof SAVED_VIEWS)[number]

const many = <T extends z.ZodType>(t: T) => z.array(t).max(200).optional()

export const queueFilterSchema = z
  .object({
    view: z.enum(SAVED_VIEWS),
    status: many(z.enum(STATUSES)),
    unit: many(unitCode),
    /** Category codes; a branch code matches every category under it. */
    category: many(categoryCode),
    urgency: many(z.enum(URGENCIES)),
    channel: many(z.enum(CHANNELS)),
    kind: many(z.enum(KINDS)),
    district: many(districtCode),
    createdBy: z.string().max(100),
    deadline: many(z.enum(DEADLINE_STATES)),
    createdFrom: isoTime,
    createdTo: isoTime,
    /** Free text: number, phone, address, caller name, description (Chinese, any length ≥ 1). */
    text: z.string().trim().min(1).max(200),
    /** Dashboard drill-downs (src/shared/dashboard.ts): tickets with such a KPI event. */
    event: kpiEventFilterSchema,
    /** A company request (isCompanyRequest), or not. */
    company: z.boolean(),
    /** Answered on the call (first-call resolution: by state or by an `answered` event), or not. */
    answered: z.boolean(),
    /** A hotspot's place key (placeKey): `c:<community code>` or `a:<normalized address>`. */
    place: z.string().min(3).max(300),
    /** Unit not one of these (tickets without a unit included): "all other units". */
    unitNot: many(unitCode),
    /** Exactly these tickets: a unit or level figure's drill-down (kpi-units.ts' ticket lists). */
    ids: z.array(z.string().min(1).max(64)).max(5000).optional(),
    /**
     * 按时办结率's drill-down (应办结): dispatched tickets due in [from, to), not exempt, judged as
     * of `now` (replied, or past due by then); `onTime` picks those replied by their due or not.
     */
    due: z
      .object({ from: isoTime, to: isoTime, now: isoTime, onTime: z.boolean().optional() })
      .optional(),
  })
  .partial()
export type QueueFilter = z.input<typeof queueFilterSchema>

export const queueQuerySchema = z.object({
  filter: queueFilterSchema.default({}),
  sort: z
    .object({ column: z.enum(SORT_COLUMNS), dir: z.enum(['asc', 'desc']) })
    .default({ column: 'createdAt', dir: 'desc' }),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
})
export type QueueQuery = z.input<typeof queueQuerySchema>

/** One end of a range: a ticket, and where it was when last seen (used if it left the view). */
const rangeEnd = z.object({ id: z.uuid().nullable(), index: z.number().int().min(0) })
/** Shift+X: the rows from one ticket to another as the view stands now, read in one snapshot. */
export const queueRangeSchema = z.object({
  filter: queueFilterSchema.default({}),
  sort: queueQuerySchema.shape.sort,
  from: rangeEnd,
  to: rangeEnd,
})
/** The most rows one range selects (the rest is said, not silently dropped). */
export const RANGE_MAX = 10_000

export interface QueueRange {
  rows: TicketRow[]
  /** The range was longer than RANGE_MAX rows: only the first RANGE_MAX are here. */
  truncated: boolean
}

/** A ticket as a queue row: what the list shows, phone masked. */
export interface TicketRow {
  id: string
  /** The server's number, or a provisional `待编号-…` made locally until the first sync. */
  number: string
  provisional: boolean
  status: Status
  channel: Channel
  kind: Kind
  category: string
  urgency: Urgency
  unit: string | null
  district: string | null
  address: string
  /** `138****0001`. */
  callerPhoneMasked: string | null
  callerName: string | null
  summary: string
  createdAt: string
  updatedAt: string
  dispatchedAt: string | null
  signBy: string | null
  dueAt: string | null
  deadlineState: DeadlineState
  /**
   * Unit staff reached lower in the chain (issue 16): their own assignment's level and whether
   * they signed it — `dispatchedAt`, `signBy`, `dueAt` and `deadlineState` are then its own.
   */
  own?: { level: number; signed: boolean }
  /** Local changes not yet confirmed by the server. */
  pending: boolean
  version: number
}

export interface QueuePage {
  rows: TicketRow[]
  total: number
}

// --- Sync status and events ------------------------------------------------------------------

export type ConnectionState = 'online' | 'offline' | 'syncing'

export interface SyncStatus {
  state: ConnectionState
  /** Mutations in the outbox, not yet acknowledged by the server. */
  pending: number
  /** Mutations the server refused, kept for the person to review. */
  rejected: number
  lastSyncAt: string | null
  /**
   * First sync in progress: tickets loaded so far, the total and the open ones (which come
   * first), when known. `usable`: every open ticket is in — the console has its work.
   */
  snapshot: SnapshotProgress | null
  lastError: string | null
}

export interface SnapshotProgress {
  loaded: number
  total: number | null
  open: number | null
  usable: boolean
}

export interface RejectedMutation {
  id: number
  name: string
  ticketId: string | null
  ticketNumber: string | null
  code: string
  message: Localized
  at: string
}

export interface Session {
  user: { id: string; username: string; displayName: string; role: Role; unit: string | null }
  serverUrl: string
  clientId: string
}

export interface ConsoleEvents {
  /** Tickets whose visible rows changed (local action, pull, rebase). */
  'tickets.changed': { ids: string[] }
  'sync.status': SyncStatus
  /** The server refused a mutation: the person who acted must be told why. */
  'mutation.rejected': RejectedMutation
  /**
   * `ended`: the server ended the session (revoked, expired, the user deactivated or changed):
   * the console stops syncing and locks, keeping everything typed and unsent.
   */
  'session.changed': { session: Session | null; ended?: { username: string } }
  'reference.changed': { version: number }
  /** A call is ringing: intake opens with the number and the caller's history. */
  'call.incoming': IncomingCall
  /** Something the person should hear of now, as a desktop notification (src/core/alerts.ts). */
  alert: Alert
  /** An export is being written: rows done of its total (every ~2,000 rows, first and last). */
  'export.progress': { exportId: string; done: number; total: number }
  /** The knowledge base in the cache changed (a feed page applied): `count` entries held. */
  'kb.changed': { count: number }
}
export type ConsoleEventName = keyof ConsoleEvents
export type ConsoleEvent = {
  [K in ConsoleEventName]: { type: K; payload: ConsoleEvents[K] }
}[ConsoleEventName]

// --- Other answers ---------------------------------------------------------------------------

export interface TicketDetail {
  ticket: Ticket
  /** Provisional number shown until the server assigns one. */
  displayNumber: string
  events: TimelineEvent[]
  /** Actions the rules allow this user now, for the screens to offer. */
  allowed: ActionName[]
  deadlineState: DeadlineState
  /**
   * Unit staff reached lower in the chain (issue 16): their own link's level, deadlines and
   * clock — what the pane shows as their deadlines instead of the city's.
   */
  own?: {
    level: number
    signBy: string
    dueAt: string
    signedAt: string | null
    deadlineState: DeadlineState
  }
  pending: boolean
}

export interface DuplicateCandidate {
  row: TicketRow
  score: number
  /** Why it looks the same: `address`, `category`, `text`, `phone`. */
  reasons: string[]
}

export interface UnitSuggestion {
  code: string
  name: string
  /** `rule`: the routing rules; `history`: units that handled similar tickets before. */
  source: 'rule' | 'history'
  count?: number
}

export interface SearchResult {
  local: TicketRow[]
  /** From the server, for tickets this console does not hold; empty when offline. */
  remote: TicketRow[]
  remoteError: string | null
}

export interface Draft {
  key: string
  data: Record<string, unknown>
  savedAt: string
}

/** A telephony system says a call is ringing on this console's line (the screen pop). */
export interface IncomingCall {
  /** As the switch sends it, normalized (no spaces or dashes); null for a withheld number. */
  phone: string | null
  /** The switch's id of the call, when it sends one, so the same call pops once. */
  callId: string | null
  at: string
}

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** A finished export: the file in the console's `exports` folder, and how many tickets it holds. */
export interface ExportResult {
  exportId: string
  /** Absolute path, on the machine running the console core. */
  file: string
  /** The file's name in that folder (what the web host serves at `/exports/<name>`). */
  name: string
  rows: number
}

/** A unit's line in the period report: its KPIs, its backlog now, how often it was urged. */
export interface UnitScore {
  unit: string
  kpis: Omit<KpiReport, 'backlog'>
  open: number
  overdue: number
  /** `urged` / `supervised` events on its tickets in the period (automatic ones included). */
  urged: number
  supervised: number
}

export interface ActionOutcome {
  ticket: Ticket
  displayNumber: string
  mutationId: number
}

// --- Methods ---------------------------------------------------------------------------------

const id = z.uuid()
/** `intake`, `intake:<call id>`, `reply:<ticket id>` … */
const draftKey = z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/)

export const apiArgs = {
  'session.get': z.object({}),
  'session.login': z.object({
    username: z.string().trim().min(1).max(100),
    password: z.string().min(1).max(200),
  }),
  'session.logout': z.object({}),
  /** Every workflow action, creation included: applied at once, queued for the server. */
  'ticket.act': z.object({
    name: z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]),
    args: z.unknown(),
  }),
  'ticket.get': z.object({ id }),
  'queue.query': queueQuerySchema,
  'queue.counts': z.object({ views: z.array(z.enum(SAVED_VIEWS)).optional() }),
  'queue.range': queueRangeSchema,
  'caller.history': z.object({
    phone: z.string().trim().min(3).max(30),
    limit: z.number().int().min(1).max(200).default(20),
  }),
  'ticket.duplicates': z.object({
    excludeId: id.optional(),
    category: categoryCode.optional(),
    description: z.string().max(4000).default(''),
    address: z.string().max(200).default(''),
    district: districtCode.optional(),
    phone: z.string().max(30).optional(),
    limit: z.number().int().min(1).max(50).default(8),
  }),
  'units.suggest': z.object({
    category: categoryCode,
    district: districtCode.optional(),
    street: unitCode.optional(),
    limit: z.number().int().min(1).max(50).default(8),
  }),
  search: z.object({
    q: z.string().trim().min(1).max(200),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  'kpi.compute': z.object({ from: isoTime, to: isoTime }),
  /** The period report's unit ranking; for a unit, its own scorecard. */
  'report.units': z.object({ from: isoTime, to: isoTime }),
  /** Issue 16: figures per unit and level of the chain, and recalls per dispatcher. */
  /** Per level of the chain (issues 16, 17); `unit` and `district` narrow as the dashboard's do. */
  'report.levels': z.object({
    from: isoTime,
    to: isoTime,
    unit: z.array(unitCode).max(200).optional(),
    district: z.array(districtCode).max(200).optional(),
  }),
  'dashboard.compute': dashboardArgsSchema,
  /** 月度通报 (issue 17): the period's bulletin against last month and last year. */
  'kpi.bulletin': bulletinArgsSchema,
  /** The same bulletin as an XLSX file in `<data>/exports` (delivered as exports are). */
  'kpi.bulletinXlsx': bulletinArgsSchema.extend({
    title: z.string().trim().min(1).max(100),
    lang: z.enum(['zh', 'en']).default('zh'),
  }),
  /** The same bulletin as a Word-compatible DOCX file in `<data>/exports`. */
  'kpi.bulletinDocx': bulletinArgsSchema.extend({
    title: z.string().trim().min(1).max(100),
    lang: z.enum(['zh', 'en']).default('zh'),
  }),
  /** A queue view or drill-down (filter and sort as `queue.query`, the viewer's scope applied),
   *  every row, to CSV or XLSX in `<data>/exports`; `export.progress` events while it runs.
   *  `lang`: headers and names (the console's language when absent); `exportId`: the caller's
   *  own id for the progress events, made up when absent. */
  'export.start': z.object({
    filter: queueFilterSchema.default({}),
    sort: queueQuerySchema.shape.sort,
    format: z.enum(EXPORT_FORMATS),
    lang: z.enum(['zh', 'en']).optional(),
    exportId: id.optional(),
  }),
  'sync.status': z.object({}),
  'sync.rejected': z.object({}),
  'sync.dismissRejected': z.object({ id: z.number().int().positive() }),
  /** Pull now (a person pressed "sync" or the screen came back). */
  'sync.now': z.object({}),
  'reference.get': z.object({}),
  /** Drafts of what a person is typing (intake, a reply …), kept in the cache so that a crash or
   *  an accidental close loses nothing. Keyed per screen, per user. */
  'draft.get': z.object({ key: draftKey }),
  'draft.save': z.object({ key: draftKey, data: z.record(z.string(), z.unknown()) }),
  'draft.clear': z.object({ key: draftKey }),
  'draft.list': z.object({}),
  /** Exemplary cases (优秀案例): asked of the server, online only (src/core/cases.ts). */
  'cases.list': z.object({ year: caseYearNumber }),
  'cases.nominate': nominateCaseSchema,
  'cases.update': updateCaseSchema.extend({ id }),
  'cases.remove': z.object({ id }),
  /** The year's list as a file in `<data>/exports` (Markdown, HTML or XLSX). */
  'cases.export': z.object({ year: caseYearNumber, format: z.enum(CASE_FORMATS) }),
  /**
   * This user's settings (kept in the cache, per user) and the console's (server address, data
   * folder); `set` merges a part and answers all. Logged out, only the server address may be set.
   */
  'settings.get': z.object({}),
  'settings.set': settingsPatchSchema,
  /**
   * Log out and delete everything cached here (tickets, drafts, settings, the session). Refused
   * with `unsent_changes` while the outbox holds changes, unless `force`.
   */
  'console.wipe': z.object({ force: z.boolean().optional() }),
  /**
   * The knowledge base (知识库): search and read from the cache (offline too); `kb.get` with a
   * `query` records that a search led to this entry (the measures). Editing asks the server.
   */
  'kb.search': z.object({
    q: z.string().max(200),
    limit: z.number().int().min(1).max(100).default(20),
    category: categoryCode.optional(),
  }),
  'kb.suggest': z.object({
    description: z.string().max(4000),
    category: categoryCode.optional(),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  'kb.get': z.object({ id, query: z.string().max(200).optional() }),
  'kb.status': z.object({}),
  /** The measures over a period (default: the last 30 days), from this console's cache. */
  'kb.stats': z.object({ from: isoTime.optional(), to: isoTime.optional() }),
  'kb.list': z.object({ status: z.enum(KB_STATUSES).optional(), unit: unitCode.optional() }),
  'kb.history': z.object({ id }),
  'kb.save': z.object({
    id: id.optional(),
    baseVersion: z.number().int().min(1).optional(),
    entry: kbEntryInputSchema,
    publish: z.boolean().optional(),
  }),
  'kb.publish': z.object({ id, baseVersion: z.number().int().min(1) }),
  'kb.retire': z.object({
    id,
    baseVersion: z.number().int().min(1),
    reason: z.string().trim().min(1).max(500),
  }),
  'kb.propose': kbProposeSchema,
  'kb.proposals': z.object({ status: z.enum(KB_PROPOSAL_STATUSES).optional() }),
  'kb.decide': z.object({
    id,
    approve: z.boolean(),
    reason: z.string().trim().max(500).optional(),
  }),
} as const

export interface ApiResults {
  'session.get': Session | null
  'session.login': Session
  'session.logout': null
  'ticket.act': ActionOutcome
  'ticket.get': TicketDetail
  'queue.query': QueuePage
  'queue.counts': Record<SavedView, number>
  'queue.range': QueueRange
  'caller.history': TicketRow[]
  'ticket.duplicates': DuplicateCandidate[]
  'units.suggest': UnitSuggestion[]
  search: SearchResult
  'kpi.compute': KpiReport
  'report.units': UnitScore[]
  'report.levels': { levels: LevelFigure[]; dispatchers: DispatcherFigure[] }
  'dashboard.compute': Dashboard
  'kpi.bulletin': Bulletin
  'kpi.bulletinXlsx': ExportResult
  'kpi.bulletinDocx': ExportResult
  'export.start': ExportResult
  'sync.status': SyncStatus
  'sync.rejected': RejectedMutation[]
  'sync.dismissRejected': null
  'sync.now': SyncStatus
  'reference.get': ReferenceData & { version: number }
  'draft.get': Draft | null
  'draft.save': Draft
  'draft.clear': null
  'draft.list': Draft[]
  'cases.list': CaseView[]
  'cases.nominate': CaseView
  'cases.update': CaseView
  'cases.remove': null
  /** `rows`: the cases in the file. */
  'cases.export': ExportResult
  'settings.get': Settings
  'settings.set': Settings
  'console.wipe': null
  'kb.search': KbHit[]
  'kb.suggest': KbHit[]
  'kb.get': KbEntryView
  'kb.status': { count: number; cursor: number }
  'kb.stats': KbStats
  'kb.list': KbEntry[]
  'kb.history': { entry: KbEntry; versions: KbVersion[] }
  'kb.save': KbEntry
  'kb.publish': KbEntry
  'kb.retire': KbEntry
  'kb.propose': KbProposal
  'kb.proposals': KbProposal[]
  'kb.decide': KbProposal
}

/** An entry as the console shows it: whether it may be answered from now, and why not. */
export interface KbEntryView {
  entry: KbEntry
  answerable: boolean
  refusal: Localized | null
  pastReview: boolean
}

export type ApiMethod = keyof typeof apiArgs
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiArgs)[M]>
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiArgs)[M]>
export const API_METHODS = Object.keys(apiArgs) as ApiMethod[]

/** What a transport exposes to the renderer: one call, one subscription. */
export interface ConsoleApi {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<ApiResults[M]>>
  subscribe(listener: (event: ConsoleEvent) => void): () => void
}

/** The core's side: handlers get parsed args and return the value or throw an `ApiFailure`. */
export type ApiHandlers = {
  [M in ApiMethod]: (args: ApiParsedArgs<M>) => Promise<ApiResults[M]> | ApiResults[M]
}

/** Thrown by handlers to answer `{ok: false, error}`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    readonly localized: Localized,
    readonly field?: string,
  ) {
    super(localized.en)
  }
}

// The mask and the rule of who may see a full number live together (phone-access.ts).
export { maskPhone } from './phone-access'

/** Shown until the server numbers a ticket made on this console. */
export const provisionalNumber = (ticketId: string): string =>
  `待编号-${ticketId.replace(/-/g, '').slice(-6).toUpperCase()}`

/** Roles that may be written in a session; re-exported for transports validating it. */
export const roleSchema = z.enum(ROLES)
