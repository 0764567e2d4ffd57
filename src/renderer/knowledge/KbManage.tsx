// 知识库管理 (G K): supervisors and admins write entries — new, edit, publish, retire, with every
// change a new version (H shows them) — and work the review queue of units' proposals (A approves
// and publishes, F refuses with a reason). Unit staff see their own unit's entries and propose
// new ones or edits (N, Enter), and follow their proposals. Asks the server (online only); what
// it refuses is said with its reason.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import {
  kbChangedFields,
  kbInputOf,
  type KbEntry,
  type KbEntryInputRaw,
  type KbProposal,
  type KbStats,
  type KbVersion,
} from '../../shared/knowledge'
import { Markdown } from './Markdown'
import { KbStatsView } from './KbStatsView'
import type { Role } from '../../shared/ticket'
import { useDialog } from '../input/use-dialog'
import { formatTime, useLang } from '../i18n'
import { errorText, useApi } from '../state/api'
import { changedLabel, KbEntryForm } from './KbEntryForm'
import { useKbWords } from './words'
import './knowledge.css'

type Mode =
  | { kind: 'list' }
  | { kind: 'form'; entry: KbEntry | null }
  | { kind: 'reason'; for: 'retire' | 'refuse'; text: string }
  | { kind: 'history'; versions: KbVersion[] }
  | { kind: 'preview'; p: KbProposal; current: KbEntry | null }
  | { kind: 'stats'; s: KbStats }

