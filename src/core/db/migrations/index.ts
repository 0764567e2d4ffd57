// Every migration of the console cache, in order. Add one: a new numbered file and one line here.
import { m0001 } from './0001-outbox'
import { m0002 } from './0002-tickets'
import { m0003 } from './0003-dashboard'
import { m0004 } from './0004-knowledge'
import { m0005 } from './0005-levels'
import { m0006 } from './0006-exempt'
import { m0007 } from './0007-own-levels'
import type { Migration } from './types'

export type { Migration } from './types'

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007]

/**
 * A cache recorded below this version is not upgraded in place but rebuilt: its cache tables
 * dropped and re-created, the cursor reset, the durable tables (outbox first) kept and migrated.
 */
export const REBUILD_BELOW = 2
