// The settings overlay's and the alerts' own words, in Chinese and English.
import { useMemo } from 'react'
import type { AlertKind } from '../../shared/alerts'
import { useLang, type Localized } from '../i18n'

export const WORDS = {
  title: { zh: '设置 · 提醒与通知', en: 'Settings · alerts and notifications' },
  notifications: { zh: '桌面通知', en: 'Desktop notifications' },
  on: { zh: '开', en: 'on' },
  off: { zh: '关', en: 'off' },
  notForRole: { zh: '不适用于您的角色', en: 'not for your role' },
  waitingMinutes: {
    zh: '退单、延期等待超过（分钟）',
    en: 'Returns and extensions waiting longer than (minutes)',
  },
  keys: {
    zh: '↑/↓ 移动 · 空格 开/关 · ←/→ 调整分钟 · Enter 打开提醒 · Esc 关闭',
    en: '↑/↓ move · Space on/off · ←/→ minutes · Enter opens an alert · Esc closes',
  },
  allow: { zh: '允许桌面通知（空格）', en: 'Allow desktop notifications (Space)' },
  stateSystem: { zh: '使用系统通知', en: 'Shown as system notifications' },
  stateGranted: { zh: '浏览器已允许', en: 'Allowed in this browser' },
  stateDefault: {
    zh: '尚未允许：提醒暂时显示在控制台内',
    en: 'Not allowed yet: alerts show inside the console for now',
  },
  stateDenied: {
    zh: '浏览器已拒绝通知：提醒显示在控制台内（可在浏览器的网站设置中改为允许）',
    en: "The browser refused notifications: alerts show inside the console (allow them in the browser's site settings)",
  },
  stateUnsupported: {
    zh: '此浏览器不支持桌面通知：提醒显示在控制台内',
    en: 'No desktop notifications in this browser: alerts show inside the console',
  },
  recent: { zh: '最近的提醒', en: 'Recent alerts' },
  noRecent: { zh: '暂无提醒', en: 'No alerts yet' },
  bell: { zh: '提醒', en: 'Alerts' },
  enableHint: {
    zh: '按 Ctrl+, 允许桌面通知',
    en: 'Press Ctrl+, to allow desktop notifications',
  },
  saveFailed: { zh: '设置未保存', en: 'Settings not saved' },
} satisfies Record<string, Localized>

export type WordKey = keyof typeof WORDS

export const KIND_LABELS: Record<AlertKind, Localized> = {
  very_urgent: { zh: '特急工单新增', en: 'A very urgent ticket arrives' },
  overdue: { zh: '工单超时', en: 'A ticket turns overdue' },
  return_waiting: { zh: '退单等待审核过久', en: 'A return waits too long' },
  extension_waiting: { zh: '延期申请等待审批过久', en: 'An extension request waits too long' },
}

/** These words in the console's language. */
export function useWords(): (k: WordKey | Localized) => string {
  const lang = useLang()
  return useMemo(
    () => (k: WordKey | Localized) => (typeof k === 'string' ? WORDS[k] : k)[lang],
    [lang],
  )
}
