// What a public Open311 read may show (src/shared/publication.ts, issue 12): which requests, for
// the public and for the channel that posted them, and every field built from the ticket.
import { describe, expect, it } from 'vitest'
import {
  open311UserId,
  PUBLIC,
  publicationRefusal,
  publicView,
  streetLevel,
} from '../../src/shared/publication'
import type { Ticket } from '../../src/shared/ticket'
import { inState } from '../helpers/workflow'

const base = (over: Partial<Ticket> = {}): Ticket => ({
  ...inState('in_progress').ticket,
  number: '20260302000001',
  ...over,
})
const posted = (over: Partial<Ticket> = {}) =>
  base({ channel: 'open311', createdBy: open311UserId('web'), ...over })

describe('which requests a public read shows', () => {
  const cases: Array<[string, Ticket, string | null]> = [
    ['a phone call', base(), 'not_consented'],
    ['a phone call marked publishable', base({ publishable: true }), null],
    ['posted through Open311', posted(), null],
    ['not numbered yet', posted({ number: null }), 'unnumbered'],
    [
      'an anonymous caller, even marked',
      base({ publishable: true, caller: { ...base().caller, anonymous: true } }),
      'anonymous',
    ],
    ['a report, even posted', posted({ kind: 'report' }), 'report'],
  ]
  it.each(cases)('%s', (_name, t, refusal) => {
    expect(publicationRefusal(t, PUBLIC)).toBe(refusal)
  })

  it('lets the channel that posted a request follow it, and only that channel', () => {
    const report = posted({ kind: 'report', caller: { ...base().caller, anonymous: true } })
    expect(publicationRefusal(report, { channel: 'web' })).toBeNull()
    expect(publicationRefusal(report, { channel: 'wechat' })).toBe('anonymous')
    expect(publicationRefusal(base(), { channel: 'web' })).toBe('not_consented')
  })
})

describe('the fields', () => {
  it.each([
    ['镇江市京口区梦溪路 18 号 3 单元 502 室', '镇江市京口区梦溪路'],
    ['镇江市润州区南徐大道６号', '镇江市润州区南徐大道'],
    ['学府路与梦溪路交叉口', '学府路'],
    ['金山花园小区 5 栋 301', '金山花园小区'],
    ['金山花园小区五栋', '金山花园小区'],
    ['解放路十八号', '解放路'],
    ['1234 5th street, apt 2', '5th street'],
    ['18 号楼 302', null],
    ['镇江市京口区梦溪路 地址编号：A-17', '镇江市京口区梦溪路'],
  ])('cuts %s to %s', (address, street) => {
    expect(streetLevel(address)).toBe(street)
  })

  const ctx = {
    unitName: (c: string) => (c === 'JK-ZDL' ? '正东路街道' : null),
    districtName: () => '京口区',
    mergedInto: null,
    extendedUntil: null,
  }

  it('masks the caller and numbers, rounds coordinates, falls back to the district', () => {
    const t = base({
      publishable: true,
      caller: { ...base().caller, name: '钱多多', phone: '13912345678' },
      description: '钱多多说：电话 １３９１２３４５６７８，身份证 32110219800101123X',
      location: { ...base().location, address: '18 号 502', lat: 32.204415, lng: 119.452071 },
    })
    const v = publicView(t, ctx)
    expect(v.description).toBe('钱**说：电话 139****5678，身份证 321****123X')
    expect(v).toMatchObject({ address: '京口区', lat: 32.204, lng: 119.452, mediaUrl: null })
  })

  it('gives no reason for a cancel, and the reply masked', () => {
    const cancelled = base({ status: 'cancelled' })
    expect(publicView(cancelled, ctx).statusNotes).toBe('已作废')
    const replied = base({
      status: 'replied',
      caller: { ...base().caller, name: '钱多多' },
      resolution: {
        kind: 'replied',
        text: '已电话告知钱多多（139 1234 5678），路灯已修复',
        resolved: true,
        at: '2026-03-02T02:00:00.000Z',
        by: 'u',
      },
    })
    expect(publicView(replied, ctx).statusNotes).toBe('已电话告知钱**（139****5678），路灯已修复')
  })
})
