// What a push sends: the oldest pending mutations after those the server already confirmed, in
// id order, and only the logged-in user's.
import type { PushBody } from '../../shared/sync'
import type { LocalStoreApi, OutboxMutation } from '../db/types'

export function nextBatch(
  store: LocalStoreApi,
  pushedUpTo: number,
  userId: string,
  size: number,
): OutboxMutation[] {
  const out: OutboxMutation[] = []
  for (const m of store.pending(size * 4)) {
    if (m.id <= pushedUpTo) continue
    // Mutations of a user who logged out wait for them: pushing them under another user's token
    // would act in that user's name, and skipping them would lose them for good (the server
    // skips ids at or below the newest it has seen from this console).
    if (m.actor.userId !== userId) break
    out.push(m)
    if (out.length >= size) break
  }
  return out
}

export const pushBody = (clientId: string, batch: OutboxMutation[]): PushBody => ({
  clientId,
  mutations: batch.map((m) => ({
    id: m.id,
    key: m.key,
    name: m.name,
    args: m.args,
    clientTime: m.clientTime,
  })),
})
