// 优秀案例 (Alt+C): the year's exemplary cases, ranked first, then the candidates by nomination,
// with the ticket facts the server computes from each timeline. Keys, shown in the footer: J/K
// move, Alt+↑/↓ or [ ] change the rank, Enter edits, Delete removes (after a confirmation), Alt+E
// exports (Markdown, HTML or XLSX into the console's exports folder), ←/→ change the year, Esc
// goes back. Changing a case is for supervisors; everyone else reads (units: their own cases).
import { useDialog } from '../input/use-dialog'
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { CASE_FORMATS, MAX_RANK, type CaseFormat, type CaseView } from '../../shared/cases'
import { comboOf } from '../actions/keys'
import { deliverExport } from '../api'
import { useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'
import { CaseDetail } from './CaseDetail'
import { CaseForm } from './CaseForm'
import { W } from './words'
import './cases.css'

type Mode =
  | { kind: 'list' }
  | { kind: 'edit'; c: CaseView }
  | { kind: 'confirm'; c: CaseView }
  | { kind: 'export'; choice: number }

const FORMAT_NAMES: Record<CaseFormat, string> = { md: 'Markdown', html: 'HTML', xlsx: 'XLSX' }
/** Keys choosing a format directly (its number, or its initial). */
const FORMAT_KEYS: Record<string, number> = { '1': 0, '2': 1, '3': 2, M: 0, H: 1, X: 2 }

/** The year on the city's clock. */
function cityYear(timeZone: string | undefined): number {
  const y = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(new Date())
  return Number(y) || new Date().getFullYear()
}

/** The rank a move gives (undefined: no move). Up from the candidates joins the end of the list. */
export function movedRank(
  rank: number | null,
  rankedCount: number,
  dir: 'up' | 'down',
): number | null | undefined {
  if (dir === 'up') {
    if (rank == null) return Math.min(rankedCount + 1, MAX_RANK)
    return rank > 1 ? rank - 1 : undefined
  }
  if (rank == null) return undefined
  return rank >= rankedCount ? null : rank + 1
}

export function CasesScreen(props: { canEdit: boolean; timeZone?: string; onClose(): void }) {
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [year, setYear] = useState(() => cityYear(props.timeZone))
  const [cases, setCases] = useState<CaseView[] | null>(null)
  const [at, setAt] = useState(0)
  const [mode, setMode] = useState<Mode>({ kind: 'list' })
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null)
  const box = useRef<HTMLDivElement>(null)

  const load = useCallback(
    async (keepId?: string) => {
      const r = await api.call('cases.list', { year })
      if (!r.ok) {
        setCases([])
        return setNote({ text: errorText(r.error, lang), error: true })
      }
      setCases(r.value)
      if (keepId) {
        const i = r.value.findIndex((c) => c.id === keepId)
        if (i >= 0) setAt(i)
      }
      setAt((i) => Math.max(0, Math.min(i, r.value.length - 1)))
    },
    [api, year, lang],
  )
  useEffect(() => {
    setCases(null)
    void load()
  }, [load])
  useEffect(() => {
    if (mode.kind !== 'edit') box.current?.focus()
  }, [mode])
  const trap = useDialog(box)

  const list = cases ?? []
  const current = list[at] ?? null
  const say = (text: string, error = false) => setNote({ text, error })
  const guard = () => {
    if (!props.canEdit) say(t(W.supervisorsOnly), true)
    return props.canEdit
  }

  const update = async (c: CaseView, patch: { rank?: number | null }) => {
    const r = await api.call('cases.update', { id: c.id, ...patch })
    if (!r.ok) return say(errorText(r.error, lang), true)
    setNote(null)
    await load(c.id)
  }
  const move = (dir: 'up' | 'down') => {
    if (!current || !guard()) return
    const ranked = list.filter((c) => c.rank != null).length
    const rank = movedRank(current.rank, ranked, dir)
    if (rank === undefined) return
    if (current.rank == null && ranked >= MAX_RANK) say(t(W.rankFull))
    void update(current, { rank })
  }
  const remove = async (c: CaseView) => {
    const r = await api.call('cases.remove', { id: c.id })
    setMode({ kind: 'list' })
    if (!r.ok) return say(errorText(r.error, lang), true)
    say(`${t(W.removed)}「${c.title}」`)
    await load()
  }
  const exportAs = async (format: CaseFormat) => {
    setMode({ kind: 'list' })
    say(`${t(W.exportAs).split('（')[0]} ${FORMAT_NAMES[format]}…`)
    const r = await api.call('cases.export', { year, format })
    if (!r.ok) return say(errorText(r.error, lang), true)
    say(`${t(W.exported)}：${r.value.file}`)
    // Electron shows it in its folder, a browser downloads it; the file stays either way.
    await deliverExport(r.value).catch((e: Error) =>
      say(`${t(W.exported)}：${r.value.file}（${t(W.notDelivered)}：${e.message}）`),
    )
  }

  const onKey = (e: KeyboardEvent) => {
    if (mode.kind === 'edit' || e.nativeEvent.isComposing) return
    const combo = comboOf(e)
    if (!combo) return
    const bracket = e.code === 'BracketLeft' ? '[' : e.code === 'BracketRight' ? ']' : null
    if (mode.kind === 'confirm') {
      if (combo === 'Enter' || combo === 'Y') void remove(mode.c)
      else if (combo === 'Escape' || combo === 'N') setMode({ kind: 'list' })
    } else if (mode.kind === 'export') {
      const n = CASE_FORMATS.length
      const pick = FORMAT_KEYS[combo]
      if (pick !== undefined) void exportAs(CASE_FORMATS[pick]!)
      else if (combo === 'ArrowLeft' || combo === 'ArrowRight')
        setMode({ kind: 'export', choice: (mode.choice + (combo === 'ArrowLeft' ? n - 1 : 1)) % n })
      else if (combo === 'Enter') void exportAs(CASE_FORMATS[mode.choice]!)
      else if (combo === 'Escape') setMode({ kind: 'list' })
      else return
    } else if (combo === 'J' || combo === 'ArrowDown')
      setAt((i) => Math.min(i + 1, list.length - 1))
    else if (combo === 'K' || combo === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (combo === 'Alt+ArrowUp' || (bracket === '[' && !e.altKey)) move('up')
    else if (combo === 'Alt+ArrowDown' || (bracket === ']' && !e.altKey)) move('down')
    else if (combo === 'Enter' && current && guard()) setMode({ kind: 'edit', c: current })
    else if (combo === 'Delete' && current && guard()) setMode({ kind: 'confirm', c: current })
    else if (combo === 'Alt+E') setMode({ kind: 'export', choice: 0 })
    else if (combo === 'ArrowLeft' || combo === 'ArrowRight') {
      setAt(0)
      setNote(null)
      setYear((y) => y + (combo === 'ArrowLeft' ? -1 : 1))
    } else if (combo === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="overlay cases-screen"
      role="dialog"
      aria-label={t(W.title)}
      tabIndex={-1}
      ref={box}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <h2>
        {t(W.title)} · {year}
        {cases && <span className="muted"> · {cases.length}</span>}
      </h2>
      {cases === null && <p className="muted">{t(W.loading)}</p>}
      {cases?.length === 0 && <p className="muted">{t(W.none)}</p>}
      <div className="cases-body">
        <ol className="cases-list" aria-label="cases">
          {list.map((c, i) => (
            <li
              key={c.id}
              className={i === at ? 'active' : ''}
              data-case-id={c.id}
              data-rank={c.rank ?? ''}
              onClick={() => setAt(i)}
            >
              <span className={`case-rank ${c.rank == null ? 'muted' : ''}`}>
                {c.rank == null ? t(W.unranked) : t(W.rankOf).replace('{n}', String(c.rank))}
              </span>
              <span className="case-title">{c.title}</span>
              <span className="muted case-unit">{c.facts.unit.name?.[lang] ?? '—'}</span>
            </li>
          ))}
        </ol>
        {current && <CaseDetail c={current} />}
      </div>
      {mode.kind === 'confirm' && (
        <p className="case-confirm error" role="alert">
          {t(W.confirmRemove).replace('{title}', mode.c.title)}
        </p>
      )}
      {mode.kind === 'export' && (
        <fieldset className="case-formats" aria-label="export-format">
          <legend>{t(W.exportAs)}</legend>
          {CASE_FORMATS.map((f, i) => (
            <button
              key={f}
              type="button"
              className={i === mode.choice ? 'active' : ''}
              onClick={() => void exportAs(f)}
            >
              {i + 1} {FORMAT_NAMES[f]}
            </button>
          ))}
        </fieldset>
      )}
      {note && (
        <p className={note.error ? 'error' : 'case-note'} role="status">
          {note.text}
        </p>
      )}
      <p className="hint">{t(W.keys)}</p>
      {mode.kind === 'edit' && (
        <CaseForm
          heading={t(W.edit)}
          subject={mode.c.facts.number ?? undefined}
          initial={{ title: mode.c.title, writeUp: mode.c.writeUp }}
          onClose={() => setMode({ kind: 'list' })}
          onSubmit={async ({ title, writeUp }) => {
            const r = await api.call('cases.update', { id: mode.c.id, title, writeUp })
            if (!r.ok) return { message: errorText(r.error, lang), field: r.error.field }
            setMode({ kind: 'list' })
            say(t(W.saved))
            await load(mode.c.id)
            return null
          }}
        />
      )}
    </div>
  )
}
