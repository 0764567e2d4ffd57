// Demo data for an empty store (--demo): users for every role and unit, an Open311 key, and
// realistic tickets driven through the workflow rules.
import { randomUUID } from 'node:crypto'
import type { ReferenceData } from '../../shared/reference'
import type { Role } from '../../shared/ticket'
import { hashPassword, type ScryptParams } from '../auth/passwords'
import { hashToken, newToken } from '../auth/tokens'
import type { NewUser, Store } from '../store'

export const DEMO_STAFF: ReadonlyArray<{ username: string; displayName: string; role: Role }> = [
  { username: 'agent1', displayName: '王芳（话务员）', role: 'agent' },
  { username: 'agent2', displayName: '李娜（话务员）', role: 'agent' },
  { username: 'dispatcher1', displayName: '张伟（派单员）', role: 'dispatcher' },
  { username: 'supervisor1', displayName: '刘洋（班长）', role: 'supervisor' },
  { username: 'admin1', displayName: '陈静（管理员）', role: 'admin' },
]

export const unitUsername = (code: string) => `unit-${code}`

/** Users agent1 … admin1 and `unit-<code>` for every unit, all with `password`. */
export async function seedDemoUsers(
  store: Store,
  reference: ReferenceData,
  password: string,
  scrypt?: ScryptParams,
): Promise<void> {
  // One hash for all: the demo password is public anyway, and 190 scrypt runs would make every
  // demo start (and every test that uses one) seconds slower.
  const passwordHash = await hashPassword(password, scrypt)
  const users: NewUser[] = [
    ...DEMO_STAFF.map((u) => ({ ...u, id: randomUUID(), unit: null, passwordHash })),
    ...reference.units.map((u) => ({
      id: randomUUID(),
      username: unitUsername(u.code),
      displayName: u.name,
      role: 'unit' as const,
      unit: u.code,
      passwordHash,
    })),
  ]
  for (let i = 0; i < users.length; i += 200)
    await store.accounts.createUsers(users.slice(i, i + 200))
}

/** A fresh Open311 API key (stored hashed); the caller prints it. */
export async function createOpen311Key(store: Store, name: string): Promise<string> {
  const key = newToken()
  await store.accounts.addOpen311Key(hashToken(key), name)
  return key
}

/**
 * The demo's Open311 key, made anew at each `--demo` start (only its hash is stored, so it cannot
 * be printed again) and replacing the one before: earlier starts' keys stop working rather than
 * pile up, each a live credential (issue 12).
 */
export async function renewDemoOpen311Key(store: Store): Promise<string> {
  const key = newToken()
  await store.accounts.replaceOpen311Key(hashToken(key), 'demo')
  return key
}
