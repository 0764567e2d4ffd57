// A fresh cache per test, pull pages built by hand, and mutations made through the shared rules.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { Action } from '../../src/shared/actions'
import type { PullResponse } from '../../src/shared/sync'
import type { Actor, Ticket, TimelineEvent } from '../../src/shared/ticket'
import { applyAction } from '../../src/shared/workflow'
import { LocalStore, type LocalStoreOptions } from '../../src/core/db'
import type { OutboxMutation, Viewer } from '../../src/core/db'
import { ctx } from '../helpers/workflow'

const dirs: string[] = []
const stores: LocalStore[] = []

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hl-core-'))
  dirs.push(d)
  return d
}

export function openStore(dir = tempDir(), options: LocalStoreOptions = {}): LocalStore {
  const s = LocalStore.open(dir, { synchronous: 'normal', ...options })
  stores.push(s)
  return s
}

export function page(p: Partial<PullResponse> = {}): PullResponse {
  return {
    cursor: 1,
    hasMore: false,
    tickets: [],
    removed: [],
    events: [],
    results: [],
    lastMutationId: 0,
    ...p,
  }
}

let key = 0

/** Apply an action optimistically through the store, as the console core does. */
export function act(
  store: LocalStore,
  action: Action,
  actor: Actor,
  nowMs: number,
  ticketId = 'ticketId' in action.args ? action.args.ticketId : action.args.ticket.id,
): OutboxMutation {
  return store.enqueue(
    {
      key: `k-${++key}`,
      name: action.name,
      args: action.args,
      clientTime: new Date(nowMs).toISOString(),
      actor,
      ticketId,
    },
    (current) => {
      const r = applyAction(current, action, actor, nowMs, ctx)
      if (!r.ok) throw new Error(r.refusal.message.en)
      return { ticket: r.ticket, event: r.event }
    },
  )
}

/** The server's view of a run: the ticket with a number, and its events. */
export function served(t: Ticket, number: string | null = t.number): Ticket {
  return { ...t, number }
}

export const dispatcherViewer: Viewer = { userId: 'u-disp1', role: 'dispatcher', unit: null }
export const agentViewer: Viewer = { userId: 'u-agent1', role: 'agent', unit: null }
export const unitViewer: Viewer = { userId: 'u-zdl', role: 'unit', unit: 'JK-ZDL' }

export type { Ticket, TimelineEvent }
