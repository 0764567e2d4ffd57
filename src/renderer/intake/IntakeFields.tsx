// The intake form's fields in call order (the DOM order is the Tab order): caller, what kind of
// request, category, urgency, where, what. Picking a place keeps district, street and community
// consistent; a place the reference data does not know is kept as typed, flagged. Picking a
// category applies its kind and urgency hints only where the agent has not chosen, and says so
// beside the field — a kind never changes silently. The description counts its characters.
import { useState, type ReactNode } from 'react'
import { CHANNEL_LABELS, KIND_LABELS, URGENCY_LABELS } from '../../shared/labels'
import { CHANNELS, KINDS, URGENCIES } from '../../shared/ticket'
import { useLang, useT } from '../i18n'
import type { Names } from '../state/reference'
import { DESCRIPTION_MAX, type FieldId, type IntakeForm } from './form'
import {
  categoryFullPath,
  categoryHints,
  categoryOptions,
  communityOptions,
  districtName,
  districtOptions,
  streetOptions,
  unitName,
  unitOf,
} from './options'
import { Picker } from './Picker'
import { CategoryProposals, withCategory, type Proposals } from './CategoryProposals'
import { Segmented } from './Segmented'
import { useWords } from './words'

export interface FieldsProps {
  form: IntakeForm
  update(fn: (f: IntakeForm) => IntakeForm): void
  names: Names
  errors: Partial<Record<FieldId, string>>
  /** Saving without a number though the caller agreed to a callback: asked to confirm. */
  confirmEmpty?: boolean
  showAnswer: boolean
  /** Moves the focus to the field after `from` (Enter, a pick). */
  next(from: HTMLElement): void
  /** Categories triage proposes from the description (CategoryProposals). */
  proposals?: Proposals
}

function Row(props: {
  label: string
  field?: FieldId
  error?: string | null
  /** A word beside the field that is not an error (a hint applied, a question). */
  notice?: string | null
  /** Takes the height the other rows leave (the description). */
  grow?: boolean
  children: ReactNode
}) {
  return (
    <div className={`row ${props.grow ? 'grow' : ''} ${props.error ? 'has-error' : ''}`}>
      <span className="label">{props.label}</span>
      <div className="controls">
        {props.children}
        {props.error && (
          <div className="field-error" role="alert" data-error-for={props.field}>
            {props.error}
          </div>
        )}
        {!props.error && props.notice && (
          <div className="field-notice" role="status" data-notice-for={props.field}>
            {props.notice}
          </div>
        )}
      </div>
    </div>
  )
}

