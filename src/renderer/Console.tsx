// The logged-in console: views and filter, the queue, the ticket pane and the layers over them
// (palette, help, dialogs). It implements the registry's `Controls` and reports its `Scope`; the
// one key handler (in App) reads both — the scope as it is when a key is judged: layer, pane,
// drill-down and the cursor's ticket are refs set with the change, not the last render's values.
// Opening a layer is a transition: keys typed meanwhile wait until it is ready (has focused its
// first field) and then land there.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { IncomingCall, Session, TicketDetail } from '../shared/api'
import { ALERT_VIEWS } from '../shared/alerts'
import { consoleLabel } from '../shared/ids'
import type { Controls, Scope, UiAction } from './actions/registry'
import type { AlertsState } from './alerts/use-alerts'
import { CalendarBanner } from './shell/CalendarBanner'
import { colon, useLang, useT } from './i18n'
import { DashboardScreen } from './dashboard/DashboardScreen'
import { IntakeScreen } from './intake/IntakeScreen'
import { SavedNumber } from './intake/SavedNumber'
import { WORDS } from './intake/words'
import { ExportProgress } from './queue/ExportProgress'
import { FilterBar, ViewTabs } from './queue/QueueHeader'
import { QueueTable } from './queue/QueueTable'
import { useFilter } from './queue/use-filter'
import { useExport } from './queue/use-export'
import { useQueue } from './queue/use-queue'
import { CommandPalette } from './shell/CommandPalette'
import { HelpOverlay } from './shell/HelpOverlay'
import { RejectedOverlay } from './shell/RejectedOverlay'
import { useToast } from './shell/use-toast'
import { SettingsOverlay, type Theme } from './settings/SettingsOverlay'
import { useApi, useConsoleEvents } from './state/api'
import { LayersContext, useTypeAhead, type WaitReason } from './input/type-ahead'
import { useLive } from './input/use-live'
import type { KeyTarget } from './input/use-key-input'
import type { Names } from './state/reference'
import type { ActionDone } from './ticket/ActionDialog'
import { TicketDialogs } from './ticket/TicketDialogs'
import { ticketActions, type Dialog } from './ticket/ticket-actions'
import { TicketPane } from './ticket/TicketPane'
import { kbDraftOf } from './knowledge/from-ticket'
import { KW } from './knowledge/words'

