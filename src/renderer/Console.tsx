// The logged-in console: views and filter, the queue, the ticket pane and the layers over them
// (palette, help, dialogs). It implements the registry's `Controls` and reports its `Scope`; the
// one key handler (in App) reads both.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { IncomingCall, QueueFilter, Session, TicketDetail } from '../shared/api'
import { ALERT_VIEWS } from '../shared/alerts'
import type { Controls, Scope, UiAction } from './actions/registry'
import type { AlertsState } from './alerts/use-alerts'
import { CasesScreen } from './cases/CasesScreen'
import { CalendarBanner } from './shell/CalendarBanner'
import { NominateDialog } from './cases/NominateDialog'
import { useLang, useT } from './i18n'
import { DashboardScreen } from './dashboard/DashboardScreen'
import { IntakeScreen } from './intake/IntakeScreen'
import { ExportProgress } from './queue/ExportProgress'
import { FilterBar, ViewTabs } from './queue/QueueHeader'
import { QueueTable } from './queue/QueueTable'
import { parseFilter } from './queue/filter-parse'
import { useExport } from './queue/use-export'
import { useQueue } from './queue/use-queue'
import { CommandPalette } from './shell/CommandPalette'
import { HelpOverlay } from './shell/HelpOverlay'
import { RejectedOverlay } from './shell/RejectedOverlay'
import { SettingsOverlay, type Theme } from './settings/SettingsOverlay'
import { useApi, useConsoleEvents } from './state/api'
import type { Names } from './state/reference'
import { ActionDialog, type ActionDone } from './ticket/ActionDialog'
import { ticketActions, type Dialog } from './ticket/ticket-actions'
import { DispatchDialog } from './ticket/DispatchDialog'
import { NoteDialog } from './ticket/NoteDialog'
import { TicketPane } from './ticket/TicketPane'

export type Layer = Scope['layer']
export interface ConsoleProps {
  session: Session
  names: Names | null
  /** The App's own controls (language, theme, sync, logout) merged into the console's. */
  appControls: Pick<Controls, 'toggleLang' | 'toggleTheme' | 'syncNow' | 'logout'>
  /** Hands the key handler this screen's scope and controls. */
  register(scope: Scope, controls: Controls, run: (a: UiAction) => void): void
  rejectedOpen: boolean
  setRejectedOpen(open: boolean): void
  /** Recent alerts and the desktop's state, for the settings overlay (Ctrl+,). */
  alerts?: AlertsState
  /** The App's theme, shown (and switched) in the settings screen. */
  theme?: Theme
}

