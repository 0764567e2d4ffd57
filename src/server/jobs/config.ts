// When the automatic urging runs: a server setting (flags, else environment), not reference data.
// How overdue a ticket must be for supervision is a deadline rule
// (`deadlines.superviseAfterOverdueWorkingDays` in resources/deadline-rules.json): admins edit it
// with the other deadline rules and consoles receive it with them.

export interface AutoUrgeConfig {
  /** Run by itself on a timer; `runAutoUrge` works either way. */
  enabled: boolean
  /** Local clock time (city time zone) from which a working day's run may start, `HH:MM`. */
  atLocalTime: string
  /** How often the timer asks whether the day's run is due. */
  checkEveryMs: number
}

export const DEFAULT_AUTO_URGE: AutoUrgeConfig = {
  enabled: true,
  atLocalTime: '09:00',
  checkEveryMs: 60_000,
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/

/** Minutes after local midnight of `HH:MM`; null when it is not a clock time. */
export function clockMinutes(hhmm: string): number | null {
  const m = CLOCK.exec(hhmm)
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

const OFF = new Set(['0', 'off', 'false', 'no'])

/**
 * The setting from the command line (`--auto-urge-at HH:MM`, `--no-auto-urge`), else from the
 * environment (`AUTO_URGE_AT`, `AUTO_URGE=off`), else the defaults. Throws on a bad time.
 */
export function autoUrgeConfig(
  flags: { at?: string | undefined; off?: boolean | undefined },
  env: Record<string, string | undefined>,
): AutoUrgeConfig {
  const at = flags.at ?? env.AUTO_URGE_AT ?? DEFAULT_AUTO_URGE.atLocalTime
  if (clockMinutes(at) == null)
    throw new Error(`auto-urge time must be HH:MM (24-hour clock), not "${at}"`)
  const envOff = env.AUTO_URGE != null && OFF.has(env.AUTO_URGE.trim().toLowerCase())
  return { ...DEFAULT_AUTO_URGE, atLocalTime: at, enabled: !(flags.off ?? false) && !envOff }
}
