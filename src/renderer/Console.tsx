// The logged-in console: views and filter, the queue, the ticket pane and the layers over them
// (palette, help, dialogs). It implements the registry's `Controls` and reports its `Scope`; the
// one key handler (in App) reads both.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ActionName } from '../shared/actions'
import type { IncomingCall, Session, TicketDetail } from '../shared/api'
import { ACTION_LABELS } from '../shared/labels'
import type { Controls, Scope, UiAction } from './actions/registry'
import { useLang, useT } from './i18n'
import { IntakeScreen } from './intake/IntakeScreen'
import { FilterBar, ViewTabs } from './queue/QueueHeader'
import { QueueTable } from './queue/QueueTable'
import { parseFilter } from './queue/filter-parse'
import { useQueue } from './queue/use-queue'
import { CommandPalette } from './shell/CommandPalette'
import { HelpOverlay } from './shell/HelpOverlay'
import { RejectedOverlay } from './shell/RejectedOverlay'
import { errorText, useApi, useConsoleEvents } from './state/api'
import type { Names } from './state/reference'
import { ActionDialog, type ActionDone } from './ticket/ActionDialog'
import type { FormId } from './ticket/action-forms'
import { FORMS } from './ticket/action-forms'
import { DispatchDialog } from './ticket/DispatchDialog'
import { NoteDialog } from './ticket/NoteDialog'
import { TicketPane } from './ticket/TicketPane'

export type Layer = Scope['layer']
/** A dialog keeps the tickets it was opened on (see below). */
type Dialog =
  | { kind: 'dispatch'; targets: TicketDetail[] }
  | { kind: 'note'; detail: TicketDetail }
  | { kind: 'form'; form: FormId; targets: TicketDetail[] }

export interface ConsoleProps {
  session: Session
  names: Names | null
  /** The App's own controls (language, theme, sync, logout) merged into the console's. */
  appControls: Pick<Controls, 'toggleLang' | 'toggleTheme' | 'syncNow' | 'logout'>
  /** Hands the key handler this screen's scope and controls. */
  register(scope: Scope, controls: Controls, run: (a: UiAction) => void): void
  rejectedOpen: boolean
  setRejectedOpen(open: boolean): void
}

