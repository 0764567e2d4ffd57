// The intake's pure parts: the form to `ticket.create` args (checked by the shared schema), the
// draft round trip, the client checks, the core's field names back onto the form, the pickers'
// options (leaves only, full path, places that fit together) and the repeat-call note.
import { beforeAll, describe, expect, it } from 'vitest'
import { ticketDraftSchema } from '../../src/shared/actions'
import { uuidv7 } from '../../src/shared/ids'
import type { ReferenceData } from '../../src/shared/reference'
import { isLeafCategory } from '../../src/shared/reference-data'
import { loadReferenceData } from '../../src/server/reference-files'
import { buildNames, type Names } from '../../src/renderer/state/reference'
import {
  checkForm,
  emptyForm,
  fieldOfWire,
  formFromDraft,
  hasContent,
  needsNumberConfirm,
  ticketOf,
  unknownPlaces,
  type IntakeForm,
} from '../../src/renderer/intake/form'
import {
  categoryFullPath,
  categoryOptions,
  communityOptions,
  streetOptions,
  unitOf,
} from '../../src/renderer/intake/options'
import { repeatCallText } from '../../src/renderer/intake/submit'

let data: ReferenceData
let names: Names
beforeAll(async () => {
  data = await loadReferenceData()
  names = buildNames(data)
})

const filled = (over: Partial<IntakeForm> = {}): IntakeForm => ({
  ...emptyForm(),
  phone: '138 0000 1000',
  name: '张先生',
  category: '030101',
  district: '321102',
  address: ' 中山东路1号 ',
  description: '夜间施工噪音',
  ...over,
})

describe('the intake form', () => {
  it('makes ticket.create args the shared schema accepts', () => {
    const t = ticketDraftSchema.parse(ticketOf(filled(), uuidv7()))
    expect(t.caller).toMatchObject({ name: '张先生', phone: '13800001000', anonymous: false })
    expect(t.location).toMatchObject({ address: '中山东路1号', district: '321102', street: null })
  })

  it('keeps an anonymous caller’s number for the callback, never their name', () => {
    const t = ticketDraftSchema.parse(ticketOf(filled({ anonymous: true }), uuidv7()))
    expect(t.caller).toMatchObject({ name: null, phone: '13800001000', anonymous: true })
  })

  it('names what is missing, in field order', () => {
    const errs = checkForm({ ...emptyForm(), phone: '13800001000' })
    expect(errs.map((e) => e.field)).toEqual(['category', 'address', 'description'])
    expect(errs[1]!.message.zh).toContain('详细地址')
    expect(checkForm(filled())).toEqual([])
  })

  it('checks the number by the phone rules, the reason in Chinese, before the core does', () => {
    const [e] = checkForm(filled({ phone: '2811234' }))
    expect(e).toEqual({
      field: 'phone',
      message: {
        zh: '来电号码有误：座机号码请加区号（如 0511-85551234）',
        en: 'Phone is not valid: add the area code (e.g. 0511-85551234)',
      },
    })
    expect(checkForm(filled({ phone: '' }))).toEqual([])
    const long = checkForm(filled({ description: '长'.repeat(4001) }))
    expect(long[0]!.message.zh).toBe('诉求内容不能超过 4000 字（现为 4001 字）')
  })

  it('asks before saving no number when the caller agreed to a callback', () => {
    expect(needsNumberConfirm(filled({ phone: '' }))).toBe(true)
    expect(needsNumberConfirm(filled({ phone: ' ', callbackConsent: false }))).toBe(false)
    expect(needsNumberConfirm(filled())).toBe(false)
  })

  it('keeps places the reference data does not know as text with the address, flagged', () => {
    const f = filled({ street: '', streetText: '梦溪路', communityText: '幸福里' })
    expect(unknownPlaces(f)).toBe('（街道“梦溪路”、社区“幸福里”不在地名库中，按来电人所说记录）')
    expect(ticketOf(f, uuidv7()).location.address).toBe(`中山东路1号${unknownPlaces(f)}`)
    // A place picked from the list wins over leftover text.
    expect(unknownPlaces(filled({ district: '321102', districtText: '京口' }))).toBe('')
    expect(hasContent({ ...emptyForm(), communityText: '幸福里' })).toBe(true)
  })

  it('maps the core’s dotted fields onto the form', () => {
    expect(fieldOfWire('ticket.caller.phone')).toBe('phone')
    expect(fieldOfWire('ticket.location.address')).toBe('address')
    expect(fieldOfWire('ticket.description')).toBe('description')
    expect(fieldOfWire('text')).toBe('answer')
    expect(fieldOfWire('ticket.id')).toBeNull()
    expect(fieldOfWire(undefined)).toBeNull()
  })

  it('round-trips through a draft and shrugs off a malformed one', () => {
    const f = filled({ kind: 'consultation', kindSet: true })
    expect(formFromDraft(JSON.parse(JSON.stringify(f)))).toEqual(f)
    const bad = formFromDraft({ phone: 5, kind: 'nonsense', anonymous: 'yes', description: 'x' })
    expect(bad).toEqual({ ...emptyForm(), description: 'x' })
  })

  it('counts a number the switch gave as no content of its own', () => {
    expect(hasContent(emptyForm())).toBe(false)
    expect(hasContent({ ...emptyForm(), phone: '13800001000' }, '13800001000')).toBe(false)
    expect(hasContent({ ...emptyForm(), phone: '13800001000' })).toBe(true)
  })
})

describe('the pickers’ options', () => {
  it('finds leaf categories by pinyin initials, with the full path', () => {
    const [first] = categoryOptions(names, 'jzsgzy', 'zh')
    expect(first).toMatchObject({
      code: '030101',
      label: '建筑施工噪音',
      path: '生态环境 › 噪音扰民',
    })
    expect(categoryFullPath(names, '030101', 'en')).toMatch(/›.*›/)
  })

  it('offers only leaves, a branch by its leaves', () => {
    const opts = categoryOptions(names, '噪音扰民', 'zh')
    expect(opts.length).toBeGreaterThan(3)
    for (const o of opts) expect(isLeafCategory(data.categories, o.code)).toBe(true)
    for (const o of categoryOptions(names, 'gs', 'zh'))
      expect(isLeafCategory(data.categories, o.code)).toBe(true)
  })

  it('lists the streets of a district and the communities of a street', () => {
    const streets = streetOptions(names, '', '321102', 'zh')
    expect(streets.length).toBeGreaterThan(2)
    for (const s of streets) expect(unitOf(names, s.code)?.districts).toContain('321102')
    const withCommunities = data.units.find((u) => u.type === 'community')!.parent!
    const communities = communityOptions(names, '', { district: '', street: withCommunities }, 'zh')
    expect(communities.length).toBeGreaterThan(0)
    for (const c of communities) expect(unitOf(names, c.code)?.parent).toBe(withCommunities)
  })
})

describe('the repeat-call note', () => {
  it('says who (masked), when and what', () => {
    const text = repeatCallText(filled(), 'zh', Date.parse('2026-11-28T01:10:00Z'))
    expect(text).toBe('【重复来电】张先生（138****1000）于 11-28 09:10 再次来电反映：夜间施工噪音')
    const anon = repeatCallText(filled({ anonymous: true, description: '' }), 'en')
    expect(anon).toMatch(
      /^\[Repeat call\] anonymous caller \(138\*\*\*\*1000\) called again .*nothing/,
    )
  })
})
