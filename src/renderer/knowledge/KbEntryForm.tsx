// Writing a knowledge entry: a supervisor's edit or new entry, or a unit's proposal. One field a
// line, in the order an editor fills them; Ctrl+Enter saves (or proposes), Esc cancels. Lists are
// typed one item a line (question forms) or separated by spaces or commas (keywords, categories).
// What the server refuses is shown beside the field it names, and the text stays.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { KbEntry, KbEntryInputRaw } from '../../shared/knowledge'
import { useDialog } from '../input/use-dialog'
import { useKbWords } from './words'

type Fields = Record<
  | 'title'
  | 'questions'
  | 'answer'
  | 'categories'
  | 'keywords'
  | 'unit'
  | 'sourceName'
  | 'sourceNumber'
  | 'sourceUrl'
  | 'validFrom'
  | 'validUntil'
  | 'reviewBy',
  string
>

export const LABELS: Record<keyof Fields, { zh: string; en: string }> = {
  title: { zh: '标题', en: 'Title' },
  questions: { zh: '常见问法（每行一条）', en: 'Asked as (one a line)' },
  answer: { zh: '答复（Markdown）', en: 'Answer (Markdown)' },
  categories: { zh: '分类代码', en: 'Category codes' },
  keywords: { zh: '关键词', en: 'Keywords' },
  unit: { zh: '责任单位代码', en: 'Owning unit code' },
  sourceName: { zh: '政策文件', en: 'Policy document' },
  sourceNumber: { zh: '文号', en: 'Document number' },
  sourceUrl: { zh: '网址', en: 'Link' },
  validFrom: { zh: '生效日期', en: 'In force from' },
  validUntil: { zh: '失效日期', en: 'In force until' },
  reviewBy: { zh: '复核日期', en: 'Review by' },
}
/** A changed field of an entry (kbChangedFields) in words. */
export const changedLabel = (field: string, lang: 'zh' | 'en'): string =>
  (LABELS[(field === 'source' ? 'sourceName' : field) as keyof Fields]?.[lang] ?? field).replace(
    /（.*）|\s*\(.*\)/,
    '',
  )

/** The wire field an error names → the form's field. */
const FIELD_OF: Record<string, keyof Fields> = {
  'entry.source.name': 'sourceName',
  'entry.source.number': 'sourceNumber',
  'entry.source.url': 'sourceUrl',
}

type Source = Pick<
  KbEntry,
  'title' | 'questions' | 'answer' | 'categories' | 'keywords' | 'unit' | 'source'
> &
  Partial<Pick<KbEntry, 'validFrom' | 'validUntil' | 'reviewBy'>>

const fieldsOf = (e: Source | null, unit: string | null): Fields => ({
  title: e?.title ?? '',
  questions: e?.questions?.join('\n') ?? '',
  answer: e?.answer ?? '',
  categories: e?.categories.join(' ') ?? '',
  keywords: e?.keywords.join(' ') ?? '',
  unit: e?.unit ?? unit ?? '',
  sourceName: e?.source?.name ?? '',
  sourceNumber: e?.source?.number ?? '',
  sourceUrl: e?.source?.url ?? '',
  validFrom: e?.validFrom ?? '',
  validUntil: e?.validUntil ?? '',
  reviewBy: e?.reviewBy ?? '',
})

const list = (s: string, sep: RegExp) =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean)

const sourceOf = (d: KbEntryInputRaw): Source => ({
  title: d.title,
  questions: d.questions ?? [],
  answer: d.answer,
  categories: d.categories ?? [],
  keywords: d.keywords ?? [],
  unit: d.unit,
  source: d.source
    ? { name: d.source.name, number: d.source.number ?? null, url: d.source.url ?? null }
    : null,
  validFrom: d.validFrom ?? null,
  validUntil: d.validUntil ?? null,
  reviewBy: d.reviewBy ?? null,
})

export function inputOf(f: Fields): KbEntryInputRaw {
  return {
    title: f.title,
    questions: list(f.questions, /\n/),
    answer: f.answer,
    categories: list(f.categories, /[\s,，、]+/),
    keywords: list(f.keywords, /[\s,，、]+/),
    unit: f.unit.trim(),
    source: f.sourceName.trim()
      ? { name: f.sourceName, number: f.sourceNumber || null, url: f.sourceUrl || null }
      : null,
    validFrom: f.validFrom.trim() || null,
    validUntil: f.validUntil.trim() || null,
    reviewBy: f.reviewBy.trim() || null,
  }
}

export function KbEntryForm(props: {
  heading: string
  entry: KbEntry | null
  /** A new entry's starting values (a ticket's reply, Shift+K). */
  draft?: KbEntryInputRaw
  /** A unit's own code: new proposals are for it. */
  unit: string | null
  lang: 'zh' | 'en'
  /** Saves; answers the error (and the wire field it names) or null when done. */
  onSubmit(input: KbEntryInputRaw): Promise<{ message: string; field?: string } | null>
  onClose(): void
}) {
  const w = useKbWords()
  const [f, setF] = useState<Fields>(() =>
    fieldsOf(props.entry ?? (props.draft ? sourceOf(props.draft) : null), props.unit),
  )
  const [error, setError] = useState<{ message: string; field?: keyof Fields | null } | null>(null)
  const [busy, setBusy] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const first = useRef<HTMLInputElement>(null)
  const trap = useDialog(root)
  useEffect(() => first.current?.focus(), [])

  const submit = async () => {
    if (busy) return
    setBusy(true)
    const e = await props.onSubmit(inputOf(f))
    setBusy(false)
    if (!e) return
    const wire = e.field ?? ''
    const field = FIELD_OF[wire] ?? (wire.replace(/^entry\./, '').split('.')[0] as keyof Fields)
    setError({ message: e.message, field: field in LABELS ? field : null })
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
    else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  const row = (k: keyof Fields, multi = 0) => (
    <label key={k} className={error?.field === k ? 'invalid' : ''}>
      <span>{LABELS[k][props.lang]}</span>
      {multi ? (
        <textarea
          rows={multi}
          aria-label={`kb-${k}`}
          value={f[k]}
          aria-invalid={error?.field === k}
          onChange={(e) => setF({ ...f, [k]: e.target.value })}
        />
      ) : (
        <input
          ref={k === 'title' ? first : undefined}
          aria-label={`kb-${k}`}
          value={f[k]}
          aria-invalid={error?.field === k}
          onChange={(e) => setF({ ...f, [k]: e.target.value })}
        />
      )}
      {error?.field === k && <span className="error">{error.message}</span>}
    </label>
  )
  return (
    <div
      className="dialog kb-form"
      role="dialog"
      aria-label={props.heading}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
      tabIndex={-1}
      ref={root}
      data-testid="kb-form"
    >
      <h2>{props.heading}</h2>
      {row('title')}
      {row('questions', 3)}
      {row('answer', 7)}
      {row('categories')}
      {row('keywords')}
      {row('unit')}
      {row('sourceName')}
      {row('sourceNumber')}
      {row('sourceUrl')}
      {row('validFrom')}
      {row('validUntil')}
      {row('reviewBy')}
      {error && !error.field && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <p className="hint">{w('formKeys')}</p>
    </div>
  )
}
