// Acting on tickets from the console: on the cursor's ticket or on the selection (each ticket
// checked against the rules on its own), approving and refusing returns and extensions (an
// approved return goes straight to re-routing), instant actions (sign, urge) and what follows a
// form (an unsatisfied callback offers the redo at once), and revealing the caller's full number
// (V, or the callback form that shows it to be dialled), which is recorded as a timeline event.
//
// Each reads the cursor's ticket when it runs (getters over the console's refs, not a render's
// values). What has to load or apply first is a transition: keys typed meanwhile wait for it, so
// the key after `S` is judged against the signed ticket and text after `T` lands in the form.
import type { ActionName } from '../../shared/actions'
import type { ConsoleApi, TicketDetail } from '../../shared/api'
import { errorText } from '../state/api'
import { ACTION_LABELS } from '../../shared/labels'
import type { Lang } from '../../shared/validation'
import type { NominateTarget } from '../cases/NominateDialog'
import type { KbEntryInputRaw } from '../../shared/knowledge'
import type { UiKey } from '../i18n'
import type { QueueState } from '../queue/use-queue'
import type { Localized } from '../../shared/validation'
import type { WaitReason } from '../input/type-ahead'
import type { ActionDone } from './ActionDialog'
import type { DispatchMode } from './DispatchDialog'
import { FORMS, type FormId } from './action-forms'
import { hidePhone, isPhoneRevealed, revealPhone } from './phone-reveal'

/** A dialog keeps the tickets it was opened on (see below). */
export type Dialog =
  | { kind: 'dispatch'; targets: TicketDetail[]; mode?: DispatchMode }
  | { kind: 'note'; detail: TicketDetail }
  | { kind: 'form'; form: FormId; targets: TicketDetail[] }
  | { kind: 'cases' }
  | { kind: 'kb' }
  | { kind: 'kbManage'; draft?: KbEntryInputRaw }
  | { kind: 'nominate'; row: NominateTarget }

export interface TicketActionDeps {
  api: ConsoleApi
  t(l: Localized | UiKey): string
  lang: Lang
  say(text: string, error?: boolean): void
  queue: QueueState
  /** The cursor's ticket now. */
  ticketId(): string | null
  /** Its detail when loaded (what the rules allow there). */
  current(): TicketDetail | null
  /** Keys typed from now wait until the returned function is called. */
  begin(why: WaitReason): () => void
  setDetail(d: TicketDetail): void
  /** After an action on it: the cursor's ticket is loaded afresh. */
  reloadDetail(): Promise<void>
  openDialog(d: Dialog): void
}

