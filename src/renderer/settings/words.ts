// The settings screen's and the alerts' own words, in Chinese and English.
import { useMemo } from 'react'
import type { AlertKind } from '../../shared/alerts'
import { useLang, type Localized } from '../i18n'

export const WORDS = {
  title: { zh: '设置', en: 'Settings' },
  sectionServer: { zh: '服务器', en: 'Server' },
  sectionLanguage: { zh: '语言', en: 'Language' },
  sectionTheme: { zh: '主题', en: 'Theme' },
  sectionAlerts: { zh: '提醒', en: 'Alerts' },
  sectionData: { zh: '数据', en: 'Data' },
  serverUrl: { zh: '服务器地址', en: 'Server address' },
  serverHint: {
    zh: 'Enter 保存；保存新地址会退出登录，下次登录连接新服务器',
    en: 'Enter saves; a new address logs you out, and the next login goes to it',
  },
  serverSaved: { zh: '已保存', en: 'Saved' },
  language: { zh: '界面语言', en: 'Interface language' },
  langZh: { zh: '中文', en: '中文' },
  langEn: { zh: 'English', en: 'English' },
  theme: { zh: '配色', en: 'Colours' },
  themeLight: { zh: '浅色', en: 'Light' },
  themeDark: { zh: '深色', en: 'Dark' },
  dataDir: { zh: '数据文件夹', en: 'Data folder' },
  seat: { zh: '本机控制台', en: 'This console' },
  seatUnnamed: {
    zh: '未命名：请管理员按此编号命名座席（PUT /api/v1/admin/seats/编号），工单时间线将显示座席名',
    en: 'Not named: ask an admin to name the seat by this label (PUT /api/v1/admin/seats/LABEL); timelines will show the name',
  },
  sessionEnded: {
    zh: '登录已失效（已过期或被管理员撤销），工单台已锁定、停止同步。未发送的修改和草稿仍保存在本机，重新登录后继续。',
    en: 'Your session has ended (expired or revoked by an administrator): the console is locked and has stopped syncing. Unsent changes and drafts are kept here and go on after you log in again.',
  },
  cacheEncrypted: {
    zh: '本地缓存已加密，密钥保存在系统钥匙串中',
    en: "The local cache is encrypted; its key is kept in the system's keychain",
  },
  cachePlainWeb: {
    zh: '本地缓存未加密：网页版无法使用系统钥匙串，市民姓名和电话以明文保存在本机',
    en: "The local cache is NOT encrypted: the web version has no keychain, so citizens' names and phone numbers are stored in clear on this computer",
  },
  cachePlainNoKeychain: {
    zh: '本地缓存未加密：本机没有可用的系统钥匙串',
    en: 'The local cache is NOT encrypted: this computer offers no keychain',
  },
  signOut: { zh: '退出登录', en: 'Sign out' },
  wipe: { zh: '清除本机数据', en: 'Wipe local data' },
  wipeWhat: {
    zh: '将退出登录，并删除本机缓存的全部工单、草稿和设置。服务器上的数据不受影响。',
    en: 'Signs out and deletes every ticket, draft and setting cached on this console. Nothing on the server changes.',
  },
  wipeConfirm: { zh: 'Enter 确认清除 · Esc 取消', en: 'Enter wipes · Esc cancels' },
  wipeNothingUnsent: {
    zh: '所有改动均已发送到服务器。',
    en: 'Every change has reached the server.',
  },
  wipeFailed: { zh: '未能清除', en: 'Not wiped' },
  notifications: { zh: '桌面通知', en: 'Desktop notifications' },
  on: { zh: '开', en: 'on' },
  off: { zh: '关', en: 'off' },
  notForRole: { zh: '不适用于您的角色', en: 'not for your role' },
  waitingMinutes: {
    zh: '退单、延期等待超过（分钟）',
    en: 'Returns and extensions waiting longer than (minutes)',
  },
  keys: {
    zh: '↑/↓ 移动 · 空格/Enter 切换或执行 · ←/→ 调整分钟 · Enter 打开提醒 · Esc 关闭',
    en: '↑/↓ move · Space/Enter switch or run · ←/→ minutes · Enter opens an alert · Esc closes',
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
  firstRunTitle: { zh: '首次使用：连接服务器', en: 'First run: connect to the server' },
  firstRunHint: {
    zh: '请输入热线中心服务器的地址（如 https://hotline.example.gov.cn），按 Enter 保存。',
    en: "Enter the hotline centre's server address (e.g. https://hotline.example.gov.cn) and press Enter.",
  },
  save: { zh: '保存', en: 'Save' },
  loginServer: { zh: '服务器', en: 'Server' },
} satisfies Record<string, Localized>

export type WordKey = keyof typeof WORDS

/** How many unsent changes a wipe would lose. */
export const unsentLost = (n: number): Localized => ({
  zh: `本机还有 ${n} 项改动未发送到服务器，清除后将丢失！`,
  en: `${n} change${n === 1 ? ' has' : 's have'} not reached the server and will be lost!`,
})

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
