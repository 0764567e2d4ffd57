// `npm run call -- <phone> [--call-id ID] [--data DIR]` (or `--withheld` for no number): rings a
// running console as the telephony system would, through the same screen-pop endpoint and token
// (src/core/telephony.ts). For trying the intake screen without a call switch, and for tests.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { readTelephonySettings, telephonySettingsFile } from '../src/core/telephony'
import { consoleDataCandidates } from './data-folder'

const USAGE = 'usage: npm run call -- <phone> | --withheld [--call-id ID] [--data DIR]'

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** The settings file: in --data (the console's folder, or the `npm start` folder holding it). */
function settingsFile(data: string | undefined): string {
  const folders = data ? [data, join(data, 'console')] : consoleDataCandidates()
  const found = folders.map(telephonySettingsFile).find((f) => existsSync(f))
  if (found) return found
  return fail(
    `no ${telephonySettingsFile(folders[0]!)}: start the console (npm start) first` +
      (data ? '' : ', or pass --data with its data folder'),
  )
}

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      'call-id': { type: 'string' },
      data: { type: 'string' },
      withheld: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (positionals.length > 1 || (positionals.length === 1) === values.withheld) fail(USAGE)
  const phone = values.withheld ? null : positionals[0]!

  const file = settingsFile(values.data)
  let settings: { port: number; token: string }
  try {
    settings = readTelephonySettings(file)
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e))
  }
  const url = `http://127.0.0.1:${settings.port}/call`
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${settings.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ phone, ...(values['call-id'] ? { callId: values['call-id'] } : {}) }),
      signal: AbortSignal.timeout(5000),
    })
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e)
    fail(`cannot reach the console at ${url} (${cause}): is it running, with screen pop on?`)
  }
  const text = await res.text()
  if (res.ok) {
    console.log(`${res.status} ${text}`)
    return
  }
  let error: { code?: string; message?: string } = {}
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error ?? {}
  } catch {
    // Not our listener's answer: show it as it came.
  }
  fail(
    `the console refused the call (${res.status} ${error.code ?? res.statusText}): ${error.message ?? text}`,
  )
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)))