export function IntakeFields(props: FieldsProps) {
  const { form: f, names, errors } = props
  const w = useWords()
  const t = useT()
  const lang = useLang()
  const set = <K extends keyof IntakeForm>(k: K, v: IntakeForm[K]) =>
    props.update((x) => ({ ...x, [k]: v }))
  const text = (k: 'phone' | 'name' | 'company' | 'address') => ({
    'data-field': k,
    'aria-label': w(k),
    'aria-invalid': errors[k] ? true : undefined,
    value: f[k],
    onChange: (e: { target: { value: string } }) => set(k, e.target.value),
  })

  // What a category's hint changed, said beside the field it changed (cleared when the agent
  // chooses there themselves).
  const [hinted, setHinted] = useState<{ kind?: string; urgency?: string }>({})
  const pickCategory = (code: string) => {
    const hint = categoryHints(names, code)
    const kind = !f.kindSet && hint?.defaultKind && hint.defaultKind !== f.kind
    const urgency = !f.urgencySet && hint?.defaultUrgency && hint.defaultUrgency !== f.urgency
    // 「咨询」（原为「投诉」）in Chinese, "Consultation" (was "Complaint") in English.
    const note = (to: string, was: string) =>
      lang === 'zh'
        ? `${w('hintApplied')}「${to}」（${w('hintWas')}「${was}」）· ${w('hintUndo')}`
        : `${w('hintApplied')} "${to}" (${w('hintWas')} "${was}") · ${w('hintUndo')}`
    setHinted({
      ...(kind ? { kind: note(t(KIND_LABELS[hint.defaultKind!]), t(KIND_LABELS[f.kind])) } : {}),
      ...(urgency
        ? { urgency: note(t(URGENCY_LABELS[hint.defaultUrgency!]), t(URGENCY_LABELS[f.urgency])) }
        : {}),
    })
    props.update((x) => withCategory(x, names, code))
  }
  const freeText = (k: 'districtText' | 'streetText' | 'communityText') => ({
    value: f[k],
    flag: w('unknownPlace'),
    onChange: (text: string) => set(k, text),
  })
  const pickDistrict = (code: string) =>
    props.update((x) => {
      const keep = (c: string) => !c || (unitOf(names, c)?.districts.includes(code) ?? false)
      return {
        ...x,
        district: code,
        street: keep(x.street) ? x.street : '',
        community: keep(x.community) ? x.community : '',
      }
    })
  const pickStreet = (code: string) =>
    props.update((x) => {
      const u = unitOf(names, code)
      const only = u?.districts.length === 1 ? u.districts[0]! : x.district
      const community = x.community && unitOf(names, x.community)?.parent === code
      return { ...x, street: code, district: only, community: community ? x.community : '' }
    })
  const pickCommunity = (code: string) =>
    props.update((x) => {
      const u = unitOf(names, code)
      const parent = u?.parent ? unitOf(names, u.parent) : undefined
      const isStreet = parent?.type === 'street' || parent?.type === 'town'
      const district = u?.districts.length === 1 ? u.districts[0]! : x.district
      return { ...x, community: code, street: isStreet ? parent.code : x.street, district }
    })

  return (
    <div className="intake-form">
      <Row
        label={w('phone')}
        field="phone"
        error={errors.phone ?? errors.name}
        notice={props.confirmEmpty ? w('confirmNoNumber') : null}
      >
        <input {...text('phone')} className="phone" inputMode="tel" autoComplete="off" />
        <span className="inline-label">{w('name')}</span>
        <input
          {...text('name')}
          className="name"
          disabled={f.anonymous}
          placeholder={f.anonymous ? w('anonymousName') : ''}
          value={f.anonymous ? '' : f.name}
        />
        <label className="check">
          <input
            type="checkbox"
            data-field="anonymous"
            checked={f.anonymous}
            onChange={(e) => set('anonymous', e.target.checked)}
          />
          {w('anonymous')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-field="callbackConsent"
            checked={f.callbackConsent}
            onChange={(e) => set('callbackConsent', e.target.checked)}
          />
          {w('callbackConsent')}
        </label>
      </Row>
      <Row label={w('company')} field="company" error={errors.company}>
        <input {...text('company')} className="wide" placeholder={w('companyHint')} />
      </Row>
      <Row label={w('channel')} field="channel" error={errors.channel}>
        <Segmented
          field="channel"
          label={w('channel')}
          values={CHANNELS}
          value={f.channel}
          text={(v) => t(CHANNEL_LABELS[v])}
          onChange={(v) => set('channel', v)}
        />
      </Row>
      <Row label={w('kind')} field="kind" error={errors.kind} notice={hinted.kind}>
        <Segmented
          field="kind"
          label={w('kind')}
          values={KINDS}
          value={f.kind}
          text={(v) => t(KIND_LABELS[v])}
          onChange={(v) => {
            setHinted((h) => ({ ...h, kind: undefined }))
            props.update((x) => ({ ...x, kind: v, kindSet: true }))
          }}
        />
      </Row>
      <Row label={w('category')} field="category" error={errors.category}>
        <Picker
          field="category"
          label={w('category')}
          value={f.category}
          valueText={f.category ? categoryFullPath(names, f.category, lang) : ''}
          placeholder={w('categoryHint')}
          error={errors.category}
          options={(q) => categoryOptions(names, q, lang)}
          noMatch={w('noMatch')}
          onPick={pickCategory}
          onPicked={props.next}
          onClear={() => set('category', '')}
        />
        {props.proposals && (
          <CategoryProposals
            proposals={props.proposals}
            chosen={f.category}
            names={names}
            onTake={pickCategory}
          />
        )}
      </Row>
      <Row label={w('urgency')} field="urgency" error={errors.urgency} notice={hinted.urgency}>
        <Segmented
          field="urgency"
          label={w('urgency')}
          values={URGENCIES}
          value={f.urgency}
          text={(v) => t(URGENCY_LABELS[v])}
          onChange={(v) => {
            setHinted((h) => ({ ...h, urgency: undefined }))
            props.update((x) => ({ ...x, urgency: v, urgencySet: true }))
          }}
        />
      </Row>
      <Row
        label={w('district')}
        field="district"
        error={errors.district ?? errors.street ?? errors.community}
      >
        <div className="places">
          <Picker
            field="district"
            label={w('district')}
            value={f.district}
            valueText={districtName(names, f.district, lang)}
            options={(q) => districtOptions(names, q, lang)}
            noMatch={w('noMatch')}
            onPick={pickDistrict}
            onPicked={props.next}
            onClear={() => props.update((x) => ({ ...x, district: '' }))}
            freeText={freeText('districtText')}
          />
          <span className="inline-label">{w('street')}</span>
          <Picker
            field="street"
            label={w('street')}
            value={f.street}
            valueText={f.street ? unitName(names, f.street, lang) : ''}
            options={(q) => streetOptions(names, q, f.district, lang)}
            noMatch={w('noMatch')}
            onPick={pickStreet}
            onPicked={props.next}
            onClear={() => props.update((x) => ({ ...x, street: '', community: '' }))}
            freeText={freeText('streetText')}
          />
          <span className="inline-label">{w('community')}</span>
          <Picker
            field="community"
            label={w('community')}
            value={f.community}
            valueText={f.community ? unitName(names, f.community, lang) : ''}
            options={(q) => communityOptions(names, q, f, lang)}
            noMatch={w('noMatch')}
            onPick={pickCommunity}
            onPicked={props.next}
            onClear={() => set('community', '')}
            freeText={freeText('communityText')}
          />
        </div>
      </Row>
      <Row label={w('address')} field="address" error={errors.address}>
        <input {...text('address')} className="wide" autoComplete="off" />
      </Row>
      <Row label={w('description')} field="description" error={errors.description} grow>
        <textarea
          data-field="description"
          aria-label={w('description')}
          aria-invalid={errors.description ? true : undefined}
          rows={5}
          value={f.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <span
          className={`counter ${f.description.trim().length > DESCRIPTION_MAX ? 'over' : ''}`}
          data-testid="description-count"
        >
          {f.description.trim().length} / {DESCRIPTION_MAX}
        </span>
      </Row>
      {props.showAnswer && (
        <Row label={w('answer')} field="answer" error={errors.answer}>
          <textarea
            data-field="answer"
            aria-label={w('answer')}
            aria-invalid={errors.answer ? true : undefined}
            rows={3}
            placeholder={w('answerHint')}
            value={f.answer}
            onChange={(e) => set('answer', e.target.value)}
          />
        </Row>
      )}
    </div>
  )
}
