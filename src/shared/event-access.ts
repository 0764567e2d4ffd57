// Which timeline events a user is sent (issue 12, finding 5). A note marked internal is the
// centre's own: agents, dispatchers, supervisors and admins read it; unit staff read only the
// internal notes their own unit wrote (a unit's note is internal by default, and the unit must
// still see what it wrote itself), never the centre's or a co-unit's. Everything else on the
// timeline goes to whoever sees the ticket; phone numbers in events are phone-access.ts's part.
// The server applies this to pulls and snapshots, so an internal note never reaches a unit's cache.
import type { ActorRole, TimelineEvent } from './ticket'
import { seesAllPhones, type PhoneViewer } from './phone-access'

const CENTRE: readonly ActorRole[] = ['agent', 'dispatcher', 'supervisor', 'admin']

/** Whether the event is a note kept inside the centre. */
export const isInternalNote = (e: TimelineEvent): boolean =>
  e.type === 'noted' && e.data.internal === true

/** Whether this viewer may read every event of every ticket they see. */
export const readsAllEvents = (viewer: PhoneViewer): boolean => CENTRE.includes(viewer.role)

export function mayReadEvent(viewer: PhoneViewer, e: TimelineEvent): boolean {
  if (!isInternalNote(e) || readsAllEvents(viewer)) return true
  return (
    viewer.role === 'unit' &&
    viewer.unit != null &&
    e.actor.role === 'unit' &&
    e.actor.unit === viewer.unit
  )
}

/** Nothing of what the server sends this viewer is hidden (they get stored rows as they are). */
export const seesEverything = (viewer: PhoneViewer): boolean =>
  seesAllPhones(viewer) && readsAllEvents(viewer)

/**
 * What a console's cache was filled under: when what the server hides from a role changes, a
 * cache filled before holds what its user may no longer have, and a new mark makes it start
 * again from a fresh snapshot at the next login (src/core/session.ts).
 */
export function presentationMark(viewer: PhoneViewer): string {
  if (seesEverything(viewer)) return ''
  return `${seesAllPhones(viewer) ? '' : '|phones-masked'}${readsAllEvents(viewer) ? '' : '|notes-scoped'}`
}
