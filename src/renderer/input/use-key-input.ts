// The one key handler (App's), on the pipeline: a key is judged against the console's live scope
// — read when the key is judged, from refs the actions keep in step, not from the last render.
// Listeners on the window: in the capture phase a key (or IME text) is held while the pipeline
// holds, before any element sees it; in the bubble phase a key no element took is matched
// against the registry — run, held because its state is not there yet, or refused out loud.
import { useEffect, useMemo, useRef } from 'react'
import type { Localized } from '../../shared/validation'
import { comboOf, keyLabel, typesText } from '../actions/keys'
import {
  actionBound,
  actionForKey,
  startsChord,
  type Scope,
  type UiAction,
} from '../actions/registry'
import { colon, type Lang } from '../i18n'
import { catchText, releaseText } from './catcher'
import { KeyPipeline, type Held, type Press } from './key-pipeline'
import { isEditable, isReplay, replayKey } from './replay'
import type { TypeAhead, WaitReason } from './type-ahead'

/** What the logged-in console registers with the handler; null when logged out. */
export interface KeyTarget {
  /** The scope now: read at the moment a key is judged. */
  scope(): Scope
  run(a: UiAction): void
  say(text: string, error?: boolean): void
}

const WAIT_WORDS: Record<WaitReason | 'rows', Localized> = {
  intake: { zh: '受理界面尚在打开', en: 'the intake form was still opening' },
  form: { zh: '表单尚在打开', en: 'the form was still opening' },
  ticket: { zh: '工单尚在载入', en: 'the ticket was still loading' },
  view: { zh: '视图尚在载入', en: 'the view was still loading' },
  rows: { zh: '工单列表尚在载入', en: 'the rows were still loading' },
  selection: { zh: '选择尚未完成', en: 'the selection was still being made' },
  saving: { zh: '尚在保存', en: 'a save was still under way' },
  action: { zh: '上一操作尚未完成', en: 'the last action was still being applied' },
}
const REFUSED: Localized = { zh: '按键未执行', en: 'Keys not run' }
const NOT_NOW: Localized = { zh: '此工单当前不能', en: 'not possible on this ticket now:' }

