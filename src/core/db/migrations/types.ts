// A numbered migration of the console cache. `durable` migrations shape what must never be lost
// (the outbox, the rejected list, settings) and only ever run forward. `cache` migrations shape
// server-derived state, which a rebuild drops and re-creates by replaying every cache migration
// in order (the server sends it all again).
import type Database from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  kind: 'durable' | 'cache'
  up(db: Database.Database): void
}