export function ticketActions(deps: TicketActionDeps) {
  const { api, t, lang, say, queue, setDetail, openDialog, begin } = deps
  /** The cursor's ticket in full, loaded if need be; keys wait while it loads. */
  const load = (then: (d: TicketDetail) => void) => {
    const ticketId = deps.ticketId()
    if (!ticketId) return say(t('selectTicketFirst'), true)
    const current = deps.current()
    if (current) return then(current)
    const end = begin('ticket')
    void api
      .call('ticket.get', { id: ticketId })
      .then((r) => {
        if (!r.ok) return say(errorText(r.error, lang), true)
        setDetail(r.value)
        then(r.value)
      })
      .finally(end)
  }
  /** Runs `fn` on the cursor's ticket if the rules allow `name` there. */
  const withTicket = (name: ActionName, fn: (d: TicketDetail) => void) =>
    load((d) =>
      d.allowed.includes(name) ? fn(d) : say(`${d.displayNumber} ${t('notAllowed')}`, true),
    )
  /** An action that applies without a form: keys wait until it applied and the ticket reloaded. */
  const applying = (work: () => Promise<void>) => {
    const end = begin('action')
    void work()
      .then(() => deps.reloadDetail())
      .finally(end)
  }

  /**
   * Runs `fn` on the selection when there is one (each ticket loaded and checked on its own; the
   * ones the rules refuse are skipped and counted), else on the cursor's ticket.
   */
  const withTargets = (name: ActionName, fn: (targets: TicketDetail[]) => void) => {
    if (queue.live().selected === 0) return withTicket(name, (d) => fn([d]))
    const ids = [...queue.selected]
    const end = begin('ticket')
    void Promise.all(ids.map((id) => api.call('ticket.get', { id })))
      .then((answers) => {
        const details = answers.flatMap((r) => (r.ok ? [r.value] : []))
        const targets = details.filter((d) => d.allowed.includes(name))
        const skipped = ids.length - targets.length
        if (skipped > 0) say(`${skipped} ${t('skippedNotAllowed')}`, targets.length === 0)
        if (targets.length > 0) fn(targets)
      })
      .finally(end)
  }
  /**
   * Records a look at the caller's full number through the normal mutation path (core rules,
   * outbox, server); the core refuses it, with the rules' reason, to whoever may not see it.
   */
  const recordPhoneView = (d: TicketDetail, via: 'pane' | 'callback') =>
    api.call('ticket.act', { name: 'ticket.viewPhone', args: { ticketId: d.ticket.id, via } })

  /** V: shows the full number of the cursor's ticket in the pane (recorded), or masks it again. */
  const viewPhone = () =>
    load((d) => {
      if (isPhoneRevealed(d.ticket.id)) return hidePhone(d.ticket.id)
      if (!d.ticket.caller.phone) return say(`${d.displayNumber} ${t('noPhone')}`, true)
      applying(async () => {
        const r = await recordPhoneView(d, 'pane')
        if (!r.ok) return say(`${d.displayNumber} ${errorText(r.error, lang)}`, true)
        revealPhone(d.ticket.id)
        say(`${d.displayNumber} · ${t('phoneShown')}`)
      })
    })

  const openForm = (form: FormId) => {
    const bulk = ['supervise', 'closeWithoutCallback', 'merge', 'cancel'].includes(form)
    const name = FORMS[form].action
    if (bulk) withTargets(name, (targets) => openDialog({ kind: 'form', form, targets }))
    else
      withTicket(name, (d) => {
        openDialog({ kind: 'form', form, targets: [d] })
        // The callback form shows the full number to be dialled: that is a view, recorded.
        if (form === 'callback' && d.ticket.caller.phone && d.allowed.includes('ticket.viewPhone'))
          void recordPhoneView(d, 'callback').then((r) => {
            if (!r.ok) say(`${d.displayNumber} ${errorText(r.error, lang)}`, true)
          })
      })
  }
  /** What Y and Shift+Y rule on: a return or extension (the city), or what came up from below. */
  const decision = (d: TicketDetail) =>
    (
      [
        'ticket.decideReturn',
        'ticket.reviewReturn',
        'ticket.reviewReply',
        'ticket.decideExtension',
      ] as const
    ).find((n) => d.allowed.includes(n)) ?? ('ticket.decideExtension' as const)
  const REFUSE_FORM = {
    'ticket.decideReturn': 'refuseReturn',
    'ticket.reviewReturn': 'refuseLevelReturn',
    'ticket.reviewReply': 'sendBackReply',
    'ticket.decideExtension': 'refuseExtension',
  } as const

  return {
    withTicket,
    withTargets,
    openForm,
    /** D: the city dispatches (one ticket or the selection); a level below dispatches down. */
    openDispatch: (mode?: 'reroute') => {
      if (mode === 'reroute')
        return withTicket('ticket.reroute', (d) =>
          openDialog({ kind: 'dispatch', targets: [d], mode: 'reroute' }),
        )
      const d = deps.current()
      if (queue.live().selected === 0 && d?.allowed.includes('ticket.dispatchDown'))
        return openDialog({ kind: 'dispatch', targets: [d], mode: 'down' })
      withTargets('ticket.dispatch', (targets) => openDialog({ kind: 'dispatch', targets }))
    },
    approve: () =>
      load((d) => {
        const name = decision(d)
        if (!d.allowed.includes(name)) return say(`${d.displayNumber} ${t('notAllowed')}`, true)
        applying(async () => {
          const r = await api.call('ticket.act', {
            name,
            args: { ticketId: d.ticket.id, approve: true },
          })
          if (!r.ok) return say(errorText(r.error, lang), true)
          say(`${d.displayNumber} · ${t(ACTION_LABELS[name])} · ${t('done')}`)
          if (name !== 'ticket.decideReturn' && name !== 'ticket.reviewReturn') return
          // An approved return is back to be dispatched: re-route it straight away.
          const again = await api.call('ticket.get', { id: d.ticket.id })
          if (again.ok && again.value.allowed.includes('ticket.dispatch'))
            openDialog({ kind: 'dispatch', targets: [again.value] })
          else if (again.ok && again.value.allowed.includes('ticket.dispatchDown'))
            openDialog({ kind: 'dispatch', targets: [again.value], mode: 'down' })
        })
      }),
    refuse: () =>
      load((d) =>
        d.allowed.includes(decision(d))
          ? openDialog({ kind: 'form', form: REFUSE_FORM[decision(d)], targets: [d] })
          : say(`${d.displayNumber} ${t('notAllowed')}`, true),
      ),
    act: (name: 'ticket.sign' | 'ticket.urge' | 'ticket.viewPhone') =>
      name === 'ticket.viewPhone'
        ? viewPhone()
        : withTargets(name, (targets) =>
            applying(async () => {
              for (const d of targets) {
                const r = await api.call('ticket.act', { name, args: { ticketId: d.ticket.id } })
                if (!r.ok) return say(`${d.displayNumber} ${errorText(r.error, lang)}`, true)
              }
              const what =
                targets.length > 1 ? `${targets.length} ${t('tickets')}` : targets[0]!.displayNumber
              say(`${what} · ${t(ACTION_LABELS[name])} · ${t('done')}`)
              if (targets.length > 1) queue.clearSelection()
            }),
          ),
    /** After a form: a bulk one lets go of the selection; an unsatisfied callback offers the redo. */
    afterForm(d: ActionDone) {
      if (d.targets.length > 1) queue.clearSelection()
      // An unsatisfied citizen: offer the redo at once (Esc leaves it).
      if (d.form === 'callback' && d.values.satisfaction === 'unsatisfied') {
        const id = d.targets[0]!.ticket.id
        // Keys typed after Ctrl+Enter are for the redo form: they wait for it.
        const end = begin('form')
        void api
          .call('ticket.get', { id })
          .then((r) => {
            if (!r.ok) return
            if (!r.value.allowed.includes('ticket.redo')) return
            say(t('redoOffered'))
            openDialog({ kind: 'form', form: 'redo', targets: [r.value] })
          })
          .finally(end)
      }
    },
  }
}