export type Layer = Scope['layer']
export interface ConsoleProps {
  session: Session
  names: Names | null
  /** The App's own controls (language, theme, sync, logout) merged into the console's. */
  appControls: Pick<Controls, 'toggleLang' | 'toggleTheme' | 'syncNow' | 'logout'>
  /** Hands the key handler this screen's live scope and controls. */
  register(target: KeyTarget & { controls: Controls }): void
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
  const typeAhead = useTypeAhead()
  const t = useT()
  const lang = useLang()
  const filter = useFilter(names)
  const { drill, drillRef, parsed } = filter
  const setFilterText = filter.setText
  const [layer, setLayer, layerRef] = useLive<Exclude<Layer, 'rejected'>>('none')
  // A dialog keeps the ticket it was opened on: the cursor may move under it (live updates), and
  // what the person is typing must stay with the ticket they meant.
  const [dialog, setDialog] = useState<Dialog | null>(null)
  // Intake is open with this call (null: opened by key, no number yet); undefined: closed.
  const [intake, setIntake] = useState<IncomingCall | null | undefined>(undefined)
  // The ticket intake saved last: its number stays in view until the next call is logged.
  const [saved, setSaved] = useState<{ id: string; message: string } | null>(null)
  const [paneOpen, setPaneOpen, paneRef] = useLive(false)
  const [detail, setDetail, detailRef] = useLive<TicketDetail | null>(null)
  const rejectedRef = useRef(props.rejectedOpen)
  rejectedRef.current = props.rejectedOpen
  const { say, view: toastView } = useToast()
  const [now, setNow] = useState(Date.now())
  const filterInput = useRef<HTMLInputElement>(null)
  const tableBox = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(id)
  }, [])

  const role = session.user.role
  const seatLabel = useMemo(() => consoleLabel(session.clientId), [session.clientId])
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
  /** The cursor's ticket as the next key will find it (not as of the last render). */
  const liveTicketId = () => queue.live().row?.id ?? null
  const liveDetail = () => {
    const d = detailRef.current
    return d && d.ticket.id === liveTicketId() ? d : null
  }

  // The cursor's ticket in full: for the pane, and for which actions the keys may run.
  const loadDetail = useCallback(
    async (id: string | null) => {
      if (!id) return setDetail(null)
      const r = await api.call('ticket.get', { id })
      // Only the cursor's ticket: an answer for one the cursor has left since is dropped.
      if (r.ok && r.value.ticket.id === liveTicketId()) setDetail(r.value)
    },
    // liveTicketId reads the queue's refs.
    [api, setDetail],
  )
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

  const exporter = useExport(api, lang, say)

  // A layer opening: keys typed from now wait until it says it is ready (use-dialog.ts).
  const opening = useRef<(() => void) | null>(null)
  const beginOpening = (why: WaitReason) => {
    opening.current?.()
    opening.current = typeAhead.begin(why)
  }
  const layerReady = () => {
    opening.current?.()
    opening.current = null
  }
  useEffect(() => () => opening.current?.(), [])
  // Every commit may have brought what a waiting key needs (the cursor's row, a pane).
  useEffect(() => typeAhead.settle())

  const focusQueue = () => tableBox.current?.focus()
  // Both read refs only: one value for the console's life.
  const layers = useMemo(() => ({ ready: layerReady, home: focusQueue }), [])
  const closeDialog = () => {
    // Closed before it was ready (Esc while loading): nothing to wait for any more.
    layerReady()
    setDialog(null)
    setIntake(undefined)
    setLayer('none')
  }
  /** Forms need the reference data: before the first pull brings it, they say so, not hang. */
  const noNames = () => !names && (say(t('referenceLoading'), true), true)
  function openIntake(call: IncomingCall | null) {
    if (noNames()) return
    beginOpening('intake')
    setDialog(null)
    setIntake(call)
    setLayer('intake')
  }
  const openLayer = (l: 'palette' | 'dashboard' | 'settings') => {
    if (l === 'dashboard' && noNames()) return
    beginOpening('form')
    setDialog(null)
    setLayer(l)
  }

  /** The scope as the next key finds it. */
  const liveScope = (): Scope => {
    const q = queue.live()
    const d = liveDetail()
    return {
      loggedIn: true,
      layer: rejectedRef.current ? 'rejected' : layerRef.current,
      ticketId: q.row?.id ?? null,
      ticketOpen: paneRef.current,
      allowed: d ? d.allowed : null,
      canCreate,
      selection: q.selected,
      drill: drillRef.current !== null,
      role,
      ticketStatus: q.row?.status ?? null,
      waiting: q.waiting,
    }
  }
  const scope = liveScope()

  const openDialog = (d: Dialog) => {
    if ((d.kind === 'dispatch' || d.kind === 'form') && noNames()) return
    beginOpening('form')
    setDialog(d)
    setLayer('dialog')
  }
  /** After an action on the cursor's ticket: what it allows now is loaded afresh. */
  const reloadDetail = async () => {
    detailRef.current = null
    await loadDetail(liveTicketId())
  }
  const acts = ticketActions({
    api,
    t,
    lang,
    say,
    queue,
    ticketId: liveTicketId,
    current: liveDetail,
    begin: typeAhead.begin,
    setDetail,
    reloadDetail,
    openDialog,
  })
  const { withTicket } = acts

  const controls: Controls = {
    ...props.appControls,
    openPalette: () => openLayer('palette'),
    openDashboard: () => openLayer('dashboard'),
    toggleHelp: () => setLayer((l) => (l === 'help' ? 'none' : 'help')),
    closeTop: () => {
      if (rejectedRef.current) props.setRejectedOpen(false)
      else if (layerRef.current !== 'none') closeDialog()
      else if (paneRef.current) setPaneOpen(false)
      else if (queue.live().selected > 0) queue.clearSelection()
      else if (drillRef.current) {
        filter.drillTo(null)
        queue.setView(initialView)
      }
      focusQueue()
    },
    move: (d) => queue.moveBy(d),
    // The last row as the queue knows it now (setCursor clamps to its live total).
    moveTo: (w) => queue.setCursor(w === 'first' ? 0 : Number.MAX_SAFE_INTEGER),
    openTicket: () => setPaneOpen(true),
    focusFilter: () => filterInput.current?.focus(),
    setView: (v) => queue.setView(v),
    openIntake: () => openIntake(null),
    openDispatch: acts.openDispatch,
    openNote: () => withTicket('ticket.note', (d) => openDialog({ kind: 'note', detail: d })),
    openForm: acts.openForm,
    approve: acts.approve,
    refuse: acts.refuse,
    act: acts.act,
    toggleSelect: () => queue.toggleSelect(),
    selectRange: () => void queue.selectRange().then((whole) => whole || say(t('rangeCut'), true)),
    reviewRejected: () => props.setRejectedOpen(true),
    openSettings: () => {
      const l = layerRef.current
      if (l === 'settings') return closeDialog()
      // The bell may be clicked over a form: what is typed there is not thrown away.
      if (l === 'dialog' || l === 'intake') return
      openLayer('settings')
    },
    // A notification clicked: its ticket, found by number in 全部 and opened; a summary: the view.
    // A form or intake being filled in stays open (what is typed there matters more); the queue
    // behind it moves.
    openAlert: (a) => {
      if (layerRef.current !== 'dialog' && layerRef.current !== 'intake') closeDialog()
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
    openKnowledge: () => openDialog({ kind: 'kb' }),
    manageKnowledge: () => openDialog({ kind: 'kbManage' }),
    kbFromTicket: () => {
      const d = liveDetail()
      const draft = d && names ? kbDraftOf(d.ticket, names, lang) : null
      if (draft) openDialog({ kind: 'kbManage', draft })
      else say(t(KW.noReply), true)
    },
    nominateCase: () => {
      const row = queue.live().row
      if (row) openDialog({ kind: 'nominate', row })
    },
  }
  const run = (a: UiAction) => {
    if (layerRef.current === 'palette') setLayer('none')
    a.run(controls, { ...liveScope(), layer: 'none' })
  }
  props.register({ scope: liveScope, controls, run, say })

  const done = (text: string) => {
    closeDialog()
    say(text)
    void reloadDetail()
  }
  const formDone = (d: ActionDone, text: string) => {
    done(text)
    acts.afterForm(d)
  }

  return (
    <LayersContext.Provider value={layers}>
      <div className="console">
        <CalendarBanner names={names} role={role} now={now} />
        <ViewTabs
          view={queue.view}
          counts={queue.counts}
          onView={queue.setView}
          labels={role === 'unit' ? { mine: { zh: '本单位待办', en: 'Our inbox' } } : undefined}
          hidden={role === 'unit' ? undefined : ['down']}
        />
        <FilterBar
          ref={filterInput}
          value={filter.text}
          unknown={parsed.unknown}
          drill={drill ? `${t('drillDown')}${colon(lang)}${drill.label}` : null}
          total={queue.total}
          onChange={setFilterText}
          onLeave={() => {
            // What was typed applies now: keys after Enter are for the rows it selects.
            filter.applyNow()
            focusQueue()
          }}
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
        {toastView}
        {exporter.running && <ExportProgress run={exporter.running} />}
        {saved && layer !== 'intake' && (
          <SavedNumber
            key={saved.id}
            ticketId={saved.id}
            // The toast says it again with the server's number in place of the provisional one.
            onNumbered={(n, was) => say(`${saved.message.replace(was, n)}${WORDS.numbered[lang]}`)}
          />
        )}
        {layer === 'palette' && <CommandPalette scope={scope} onRun={run} onClose={closeDialog} />}
        {layer === 'help' && <HelpOverlay />}
        {layer === 'settings' && props.alerts && (
          <SettingsOverlay
            role={role}
            seat={{ label: seatLabel, name: names?.seat(seatLabel) ?? null }}
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
            onDrill={(label, f) => {
              closeDialog()
              filter.drillTo({ label, filter: f })
              queue.setView(f.view ?? 'all')
            }}
          />
        )}
        {props.rejectedOpen && <RejectedOverlay onClose={() => props.setRejectedOpen(false)} />}
        {layer === 'intake' && intake !== undefined && names && (
          <IntakeScreen
            call={intake}
            names={names}
            onClose={closeDialog}
            onDone={(text, id) => {
              done(text)
              setSaved({ id, message: text })
            }}
          />
        )}
        {layer === 'dialog' && dialog && (
          <TicketDialogs
            dialog={dialog}
            names={names}
            role={role}
            unit={session.user.unit}
            onClose={closeDialog}
            onDone={done}
            onFormDone={formDone}
            clearSelection={queue.clearSelection}
          />
        )}
      </div>
    </LayersContext.Provider>
  )
}