const pressOf = (e: KeyboardEvent): Press => ({
  key: e.key,
  code: e.code,
  ctrlKey: e.ctrlKey,
  metaKey: e.metaKey,
  altKey: e.altKey,
  shiftKey: e.shiftKey,
})
const MODIFIERS = ['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'CapsLock']
const inField = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  t.closest('input, textarea, select, [contenteditable="true"]') !== null

export function useKeyInput(opts: {
  target(): KeyTarget | null
  /** The scope when nobody is logged in (language and theme still switch). */
  loggedOut: Scope
  /** Runs an action without a console (logged out): the App's own controls. */
  runLoggedOut(a: UiAction): void
  lang(): Lang
}): TypeAhead {
  const o = useRef(opts)
  o.current = opts
  const chord = useRef<{ key: string; at: number } | null>(null)
  /** The verdict on the key being replayed, from the bubble handler. */
  const verdict = useRef<'done' | 'wait' | null>(null)
  /** Our own replay is typing: its input events are not to be held again. */
  const replaying = useRef(false)

  const pipeline = useMemo(
    () =>
      new KeyPipeline({
        replay: (k: Held) => {
          // Keys run where the person's focus is, not in the catcher.
          releaseText()
          verdict.current = null
          replaying.current = true
          try {
            const v = replayKey(k, () => verdict.current)
            if (v === 'wait') catchText(isEditable)
            return v
          } finally {
            replaying.current = false
          }
        },
        refuse: (keys, why) => {
          releaseText()
          const lang = o.current.lang()
          const shown = keys
            .slice(0, 24)
            .map((k) => (k.kind === 'text' ? k.text : keyLabel(comboOf(k.press) ?? k.press.key)))
            .join(' ')
          const reason = WAIT_WORDS[(why as WaitReason | null) ?? 'rows'][lang]
          const more = keys.length > 24 ? ' …' : ''
          o.current
            .target()
            ?.say(
              `${REFUSED[lang]}${colon(lang)}${shown}${more}${lang === 'zh' ? `（${reason}）` : ` (${reason})`}`,
              true,
            )
        },
        now: () => performance.now(),
        later: (fn, ms) => {
          const id = setTimeout(fn, ms)
          return () => clearTimeout(id)
        },
      }),
    [],
  )

  /** The registry's answer to a key no element took; null when it is not the registry's. */
  const judge = (e: KeyboardEvent): 'done' | 'wait' | null => {
    const combo = comboOf(e)
    if (!combo) return null
    if (inField(e.target) && typesText(combo)) return null
    const target = o.current.target()
    const scope = target ? target.scope() : o.current.loggedOut
    // A chord: the first key waits 1.5 s for the second (`G` then `S`).
    const first = chord.current && Date.now() - chord.current.at < 1500 ? chord.current.key : null
    chord.current = null
    const key = first ? `${first} ${combo}` : combo
    const action = actionForKey(key, scope)
    if (action) {
      e.preventDefault()
      if (target) target.run(action)
      else o.current.runLoggedOut(action)
      return 'done'
    }
    const bound = actionBound(key)
    // The key means something here, but what it acts on is not known yet (the cursor's row
    // still being fetched): it waits rather than being judged against nothing.
    if (bound && scope.layer === 'none' && scope.waiting) {
      e.preventDefault()
      return 'wait'
    }
    if (!first && startsChord(combo) && scope.layer === 'none') {
      chord.current = { key: combo, at: Date.now() }
      e.preventDefault()
      return 'done'
    }
    // A ticket action the rules do not allow on this ticket now: said, not silently ignored.
    if (bound?.group === 'ticket' && scope.layer === 'none' && scope.ticketId && scope.allowed) {
      e.preventDefault()
      const lang = o.current.lang()
      target?.say(
        `${keyLabel(key)}${colon(lang)}${NOT_NOW[lang]}${lang === 'zh' ? '' : ' '}${bound.label[lang]}`,
        true,
      )
      return 'done'
    }
    return null
  }

  useEffect(() => {
    const capture = (e: KeyboardEvent) => {
      if (isReplay(e) || e.isComposing || MODIFIERS.includes(e.key)) return
      if (!pipeline.holding()) return
      // Before anyone sees it: it runs when what it was typed for is there.
      e.preventDefault()
      e.stopImmediatePropagation()
      pipeline.hold({ kind: 'key', press: pressOf(e), at: performance.now() })
      catchText(isEditable)
    }
    const captureInput = (e: Event) => {
      const ie = e as InputEvent
      if (replaying.current || ie.isComposing || !pipeline.holding()) return
      if (ie.inputType !== 'insertText' || !ie.data) return
      e.preventDefault()
      pipeline.hold({ kind: 'text', text: ie.data, at: performance.now() })
    }
    const bubble = (e: KeyboardEvent) => {
      const replay = isReplay(e)
      if (e.isComposing || (e.defaultPrevented && !replay)) return
      const v = judge(e)
      if (replay) verdict.current = v
      else if (v === 'wait') {
        pipeline.hold({ kind: 'key', press: pressOf(e), at: performance.now() })
        catchText(isEditable)
      }
    }
    window.addEventListener('keydown', capture, true)
    window.addEventListener('beforeinput', captureInput, true)
    window.addEventListener('keydown', bubble)
    return () => {
      window.removeEventListener('keydown', capture, true)
      window.removeEventListener('beforeinput', captureInput, true)
      window.removeEventListener('keydown', bubble)
    }
    // The pipeline is made once; judge reads everything else through refs.
  }, [pipeline])

  return useMemo(
    () => ({
      begin: (why: WaitReason) => pipeline.begin(why),
      settle: () => pipeline.settle(),
    }),
    [pipeline],
  )
}
