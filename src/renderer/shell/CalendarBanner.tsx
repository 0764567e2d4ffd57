// The working calendar's horizon (issue 19), for supervisors and admins: from the lead time before
// the last official day, a banner saying until when the calendar is official, that the deadlines
// after it are provisional, and how to enter the next year. Computed from the synced reference
// data with the same definition the server logs and /healthz use (shared/calendar-horizon.ts).
import type { Role } from '../../shared/ticket'
import { calendarHorizon } from '../../shared/calendar-horizon'
import { useLang } from '../i18n'
import type { Names } from '../state/reference'

const TOLD: readonly Role[] = ['supervisor', 'admin']

export function CalendarBanner(props: { names: Names | null; role: Role; now: number }) {
  const lang = useLang()
  const { names, role, now } = props
  if (!names || !TOLD.includes(role)) return null
  const h = calendarHorizon(names.calendar, names.data.calendar, now)
  if (!h.message) return null
  return (
    <div className={`calendar-banner calendar-${h.state}`} role="status" aria-label="calendar">
      {h.message[lang]}
    </div>
  )
}