export function KbManage(props: {
  role: Role
  unit: string | null
  /** Opened on a ticket's reply (Shift+K): the new entry's form, pre-filled. */
  draft?: KbEntryInputRaw
  onClose(): void
}) {
  const api = useApi()
  const lang = useLang()
  const w = useKbWords()
  const editor = props.role === 'supervisor' || props.role === 'admin'
  const [tab, setTab] = useState<'entries' | 'queue'>('entries')
  const [entries, setEntries] = useState<KbEntry[] | null>(null)
  const [proposals, setProposals] = useState<KbProposal[] | null>(null)
  const [at, setAt] = useState(0)
  const [mode, setMode] = useState<Mode>(
    props.draft ? { kind: 'form', entry: null } : { kind: 'list' },
  )
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null)
  const root = useRef<HTMLDivElement>(null)
  const trap = useDialog(root)

  const load = useCallback(async () => {
    const [e, p] = await Promise.all([
      // A unit works on its own unit's entries (the others' published ones are not its to change).
      api.call('kb.list', !editor && props.unit ? { unit: props.unit } : {}),
      api.call('kb.proposals', editor ? { status: 'pending' } : {}),
    ])
    if (e.ok) setEntries(e.value)
    else setNote({ text: errorText(e.error, lang), error: true })
    if (p.ok) setProposals(p.value)
  }, [api, lang, editor, props.unit])
  useEffect(() => void load(), [load])
  useEffect(() => {
    if (mode.kind === 'list' || mode.kind === 'history') root.current?.focus()
  }, [mode.kind])

  const rows: Array<KbEntry | KbProposal> = (tab === 'entries' ? entries : proposals) ?? []
  const cur = rows[Math.min(at, rows.length - 1)]
  const entry = tab === 'entries' ? (cur as KbEntry | undefined) : undefined
  const proposal = tab === 'queue' ? (cur as KbProposal | undefined) : undefined
  const done = async (text: string) => {
    setMode({ kind: 'list' })
    setNote({ text, error: false })
    await load()
  }
  const fail = (e: { localized?: { zh: string; en: string }; message: string }) =>
    setNote({ text: e.localized?.[lang] ?? e.message, error: true })

  const publish = async (e: KbEntry) => {
    const r = await api.call('kb.publish', { id: e.id, baseVersion: e.version })
    if (r.ok) await done(`${w('published')}：${r.value.title} v${r.value.version}`)
    else fail(r.error)
  }
  const decide = async (p: KbProposal, approve: boolean, reason?: string) => {
    const r = await api.call('kb.decide', { id: p.id, approve, ...(reason ? { reason } : {}) })
    if (r.ok) await done(`${w(approve ? 'approved' : 'refused')}：${p.entry.title}`)
    else fail(r.error)
  }
  const reasonDone = async (text: string) => {
    if (mode.kind !== 'reason' || !text.trim()) return
    if (mode.for === 'retire' && entry) {
      const r = await api.call('kb.retire', {
        id: entry.id,
        baseVersion: entry.version,
        reason: text,
      })
      if (r.ok) await done(`${w('retired')}：${r.value.title}`)
      else fail(r.error)
    } else if (mode.for === 'refuse' && proposal) await decide(proposal, false, text)
  }

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (mode.kind === 'form' || e.nativeEvent.isComposing) return
    if (mode.kind === 'reason') {
      if (e.key === 'Escape') setMode({ kind: 'list' })
      else if (e.key === 'Enter') void reasonDone(mode.text)
      else return
    } else if (mode.kind === 'history') {
      if (e.key === 'Escape' || e.key === 'h' || e.key === 'H') setMode({ kind: 'list' })
      else return
    } else if (mode.kind === 'stats') {
      if (e.key === 'Escape' || e.key === 'm' || e.key === 'M') setMode({ kind: 'list' })
      else return
    } else if (mode.kind === 'preview') {
      if (e.key === 'Escape') setMode({ kind: 'list' })
      else if (editor && (e.key === 'a' || e.key === 'A')) void decide(mode.p, true)
      else if (editor && (e.key === 'f' || e.key === 'F'))
        setMode({ kind: 'reason', for: 'refuse', text: '' })
      else return
    } else if (e.key === 'Escape') props.onClose()
    else if (e.key === 'Tab' && !e.ctrlKey && !e.altKey) {
      setTab((t) => (t === 'entries' ? 'queue' : 'entries'))
      setAt(0)
    } else if (e.key === 'j' || e.key === 'ArrowDown')
      setAt((i) => Math.min(i + 1, rows.length - 1))
    else if (e.key === 'k' || e.key === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (tab === 'entries' && (e.key === 'n' || e.key === 'N'))
      setMode({ kind: 'form', entry: null })
    else if (tab === 'entries' && e.key === 'Enter' && entry) setMode({ kind: 'form', entry })
    else if (tab === 'entries' && editor && (e.key === 'p' || e.key === 'P') && entry)
      void publish(entry)
    else if (tab === 'entries' && editor && (e.key === 'r' || e.key === 'R') && entry)
      setMode({ kind: 'reason', for: 'retire', text: '' })
    else if (tab === 'entries' && (e.key === 'h' || e.key === 'H') && entry)
      void api.call('kb.history', { id: entry.id }).then((r) => {
        if (r.ok) setMode({ kind: 'history', versions: r.value.versions })
        else fail(r.error)
      })
    else if (e.key === 'm' || e.key === 'M')
      void api.call('kb.stats', {}).then((r) => {
        if (r.ok) setMode({ kind: 'stats', s: r.value })
        else fail(r.error)
      })
    else if (tab === 'queue' && e.key === 'Enter' && proposal) {
      const id = proposal.entryId
      if (!id) setMode({ kind: 'preview', p: proposal, current: null })
      else
        void api.call('kb.history', { id }).then((r) => {
          setMode({ kind: 'preview', p: proposal, current: r.ok ? r.value.entry : null })
        })
    } else if (tab === 'queue' && editor && (e.key === 'a' || e.key === 'A') && proposal)
      void decide(proposal, true)
    else if (tab === 'queue' && editor && (e.key === 'f' || e.key === 'F') && proposal)
      setMode({ kind: 'reason', for: 'refuse', text: '' })
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  const status = (e: KbEntry) => w(e.status === 'published' ? 'published' : e.status)
  return (
    <div
      className="kb-search kb-manage"
      role="dialog"
      aria-label={w('manage')}
      tabIndex={-1}
      ref={root}
      onKeyDown={onKey}
      onKeyDownCapture={mode.kind === 'list' ? undefined : trap.onKeyDownCapture}
      data-testid="kb-manage"
    >
      <header>
        <h2>{w('manage')}</h2>
        <span className={tab === 'entries' ? 'tab on' : 'tab'}>
          {w('entries')} {entries?.length ?? ''}
        </span>
        <span className={tab === 'queue' ? 'tab on' : 'tab'} data-testid="kb-queue-tab">
          {w('reviewQueue')} {proposals?.length ?? ''}
        </span>
        {note && (
          <span className={note.error ? 'error' : 'ok'} role="status">
            {note.text}
          </span>
        )}
      </header>
      <div className="kb-search-body">
        {mode.kind === 'stats' ? (
          <KbStatsView s={mode.s} />
        ) : mode.kind === 'preview' ? (
          <article className="kb-entry" data-testid="kb-proposal">
            <h3>
              {mode.p.entry.title} <span className="kb-mark warn">{w(mode.p.status)}</span>
            </h3>
            <p className="muted">
              {mode.current
                ? `${w('changedFields')}：${
                    kbChangedFields(kbInputOf(mode.current), mode.p.entry)
                      .map((f) => changedLabel(f, lang))
                      .join('、') || w('none')
                  }（v${mode.p.baseVersion} → v${mode.current.version + 1}）`
                : w('newProposal')}
              {mode.p.note ? ` · ${mode.p.note}` : ''}
            </p>
            <Markdown text={mode.p.entry.answer} className="md kb-answer" />
          </article>
        ) : mode.kind === 'history' ? (
          <ol className="kb-hits" data-testid="kb-history">
            {mode.versions.map((v) => (
              <li key={v.version}>
                <div className="line">
                  <span className="kb-title">v{v.version}</span>
                  <span>{v.action}</span>
                  <span className="muted">
                    {formatTime(v.at)} · {v.byName ?? v.by ?? ''}
                  </span>
                </div>
                <div className="kb-sub muted">
                  {v.changed.join(', ')} {v.note ?? ''}
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <ol className="kb-hits">
            {rows.map((r, i) => {
              const isEntry = tab === 'entries'
              const e = r as KbEntry
              const p = r as KbProposal
              return (
                <li key={r.id} className={i === at ? 'at' : ''} data-id={r.id}>
                  <div className="line">
                    <span className="kb-title">{isEntry ? e.title : p.entry.title}</span>
                    <span className="kb-mark warn">{isEntry ? status(e) : w(p.status)}</span>
                    <span className="muted">
                      {isEntry
                        ? `v${e.version} · ${e.unit} · ${w('reviewBy')} ${e.reviewBy ?? '—'}`
                        : `${p.unit} · ${p.byName ?? ''} · ${p.entryId ? `v${p.baseVersion}` : w('newProposal')} · ${formatTime(p.at)}`}
                    </span>
                  </div>
                  {!isEntry && (p.note || p.reason) && (
                    <div className="kb-sub muted">{p.reason ?? p.note}</div>
                  )}
                </li>
              )
            })}
            {rows.length === 0 && <li className="muted">{w('none')}</li>}
          </ol>
        )}
        {mode.kind === 'reason' && (
          <label className="kb-reason">
            <span>{w(mode.for === 'retire' ? 'retireReason' : 'refuseReason')}</span>
            <input
              autoFocus
              aria-label="kb-reason"
              value={mode.text}
              onChange={(e) => setMode({ ...mode, text: e.target.value })}
            />
          </label>
        )}
      </div>
      <footer className="kb-keys">
        {mode.kind === 'stats'
          ? w('statsKeys')
          : mode.kind === 'preview'
            ? w('previewKeys')
            : tab === 'queue'
              ? w('queueKeys')
              : editor
                ? w('editKeys')
                : w('unitKeys')}
      </footer>
      {mode.kind === 'form' && (
        <KbEntryForm
          heading={
            editor
              ? w(mode.entry ? 'editEntry' : props.draft ? 'fromTicket' : 'newEntry')
              : w(mode.entry ? 'proposeEdit' : 'proposeNew')
          }
          entry={mode.entry}
          draft={mode.entry ? undefined : props.draft}
          unit={props.unit}
          lang={lang}
          onClose={() => setMode({ kind: 'list' })}
          onSubmit={async (input) => {
            const e = mode.entry
            const r = editor
              ? await api.call('kb.save', {
                  ...(e ? { id: e.id, baseVersion: e.version } : {}),
                  entry: input,
                })
              : await api.call('kb.propose', {
                  entryId: e?.id ?? null,
                  baseVersion: e?.version ?? null,
                  entry: input,
                })
            if (!r.ok) return { message: errorText(r.error, lang), field: r.error.field }
            await done(w(editor ? 'saved' : 'proposed'))
            return null
          }}
        />
      )}
    </div>
  )
}
