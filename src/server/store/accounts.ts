// Users, sessions and Open311 keys. Secrets arrive here already hashed (see src/server/auth).
import { coalesce } from './coalesce'
import type { Kysely } from 'kysely'
import type { Role } from '../../shared/ticket'
import type { DB, UsersTable } from './types'

export interface UserRecord {
  id: string
  username: string
  displayName: string
  role: Role
  unit: string | null
  active: boolean
  passwordHash: string
}

export type NewUser = Omit<UserRecord, 'active'> & { active?: boolean }

const toUser = (r: UsersTable): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  unit: r.unit,
  active: r.active === 1,
  passwordHash: r.password_hash,
})

export class Accounts {
  constructor(private readonly db: Kysely<DB>) {}

  async createUsers(users: NewUser[]): Promise<void> {
    if (users.length === 0) return
    const now = new Date().toISOString()
    await this.db
      .insertInto('users')
      .values(
        users.map((u) => ({
          id: u.id,
          username: u.username,
          display_name: u.displayName,
          role: u.role,
          unit: u.unit,
          password_hash: u.passwordHash,
          active: u.active === false ? 0 : 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
  }

  async userByUsername(username: string): Promise<UserRecord | null> {
    const r = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst()
    return r ? toUser(r) : null
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute()
    return rows.map(toUser)
  }

  /** Every console that ever pushed, under whom (the `clients` rows), most recent first. */
  async listConsoles(): Promise<Array<{ key: string; userId: string; lastAt: string }>> {
    const rows = await this.db
      .selectFrom('clients')
      .select(['client_id', 'user_id', 'updated_at'])
      .orderBy('updated_at', 'desc')
      .limit(10_000)
      .execute()
    return rows.map((r) => ({ key: r.client_id, userId: r.user_id, lastAt: String(r.updated_at) }))
  }

  async userById(id: string): Promise<UserRecord | null> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    return r ? toUser(r) : null
  }

  /** Changes a user; a deactivated user's sessions are revoked in the same transaction. */
  async updateUser(
    id: string,
    patch: Partial<Omit<UserRecord, 'id' | 'username'>>,
  ): Promise<UserRecord | null> {
    const now = new Date().toISOString()
    return this.db.transaction().execute(async (tx) => {
      const set: Partial<UsersTable> = { updated_at: now }
      if (patch.displayName !== undefined) set.display_name = patch.displayName
      if (patch.role !== undefined) set.role = patch.role
      if (patch.unit !== undefined) set.unit = patch.unit
      if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash
      if (patch.active !== undefined) set.active = patch.active ? 1 : 0
      const r = await tx
        .updateTable('users')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()
      if (!r) return null
      // A deactivated user, or one whose password or role changed, must log in again.
      if (
        patch.active === false ||
        patch.passwordHash !== undefined ||
        patch.role !== undefined ||
        patch.unit !== undefined
      )
        await tx
          .updateTable('sessions')
          .set({ revoked_at: now })
          .where('user_id', '=', id)
          .where('revoked_at', 'is', null)
          .execute()
      return toUser(r)
    })
  }

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }

  async createSession(tokenHash: string, userId: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash,
        user_id: userId,
        created_at: new Date().toISOString(),
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute()
  }

  /**
   * The active user behind a session that is neither expired nor revoked. Lookups made together
   * (a busy server's requests) share one query (coalesce.ts).
   */
  sessionUser(tokenHash: string, nowIso: string): Promise<UserRecord | null> {
    return this.sessions({ tokenHash, nowIso })
  }

  private readonly sessions = coalesce(
    async (keys: Array<{ tokenHash: string; nowIso: string }>) => {
      const rows = await this.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select(['sessions.token_hash', 'sessions.expires_at'])
        .where('sessions.token_hash', 'in', [...new Set(keys.map((k) => k.tokenHash))])
        .where('sessions.revoked_at', 'is', null)
        .where('users.active', '=', 1)
        .execute()
      const byHash = new Map(rows.map((r) => [r.token_hash, r]))
      return keys.map((k) => {
        const r = byHash.get(k.tokenHash)
        return r && r.expires_at > k.nowIso ? toUser(r) : null
      })
    },
    2,
  )

  /** Revokes every live session of a user; answers how many there were. */
  async revokeUserSessions(userId: string): Promise<number> {
    const r = await this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date().toISOString())
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  }

  async revokeSession(tokenHash: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date().toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .execute()
  }

  async addOpen311Key(keyHash: string, name: string): Promise<void> {
    await this.db
      .insertInto('open311_keys')
      .values({ key_hash: keyHash, name, created_at: new Date().toISOString(), revoked_at: null })
      .execute()
  }

  /**
   * A new key for the channel `name` that replaces its earlier ones (revoked in the same
   * transaction). Returns how many were revoked.
   */
  async replaceOpen311Key(keyHash: string, name: string): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const now = new Date().toISOString()
      const revoked = await tx
        .updateTable('open311_keys')
        .set({ revoked_at: now })
        .where('name', '=', name)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      await tx
        .insertInto('open311_keys')
        .values({ key_hash: keyHash, name, created_at: now, revoked_at: null })
        .execute()
      return Number(revoked.numUpdatedRows)
    })
  }

  async open311KeyName(keyHash: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('open311_keys')
      .select('name')
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return r?.name ?? null
  }
}
