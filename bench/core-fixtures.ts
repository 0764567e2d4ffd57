// Realistic tickets for the core benchmark, made directly (not through the rules: a million
// rule runs would dominate the set-up): ~3,500 a day over 285 days, most closed, the recent ones
// spread over the open states with deadlines, some overdue, some awaiting an extension.
import { readFileSync } from 'node:fs'
import type { ReferenceData } from '../src/shared/reference'
import { parseReferenceData } from '../src/shared/reference-data'
import type { Status, Ticket } from '../src/shared/ticket'
import { prng } from '../src/shared/prng'

const read = (p: string): unknown =>
  JSON.parse(readFileSync(new URL(`../resources/${p}`, import.meta.url), 'utf8'))

export function loadReference(): ReferenceData {
  return parseReferenceData({
    districts: read('reference/districts.json'),
    categories: read('reference/categories.json'),
    units: read('reference/units.json'),
    routing: read('reference/routing.json'),
    deadlines: read('deadline-rules.json'),
    calendar: read('calendar.json'),
  })
}

const ROADS = [
  '中山东路',
  '梦溪路',
  '学府路',
  '电力路',
  '象山路',
  '京口路',
  '解放路',
  '正东路',
  '大西路',
  '南徐大道',
  '长江路',
  '黄山路',
  '丹徒路',
  '宝塔路',
  '金山路',
  '谷阳路',
  '檀山路',
]
const ESTATES = [
  '桃花坞小区',
  '江滨新村',
  '象山花园',
  '丁卯桥小区',
  '学府雅居',
  '金润花园',
  '阳光世纪城',
  '香江花城',
  '润州花园',
  '万达广场',
  '苏宁广场',
  '银山新村',
]
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢'
const WHAT = [
  '夜间噪音扰民',
  '路灯不亮',
  '楼上漏水',
  '下水道堵塞',
  '占道经营',
  '垃圾未及时清运',
  '停水未通知',
  '燃气异味',
  '违章搭建',
  '施工扬尘',
  '宽带无法上网',
  '公交车不按站停靠',
  '物业不作为',
  '油烟污染',
  '井盖缺失',
  '广场舞音响过大',
  '电动车乱停放',
  '树木遮挡路灯',
  '小区门口积水',
  '餐馆排污',
  '拖欠工资',
  '消费纠纷',
  '供暖不热',
  '道路破损',
]
const DETAIL = [
  '已持续一周',
  '多次反映未解决',
  '影响老人休息',
  '存在安全隐患',
  '希望尽快处理',
  '请相关部门核实',
  '晚上十点以后尤其严重',
  '孩子无法学习',
  '周边居民意见很大',
  '下雨天更严重',
]
const OPEN: Array<[Status, number]> = [
  ['new', 0.06],
  ['dispatched', 0.14],
  ['in_progress', 0.38],
  ['return_requested', 0.02],
  ['replied', 0.15],
  ['closed', 0.25],
]

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString())
const HOUR = 3_600_000
const DAY = 24 * HOUR

export interface Fixture {
  nowMs: number
  count: number
  ticket(i: number): Ticket
}

export function fixture(ref: ReferenceData, count: number, seed = 7): Fixture {
  const r = prng(seed)
  const leaves = ref.categories.filter((c) => !ref.categories.some((x) => x.parent === c.code))
  const units = ref.units.filter((u) => u.active)
  const span = (count / 3500) * DAY
  const nowMs = Date.parse('2026-11-27T08:00:00.000Z')
  const start = nowMs - span
  let day = ''
  let seq = 0
  const pickStatus = (age: number): Status => {
    if (age < 3 * DAY) {
      let x = r.next()
      for (const [s, p] of OPEN) if ((x -= p) < 0) return s
      return 'closed'
    }
    const x = r.next()
    if (age < 10 * DAY && x < 0.04) return 'in_progress'
    if (x < 0.06) return 'replied'
    return x < 0.97 ? 'closed' : x < 0.98 ? 'merged' : 'cancelled'
  }
  return {
    nowMs,
    count,
    ticket(i: number): Ticket {
      const created = Math.floor(start + (i / count) * span)
      const d = new Date(created + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '')
      if (d !== day) [day, seq] = [d, 0]
      const status = pickStatus(nowMs - created)
      const unit = r.pick(units)
      const district = unit.districts[0] ?? null
      const dispatched = status === 'new' || status === 'cancelled' ? null : created + 20 * 60_000
      const signed = dispatched != null && status !== 'dispatched' ? dispatched + 2 * HOUR : null
      const what = r.pick(WHAT)
      const road = r.pick(ROADS)
      const hex = (i + 1).toString(16).padStart(12, '0')
      const ext = status === 'in_progress' && r.next() < 0.1
      return {
        id: `0190f5c2-0000-7000-8000-${hex}`,
        number: `${d}${String(++seq).padStart(6, '0')}`,
        channel:
          r.next() < 0.62 ? 'phone' : r.pick(['web', 'wechat', 'app', 'email', 'enterprise']),
        kind: r.pick(['complaint', 'complaint', 'help', 'consultation', 'report', 'suggestion']),
        category: r.pick(leaves).code,
        urgency: r.next() < 0.9 ? 'normal' : r.next() < 0.8 ? 'urgent' : 'very_urgent',
        caller: {
          name: `${r.pick([...SURNAMES])}${r.next() < 0.5 ? '先生' : '女士'}`,
          phone: `1${r.pick(['3', '5', '8', '9'])}${String(Math.floor(r.next() * 1e9)).padStart(9, '0')}`,
          anonymous: false,
          company: null,
          callbackConsent: true,
        },
        description: `${r.pick(ESTATES)}${what}，${r.pick(DETAIL)}，${r.pick(DETAIL)}。`,
        location: {
          address: `${road}${1 + Math.floor(r.next() * 300)}号${r.pick(ESTATES)}`,
          district,
          street: null,
          community: null,
          lat: null,
          lng: null,
        },
        status,
        unit: dispatched == null && status !== 'closed' ? null : unit.code,
        coUnits: [],
        instructions: null,
        dispatchedAt: iso(dispatched),
        signedAt: iso(signed),
        signBy: iso(dispatched == null ? null : dispatched + DAY),
        dueAt: iso(dispatched == null ? null : dispatched + 5 * DAY),
        extension: {
          state: ext ? 'requested' : 'none',
          requestedUntil: ext ? iso(created + 8 * DAY) : null,
          reason: ext ? '需协调施工单位' : null,
          originalDueAt: null,
        },
        returnRequest: null,
        counts: { returns: 0, urges: 0, reopens: 0, extensions: ext ? 1 : 0 },
        completedAt: iso(
          signed == null || ['dispatched', 'in_progress'].includes(status) ? null : signed + DAY,
        ),
        closedAt: status === 'closed' ? iso(created + 3 * DAY) : null,
        resolution: null,
        satisfaction: status === 'closed' ? 'satisfied' : null,
        supervised: false,
        duplicateOf: null,
        needsReview: false,
        createdBy: `u-agent${1 + Math.floor(r.next() * 60)}`,
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(created + HOUR).toISOString(),
        version: 1,
      }
    },
  }
}
