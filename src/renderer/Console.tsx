// The logged-in console: views and filter, the queue, the ticket pane and the layers over them
// (palette, help, dialogs). It implements the registry's `Controls` and reports its `Scope`; the
// one key handler (in App) reads both.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ActionName } from '../shared/actions'
import type { Session, TicketDetail } from '../shared/api'
import { ACTION_LABELS } from '../shared/labels'
import type { Controls, Scope, UiAction } from './actions/registry'
import { useLang, useT } from './i18n'
import { FilterBar, ViewTabs } from './queue/QueueHeader'
import { QueueTable } from './queue/QueueTable'
import { parseFilter } from './queue/filter-parse'
import { useQueue } from './queue/use-queue'
import { CommandPalette } from './shell/CommandPalette'
import { HelpOverlay } from './shell/HelpOverlay'
import { RejectedOverlay } from './shell/RejectedOverlay'
import { errorText, useApi, useConsoleEvents } from './state/api'
import type { Names } from './state/reference'
import { DispatchDialog } from './ticket/DispatchDialog'
import { NoteDialog } from './ticket/NoteDialog'
import { TicketPane } from './ticket/TicketPane'

export type Layer = Scope['layer']
type DialogKind = 'dispatch' | 'note'

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
  const [dialog, setDialog] = useState<{ kind: DialogKind; detail: TicketDetail } | null>(null)
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
  const initialView = role === 'dispatcher' || role === 'supervisor' ? 'new' : 'all'
  const queue = useQueue(api, initialView, parsed.filter)
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
    setLayer('none')
    focusQueue()
  }

  const scope: Scope = {
    loggedIn: true,
    layer: props.rejectedOpen ? 'rejected' : layer,
    ticketId,
    ticketOpen: paneOpen,
    allowed: current ? current.allowed : null,
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

  const controls: Controls = {
    ...props.appControls,
    openPalette: () => setLayer('palette'),
    toggleHelp: () => setLayer((l) => (l === 'help' ? 'none' : 'help')),
    closeTop: () => {
      if (props.rejectedOpen) props.setRejectedOpen(false)
      else if (layer !== 'none') closeDialog()
      else setPaneOpen(false)
      focusQueue()
    },
    move: (d) => queue.setCursor(queue.cursor + d),
    moveTo: (w) => queue.setCursor(w === 'first' ? 0 : queue.total - 1),
    openTicket: () => setPaneOpen(true),
    focusFilter: () => filterInput.current?.focus(),
    setView: (v) => queue.setView(v),
    openDispatch: () =>
      withTicket('ticket.dispatch', (d) => {
        setDialog({ kind: 'dispatch', detail: d })
        setLayer('dialog')
      }),
    openNote: () =>
      withTicket('ticket.note', (d) => {
        setDialog({ kind: 'note', detail: d })
        setLayer('dialog')
      }),
    act: (name) =>
      withTicket(name, (d) => {
        void api.call('ticket.act', { name, args: { ticketId: d.ticket.id } }).then((r) => {
          if (r.ok) say(`${d.displayNumber} · ${t(ACTION_LABELS[name])} · ${t('done')}`)
          else say(errorText(r.error, lang), true)
        })
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

  return (
    <div className="console">
      <ViewTabs view={queue.view} counts={queue.counts} onView={queue.setView} />
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
        <DispatchDialog detail={dialog.detail} names={names} onClose={closeDialog} onDone={done} />
      )}
      {layer === 'dialog' && dialog?.kind === 'note' && (
        <NoteDialog detail={dialog.detail} onClose={closeDialog} onDone={done} />
      )}
    </div>
  )
}
