// The cache's encryption key (src/core/db/cipher.ts), kept wrapped by the operating system's
// keychain through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the Secret
// Service or KWallet on Linux): 32 random bytes, stored in <data>/cache-key.bin only as
// safeStorage encrypted them, so the file alone opens nothing. Where safeStorage has no real
// keychain (Linux without a Secret Service falls back to a fixed password, `basic_text`) the
// cache stays unencrypted and the settings screen says why: a key anyone can unwrap would only
// pretend to protect.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CACHE_KEY_BYTES, type CacheKey } from '../core/db/cipher'
import { privateDir } from '../core/private-files'
import type { CacheProtection } from '../shared/settings'

export const KEY_FILE = 'cache-key.bin'

/** The part of Electron's safeStorage used here (passed in: main's only Electron dependency). */
export interface Keychain {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: which keychain backs it ('basic_text' is none). */
  getSelectedStorageBackend?(): string
}

export interface CacheKeyResult {
  key: CacheKey | null
  protection: CacheProtection
}

const WEAK_BACKENDS = new Set(['basic_text', 'unknown'])

function backendOf(keychain: Keychain): string {
  if (process.platform === 'darwin') return 'keychain'
  if (process.platform === 'win32') return 'dpapi'
  return keychain.getSelectedStorageBackend?.() ?? 'unknown'
}

/**
 * The key for the cache in `dataDir`: unwrapped from cache-key.bin, or made and wrapped on first
 * use. A key file the keychain can no longer unwrap (another user, a reset keychain) is an error:
 * the cache it protects may hold unsent work, so nothing is replaced silently.
 */
export function cacheKey(dataDir: string, keychain: Keychain): CacheKeyResult {
  const backend = backendOf(keychain)
  if (!keychain.isEncryptionAvailable() || WEAK_BACKENDS.has(backend))
    return {
      key: null,
      protection: { encrypted: false, keyStore: null, reason: 'keychain_unavailable' },
    }
  const file = join(dataDir, KEY_FILE)
  let hex: string
  if (existsSync(file)) {
    hex = keychain.decryptString(readFileSync(file))
    if (!/^[0-9a-f]+$/.test(hex) || hex.length !== CACHE_KEY_BYTES * 2)
      throw new Error(`${file} does not hold a cache key`)
  } else {
    privateDir(dataDir)
    hex = randomBytes(CACHE_KEY_BYTES).toString('hex')
    // Written whole or not at all: a crash mid-write must not leave half a key.
    writeFileSync(`${file}.tmp`, keychain.encryptString(hex), { mode: 0o600 })
    renameSync(`${file}.tmp`, file)
  }
  return {
    key: Buffer.from(hex, 'hex'),
    protection: { encrypted: true, keyStore: backend, reason: null },
  }
}
