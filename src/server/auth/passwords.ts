// Password hashing with scrypt (node:crypto). The parameters are stored with each hash, so they
// can be raised later without invalidating existing passwords.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** OWASP's scrypt baseline: N=2^15, r=8, p=1 (32 MiB). Tests may pass cheaper ones. */
export const DEFAULT_SCRYPT = { N: 32768, r: 8, p: 1 } as const
const KEY_LENGTH = 32

export interface ScryptParams {
  N: number
  r: number
  p: number
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

/** `scrypt$N$r$p$salt$hash`, base64url salt and hash. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/**
 * A hash of nothing anybody can type, verified when the username is unknown so that a missing
 * user takes as long to refuse as a wrong password.
 */
export const dummyHash = (params: ScryptParams = DEFAULT_SCRYPT): Promise<string> =>
  hashPassword(randomBytes(16).toString('hex'), params)
