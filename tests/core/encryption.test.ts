// The cache encrypted at rest (issue 7): what lands on disk holds no citizen's name or phone
// number in clear, the cache opens only with its key and is never overwritten without it, an
// unencrypted cache is encrypted in place keeping its unsent work, exports read it with the key;
// and the Electron side keeps the key wrapped by a keychain (src/main/cache-key.ts).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CACHE_FILE, LocalStore } from '../../src/core/db'
import { CacheKeyError, isPlainDatabase } from '../../src/core/db/cipher'
import { cacheKey, KEY_FILE, type Keychain } from '../../src/main/cache-key'
import { queueQuerySchema } from '../../src/shared/api'
import { actors, draft, T0 } from '../helpers/workflow'
import { act, dispatcherViewer, openStore, tempDir } from './helpers'

const PHONE = '13912345678'
const NAME = '欧阳明珠'

/** Every byte the cache left on disk: the database, its WAL and shared-memory files. */
function onDisk(dir: string): Buffer {
  const files = ['', '-wal', '-shm'].map((s) => join(dir, CACHE_FILE + s)).filter(existsSync)
  return Buffer.concat(files.map((f) => readFileSync(f)))
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

function logCall(store: LocalStore) {
  const d = draft()
  d.caller = { ...d.caller, name: NAME, phone: PHONE }
  act(store, { name: 'ticket.create', args: { ticket: d } }, actors.agent, T0)
  return d
}

describe('the cache at rest', () => {
  it('with a key holds no caller name or phone number in clear, in the file or its WAL', () => {
    const dir = tempDir()
    const key = randomBytes(32)
    const store = openStore(dir, { key })
    const d = logCall(store)
    // Before close (rows in the WAL) and after (checkpointed into the file).
    expect(onDisk(dir).includes(Buffer.from(PHONE))).toBe(false)
    store.close()
    const bytes = onDisk(dir)
    expect(bytes.length).toBeGreaterThan(4096)
    expect(bytes.includes(Buffer.from(PHONE))).toBe(false)
    expect(bytes.includes(Buffer.from(NAME))).toBe(false)
    expect(isPlainDatabase(join(dir, CACHE_FILE))).toBe(false)

    const again = openStore(dir, { key })
    expect(again.ticket(d.id)!.ticket.caller.phone).toBe(PHONE)
    expect(again.pendingCount()).toBe(1)
  })

  it('without a key the same work is in clear (what the web host says it does)', () => {
    const dir = tempDir()
    const store = openStore(dir)
    logCall(store)
    store.close()
    expect(onDisk(dir).includes(Buffer.from(PHONE))).toBe(true)
    expect(isPlainDatabase(join(dir, CACHE_FILE))).toBe(true)
  })

  it('refuses to open without its key or with another, and leaves the file as it was', () => {
    const dir = tempDir()
    const store = openStore(dir, { key: randomBytes(32) })
    logCall(store)
    store.close()
    const file = join(dir, CACHE_FILE)
    const before = sha(file)
    expect(() => LocalStore.open(dir)).toThrow(CacheKeyError)
    expect(() => LocalStore.open(dir)).toThrow(/encrypted and this console has no key/)
    expect(() => LocalStore.open(dir, { key: randomBytes(32) })).toThrow(CacheKeyError)
    expect(sha(file)).toBe(before)
    expect(() => LocalStore.open(dir, { key: randomBytes(16) })).toThrow(/32 bytes/)
  })

  it('encrypts an unencrypted cache in place, keeping unsent changes', () => {
    const dir = tempDir()
    const plain = openStore(dir)
    const d = logCall(plain)
    plain.close()
    expect(onDisk(dir).includes(Buffer.from(PHONE))).toBe(true)

    const key = randomBytes(32)
    const store = openStore(dir, { key })
    expect(store.pendingCount()).toBe(1)
    expect(store.pending()[0]!.ticketId).toBe(d.id)
    expect(store.ticket(d.id)!.ticket.caller.name).toBe(NAME)
    store.close()
    expect(onDisk(dir).includes(Buffer.from(PHONE))).toBe(false)
    expect(isPlainDatabase(join(dir, CACHE_FILE))).toBe(false)
  })

  it('exports read the encrypted cache on their own connection', () => {
    const key = randomBytes(32)
    const store = openStore(tempDir(), { key })
    for (let i = 0; i < 3; i++) logCall(store)
    const cursor = store.exportCursor(queueQuerySchema.parse({}), dispatcherViewer, T0)
    try {
      expect(cursor.total).toBe(3)
      expect(cursor.next(10).map((r) => r.phone)).toEqual([PHONE, PHONE, PHONE])
    } finally {
      cursor.close()
    }
  })
})

/**
 * A keychain for the test: Electron's safeStorage cannot run here (no Electron binary), so this
 * stands in with AES-256-GCM under a secret only it knows — like the OS keychain, the wrapped
 * file alone opens nothing.
 */
function testKeychain(backend = 'gnome_libsecret', available = true): Keychain {
  const secret = randomBytes(32)
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', secret, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString(buf) {
      const d = createDecipheriv('aes-256-gcm', secret, buf.subarray(0, 12))
      d.setAuthTag(buf.subarray(12, 28))
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8')
    },
  }
}

describe('the key kept by the keychain (src/main/cache-key.ts)', () => {
  const linux = process.platform === 'linux'

  it('is made once, stored only wrapped (0600), and the same at the next start', () => {
    const dir = tempDir()
    const keychain = testKeychain()
    const first = cacheKey(dir, keychain)
    expect(first.key).toHaveLength(32)
    expect(first.protection).toEqual({
      encrypted: true,
      keyStore: linux ? 'gnome_libsecret' : expect.any(String),
      reason: null,
    })
    const file = join(dir, KEY_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file).includes(Buffer.from(first.key!.toString('hex')))).toBe(false)
    expect(cacheKey(dir, keychain).key!.equals(first.key!)).toBe(true)

    // And it opens the cache it protects.
    const store = openStore(dir, { key: first.key })
    logCall(store)
    store.close()
    expect(openStore(dir, { key: cacheKey(dir, keychain).key }).pendingCount()).toBe(1)
  })

  it('gives no key, saying why, where there is no keychain', () => {
    const none = cacheKey(tempDir(), testKeychain('gnome_libsecret', false))
    expect(none).toEqual({
      key: null,
      protection: { encrypted: false, keyStore: null, reason: 'keychain_unavailable' },
    })
    if (linux) {
      // Electron's fallback on Linux without a Secret Service: a fixed password, no protection.
      const weak = cacheKey(tempDir(), testKeychain('basic_text'))
      expect(weak.key).toBeNull()
      expect(weak.protection.reason).toBe('keychain_unavailable')
    }
  })

  it('does not replace a key file it cannot read', () => {
    const dir = tempDir()
    cacheKey(dir, testKeychain())
    const file = join(dir, KEY_FILE)
    const before = sha(file)
    // Another keychain (a reset one, another user's) cannot unwrap it.
    expect(() => cacheKey(dir, testKeychain())).toThrow()
    expect(sha(file)).toBe(before)
    const other = testKeychain()
    writeFileSync(file, other.encryptString('not a key'))
    expect(() => cacheKey(dir, other)).toThrow(/does not hold a cache key/)
  })
})
