// A person's console settings, kept per user in the console's cache (issue 6: which desktop
// notifications they get; issue 7 adds the rest). `settings.set` takes any part and merges it.
import { z } from 'zod'
import { ALERT_KINDS, type AlertKind } from './alerts'
import { customIssue } from './validation'

export const WAITING_MINUTES = { min: 5, max: 1440, default: 30 } as const

export const notificationSettingsSchema = z.object({
  very_urgent: z.boolean(),
  overdue: z.boolean(),
  return_waiting: z.boolean(),
  extension_waiting: z.boolean(),
  /** A return or extension request waiting longer than this is announced. */
  waitingMinutes: z.number().int().min(WAITING_MINUTES.min).max(WAITING_MINUTES.max),
})
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>

/** What is kept per user. */
export interface UserSettings {
  notifications: NotificationSettings
}

/**
 * Whether the console's cache is encrypted at rest (issue 7). `keyStore` names where the key is
 * kept (the keychain backend Electron reports); `reason` says why the cache is not encrypted:
 * the web host has no keychain, or the operating system offers none to Electron.
 */
export interface CacheProtection {
  encrypted: boolean
  keyStore: string | null
  reason: 'web_host' | 'keychain_unavailable' | null
}

/** What `settings.get` answers: the user's settings and the console's own. */
export interface Settings extends UserSettings {
  /** The central server this console logs in to; null until someone enters one. */
  serverUrl: string | null
  /** Where the console keeps its cache (read-only: chosen when the console starts). */
  dataDir: string
  cache: CacheProtection
}

export const serverUrlSchema = z
  .string()
  .trim()
  .refine(
    // src/shared has neither Node's nor the DOM's URL: scheme, a host (with an optional port),
    // an optional path; no spaces, no credentials.
    (v) => /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?(\/[^\s?#]*)?$/i.test(v),
    customIssue('invalid_url', {
      zh: '须是 http:// 或 https:// 开头的地址',
      en: 'must be an http:// or https:// address',
    }),
  )
  .transform((v) => v.replace(/\/+$/, ''))

export const settingsPatchSchema = z.object({
  notifications: notificationSettingsSchema.partial().optional(),
  serverUrl: serverUrlSchema.optional(),
})
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const DEFAULT_SETTINGS: UserSettings = {
  notifications: {
    ...(Object.fromEntries(ALERT_KINDS.map((k) => [k, true])) as Record<AlertKind, boolean>),
    waitingMinutes: WAITING_MINUTES.default,
  },
}

/** Stored settings read leniently: what fails the schema (an older or damaged value) is default. */
export function parseSettings(raw: string | null): UserSettings {
  let stored: unknown
  try {
    stored = raw ? JSON.parse(raw) : null
  } catch {
    stored = null
  }
  const n = (stored as { notifications?: Record<string, unknown> } | null)?.notifications ?? {}
  const notifications = { ...DEFAULT_SETTINGS.notifications }
  for (const [key, schema] of Object.entries(notificationSettingsSchema.shape)) {
    const ok = schema.safeParse(n[key])
    if (ok.success) (notifications as Record<string, unknown>)[key] = ok.data
  }
  return { notifications }
}

export function mergeSettings(current: UserSettings, patch: SettingsPatch): UserSettings {
  return { notifications: { ...current.notifications, ...patch.notifications } }
}