export function Console(props: ConsoleProps) {
  const { session, names } = props
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [filterText, setFilterTextState] = useState('')
  // A drill-down from the dashboard: exactly the tickets behind a figure, until typing or Esc.
  const [drill, setDrill] = useState<{ label: string; filter: QueueFilter } | null>(null)
  const setFilterText = (text: string) => {
    setDrill(null)
    setFilterTextState(text)
  }
  const [debounced, setDebounced] = useState('')
  const [layer, setLayer] = useState<Exclude<Layer, 'rejected'>>('none')
  // A dialog keeps the ticket it was opened on: the cursor may move under it (live updates), and
  // what the person is typing must stay with the ticket they meant.
  const [dialog, setDialog] = useState<Dialog | null>(null)
  // Intake is open with this call (null: opened by key, no number yet); undefined: closed.
  const [intake, setIntake] = useState<IncomingCall | null | undefined>(undefined)
  const [paneOpen, setPaneOpen] = useState(false)
  const [detail, setDetail] = useState<TicketDetail | null>(null)
  const [toast, setToast] = useState<{ text: string; error: boolean } | null>(null)
  const [now, setNow] = useState(Date.now())
  const filterInput = useRef<HTMLInputElement>(null)
  const tableBox = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const id = setTimeout(() => setDebounced(filterText), 150)
    return () => clearTimeout(id)
  }, [filterText])
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(id)
  }, [])

  const typed = useMemo(() => parseFilter(debounced, names), [debounced, names])
  const parsed = useMemo(() => {
    if (!drill) return typed
    const { view: _view, ...filter } = drill.filter
    return { filter, unknown: [] }
  }, [typed, drill])
  const role = session.user.role
  const canCreate = role === 'agent' || role === 'dispatcher' || role === 'supervisor'
  // Dispatchers start on what waits for dispatch, units on their inbox, agents on everything.
  const initialView =
    role === 'dispatcher' || role === 'supervisor' ? 'new' : role === 'unit' ? 'mine' : 'all'
  // A unit works by deadline: the one due first on top.
  const queue = useQueue(
    api,
    initialView,
    parsed.filter,
    role === 'unit' ? { column: 'dueAt', dir: 'asc' } : undefined,
  )
  const ticketId = queue.cursorRow?.id ?? null

  // The cursor's ticket in full: for the pane, and for which actions the keys may run.
  const loadDetail = useCallback(
    async (id: string | null) => {
      if (!id) return setDetail(null)
      const r = await api.call('ticket.get', { id })
      // Only the cursor's ticket: an answer for one the cursor has left since is dropped.
      if (r.ok && r.value.ticket.id === wanted.current) setDetail(r.value)
    },
    [api],
  )
  const wanted = useRef<string | null>(null)
  wanted.current = ticketId
  useEffect(() => {
    const timer = setTimeout(() => void loadDetail(ticketId), 60)
    return () => clearTimeout(timer)
  }, [ticketId, loadDetail])
  useConsoleEvents(api, (e) => {
    // The server refused something done here: say so at once, with its reason (Alt+R lists all).
    // A call is ringing (screen pop): intake opens with the number, over whatever was open.
    if (e.type === 'call.incoming' && canCreate) openIntake(e.payload)
    if (e.type === 'mutation.rejected')
      say(`${e.payload.ticketNumber ?? ''} ${t(e.payload.message)}`.trim(), true)
    if (
      e.type === 'tickets.changed' &&
      ticketId &&
      (e.payload.ids.length === 0 || e.payload.ids.includes(ticketId))
    )
      void loadDetail(ticketId)
  })
  const current = detail && detail.ticket.id === ticketId ? detail : null

  const say = useCallback((text: string, error = false) => {
    setToast({ text, error })
    setTimeout(() => setToast((x) => (x?.text === text ? null : x)), 4000)
  }, [])

  const exporter = useExport(api, lang, say)

  const focusQueue = () => tableBox.current?.focus()
  const closeDialog = () => {
    setDialog(null)
    setIntake(undefined)
    setLayer('none')
    focusQueue()
  }
  function openIntake(call: IncomingCall | null) {
    setDialog(null)
    setIntake(call)
    setLayer('intake')
  }

  const scope: Scope = {
    loggedIn: true,
    layer: props.rejectedOpen ? 'rejected' : layer,
    ticketId,
    ticketOpen: paneOpen,
    allowed: current ? current.allowed : null,
    canCreate,
    selection: queue.selected.size,
    drill: drill !== null,
    role,
    ticketStatus: queue.cursorRow?.status ?? null,
  }

  const openDialog = (d: Dialog) => {
    setDialog(d)
    setLayer('dialog')
  }
  const acts = ticketActions({
    api,
    t,
    lang,
    say,
    queue,
    ticketId,
    current,
    setDetail,
    openDialog,
  })
  const { withTicket, withTargets } = acts

  const controls: Controls = {
    ...props.appControls,
    openPalette: () => setLayer('palette'),
    openDashboard: () => {
      setDialog(null)
      setLayer('dashboard')
    },
    toggleHelp: () => setLayer((l) => (l === 'help' ? 'none' : 'help')),
    closeTop: () => {
      if (props.rejectedOpen) props.setRejectedOpen(false)
      else if (layer !== 'none') closeDialog()
      else if (paneOpen) setPaneOpen(false)
      else if (queue.selected.size > 0) queue.clearSelection()
      else if (drill) {
        setDrill(null)
        queue.setView(initialView)
      }
      focusQueue()
    },
    move: (d) => queue.setCursor(queue.cursor + d),
    // The last row as the queue knows it now (setCursor clamps to its live total), not as of
    // the render these controls came from.
    moveTo: (w) => queue.setCursor(w === 'first' ? 0 : Number.MAX_SAFE_INTEGER),
    openTicket: () => setPaneOpen(true),
    focusFilter: () => filterInput.current?.focus(),
    setView: (v) => queue.setView(v),
    openIntake: () => openIntake(null),
    openDispatch: () =>
      withTargets('ticket.dispatch', (targets) => openDialog({ kind: 'dispatch', targets })),
    openNote: () => withTicket('ticket.note', (d) => openDialog({ kind: 'note', detail: d })),
    openForm: acts.openForm,
    approve: acts.approve,
    refuse: acts.refuse,
    act: acts.act,
    toggleSelect: () => queue.toggleSelect(),
    selectRange: () => queue.selectRange(),
    reviewRejected: () => props.setRejectedOpen(true),
    openSettings: () => {
      if (layer === 'settings') return closeDialog()
      // The bell may be clicked over a form: what is typed there is not thrown away.
      if (layer === 'dialog' || layer === 'intake') return
      setDialog(null)
      setLayer('settings')
    },
    // A notification clicked: its ticket, found by number in 全部 and opened; a summary: the view.
    // A form or intake being filled in stays open (what is typed there matters more); the queue
    // behind it moves.
    openAlert: (a) => {
      if (layer !== 'dialog' && layer !== 'intake') closeDialog()
      if (a.ticketId && a.ticketNumber) {
        setFilterText(a.ticketNumber)
        queue.setView('all')
        setPaneOpen(true)
      } else {
        setFilterText('')
        queue.setView(role === 'unit' && a.kind === 'very_urgent' ? 'mine' : ALERT_VIEWS[a.kind])
      }
    },
    exportView: (format) => exporter.start(queue.filter, queue.sort, format),
    openCases: () => openDialog({ kind: 'cases' }),
    nominateCase: () => queue.cursorRow && openDialog({ kind: 'nominate', row: queue.cursorRow }),
  }
  const run = (a: UiAction) => {
    if (layer === 'palette') setLayer('none')
    a.run(controls, { ...scope, layer: 'none' })
  }
  props.register(scope, controls, run)

  const done = (text: string) => {
    closeDialog()
    say(text)
  }
  const formDone = (d: ActionDone, text: string) => {
    done(text)
    acts.afterForm(d)
  }

  return (
    <div className="console">
      <CalendarBanner names={names} role={role} now={now} />
      <ViewTabs
        view={queue.view}
        counts={queue.counts}
        onView={queue.setView}
        labels={role === 'unit' ? { mine: { zh: '本单位待办', en: 'Our inbox' } } : undefined}
      />
      <FilterBar
        ref={filterInput}
        value={filterText}
        unknown={parsed.unknown}
        drill={drill ? `${t('drillDown')}: ${drill.label}` : null}
        total={queue.total}
        onChange={setFilterText}
        onLeave={focusQueue}
      />
      <div className="work">
        <div className="queue-box" tabIndex={0} ref={tableBox} aria-label="queue">
          <QueueTable
            queue={queue}
            names={names}
            now={now}
            onOpen={(i) => (queue.setCursor(i), setPaneOpen(true))}
          />
        </div>
        {paneOpen && ticketId && <TicketPane detail={current} names={names} now={now} />}
      </div>
      {queue.error && <p className="error">{queue.error}</p>}
      {toast && (
        <div className={`toast ${toast.error ? 'error' : ''}`} role="alert">
          {toast.text}
        </div>
      )}
      {exporter.running && <ExportProgress run={exporter.running} />}
      {layer === 'palette' && <CommandPalette scope={scope} onRun={run} onClose={closeDialog} />}
      {layer === 'help' && <HelpOverlay />}
      {layer === 'settings' && props.alerts && (
        <SettingsOverlay
          role={role}
          alerts={props.alerts}
          theme={props.theme ?? 'light'}
          onClose={closeDialog}
          onOpenAlert={(a) => controls.openAlert?.(a)}
          toggleLang={props.appControls.toggleLang}
          toggleTheme={props.appControls.toggleTheme}
          logout={props.appControls.logout}
        />
      )}
      {layer === 'dashboard' && names && (
        <DashboardScreen
          names={names}
          onClose={closeDialog}
          onDrill={(label, filter) => {
            closeDialog()
            setFilterTextState('')
            setDebounced('')
            setDrill({ label, filter })
            queue.setView(filter.view ?? 'all')
          }}
        />
      )}
      {props.rejectedOpen && <RejectedOverlay onClose={() => props.setRejectedOpen(false)} />}
      {layer === 'dialog' && dialog?.kind === 'dispatch' && names && (
        <DispatchDialog
          targets={dialog.targets}
          names={names}
          onClose={closeDialog}
          onDone={(text) => {
            done(text)
            if (dialog.targets.length > 1) queue.clearSelection()
          }}
        />
      )}
      {layer === 'intake' && intake !== undefined && names && (
        <IntakeScreen
          call={intake}
          names={names}
          onClose={closeDialog}
          onDone={(text) => done(text)}
        />
      )}
      {layer === 'dialog' && dialog?.kind === 'form' && names && (
        <ActionDialog
          form={dialog.form}
          targets={dialog.targets}
          names={names}
          onClose={closeDialog}
          onDone={formDone}
        />
      )}
      {layer === 'dialog' && dialog?.kind === 'note' && (
        <NoteDialog detail={dialog.detail} onClose={closeDialog} onDone={done} />
      )}
      {layer === 'dialog' && dialog?.kind === 'cases' && (
        <CasesScreen
          canEdit={role === 'supervisor'}
          timeZone={names?.data.calendar.timeZone}
          onClose={closeDialog}
        />
      )}
      {layer === 'dialog' && dialog?.kind === 'nominate' && (
        <NominateDialog row={dialog.row} onClose={closeDialog} onDone={done} />
      )}
    </div>
  )
}