export function Console(props: ConsoleProps) {
  const { session, names } = props
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [filterText, setFilterText] = useState('')
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

  const parsed = useMemo(() => parseFilter(debounced, names), [debounced, names])
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
  }

  /** Runs `fn` on the cursor's ticket if the rules allow `name` there, loading it if need be. */
  const withTicket = (name: ActionName, fn: (d: TicketDetail) => void) => {
    if (!ticketId) return say(t('selectTicketFirst'), true)
    const go = (d: TicketDetail) =>
      d.allowed.includes(name) ? fn(d) : say(`${d.displayNumber} ${t('notAllowed')}`, true)
    if (current) return go(current)
    void api.call('ticket.get', { id: ticketId }).then((r) => {
      if (!r.ok) return say(errorText(r.error, lang), true)
      setDetail(r.value)
      go(r.value)
    })
  }

  /**
   * Runs `fn` on the selection when there is one (each ticket loaded and checked on its own; the
   * ones the rules refuse are skipped and counted), else on the cursor's ticket.
   */
  const withTargets = (name: ActionName, fn: (targets: TicketDetail[]) => void) => {
    if (queue.selected.size === 0) return withTicket(name, (d) => fn([d]))
    const ids = [...queue.selected]
    void Promise.all(ids.map((id) => api.call('ticket.get', { id }))).then((answers) => {
      const details = answers.flatMap((r) => (r.ok ? [r.value] : []))
      const targets = details.filter((d) => d.allowed.includes(name))
      const skipped = ids.length - targets.length
      if (skipped > 0) say(`${skipped} ${t('skippedNotAllowed')}`, targets.length === 0)
      if (targets.length > 0) fn(targets)
    })
  }
  const openDialog = (d: Dialog) => {
    setDialog(d)
    setLayer('dialog')
  }
  const openForm = (form: FormId) => {
    const bulk = ['supervise', 'closeWithoutCallback', 'merge', 'cancel'].includes(form)
    const name = FORMS[form].action
    if (bulk) withTargets(name, (targets) => openDialog({ kind: 'form', form, targets }))
    else withTicket(name, (d) => openDialog({ kind: 'form', form, targets: [d] }))
  }
  const decision = (d: TicketDetail) =>
    d.allowed.includes('ticket.decideReturn')
      ? ('ticket.decideReturn' as const)
      : ('ticket.decideExtension' as const)

  const controls: Controls = {
    ...props.appControls,
    openPalette: () => setLayer('palette'),
    toggleHelp: () => setLayer((l) => (l === 'help' ? 'none' : 'help')),
    closeTop: () => {
      if (props.rejectedOpen) props.setRejectedOpen(false)
      else if (layer !== 'none') closeDialog()
      else if (paneOpen) setPaneOpen(false)
      else queue.clearSelection()
      focusQueue()
    },
    move: (d) => queue.setCursor(queue.cursor + d),
    moveTo: (w) => queue.setCursor(w === 'first' ? 0 : queue.total - 1),
    openTicket: () => setPaneOpen(true),
    focusFilter: () => filterInput.current?.focus(),
    setView: (v) => queue.setView(v),
    openIntake: () => openIntake(null),
    openDispatch: () =>
      withTargets('ticket.dispatch', (targets) => openDialog({ kind: 'dispatch', targets })),
    openNote: () => withTicket('ticket.note', (d) => openDialog({ kind: 'note', detail: d })),
    openForm,
    approve: () =>
      withTicket(current ? decision(current) : 'ticket.decideReturn', (d) => {
        const name = decision(d)
        const args = { ticketId: d.ticket.id, approve: true }
        void api.call('ticket.act', { name, args }).then(async (r) => {
          if (!r.ok) return say(errorText(r.error, lang), true)
          say(`${d.displayNumber} · ${t(ACTION_LABELS[name])} · ${t('done')}`)
          if (name !== 'ticket.decideReturn') return
          // An approved return is back to be dispatched: re-route it straight away.
          const again = await api.call('ticket.get', { id: d.ticket.id })
          if (again.ok && again.value.allowed.includes('ticket.dispatch'))
            openDialog({ kind: 'dispatch', targets: [again.value] })
        })
      }),
    refuse: () =>
      withTicket(current ? decision(current) : 'ticket.decideReturn', (d) =>
        openDialog({
          kind: 'form',
          form: decision(d) === 'ticket.decideReturn' ? 'refuseReturn' : 'refuseExtension',
          targets: [d],
        }),
      ),
    toggleSelect: () => queue.toggleSelect(),
    selectRange: () => queue.selectRange(),
    act: (name) =>
      withTargets(name, (targets) => {
        void (async () => {
          for (const d of targets) {
            const r = await api.call('ticket.act', { name, args: { ticketId: d.ticket.id } })
            if (!r.ok) return say(`${d.displayNumber} ${errorText(r.error, lang)}`, true)
          }
          const what =
            targets.length > 1 ? `${targets.length} ${t('tickets')}` : targets[0]!.displayNumber
          say(`${what} · ${t(ACTION_LABELS[name])} · ${t('done')}`)
          if (targets.length > 1) queue.clearSelection()
        })()
      }),
    reviewRejected: () => props.setRejectedOpen(true),
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
    if (d.targets.length > 1) queue.clearSelection()
    // An unsatisfied citizen: offer the redo at once (Esc leaves it).
    if (d.form === 'callback' && d.values.satisfaction === 'unsatisfied') {
      const id = d.targets[0]!.ticket.id
      void api.call('ticket.get', { id }).then((r) => {
        if (!r.ok) return
        if (!r.value.allowed.includes('ticket.redo')) return
        say(t('redoOffered'))
        openDialog({ kind: 'form', form: 'redo', targets: [r.value] })
      })
    }
  }

  return (
    <div className="console">
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
      {layer === 'palette' && <CommandPalette scope={scope} onRun={run} onClose={closeDialog} />}
      {layer === 'help' && <HelpOverlay />}
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
    </div>
  )
}
