// GeoReport v2 errors: a list of `{code, description}` (`<errors><error>…`), with HTTP 404 for
// what does not exist, 403 for a missing or wrong api_key, 429 for a public reader over its
// limit and 400 for everything else.
import { list, type Value } from './document'

export type Open311Status = 400 | 403 | 404 | 429

export interface Open311ErrorItem {
  code: number
  description: string
}

export class Open311Error extends Error {
  constructor(
    readonly status: Open311Status,
    readonly errors: Open311ErrorItem[],
  ) {
    super(errors.map((e) => e.description).join('; '))
  }
}

/** Descriptions are read by people using the client: Chinese first, English after. */
export const say = (zh: string, en: string): string => `${zh}（${en}）`

export const problem = (status: Open311Status, zh: string, en: string): Open311ErrorItem => ({
  code: status,
  description: say(zh, en),
})

export const fail = (status: Open311Status, zh: string, en: string): Open311Error =>
  new Open311Error(status, [problem(status, zh, en)])

export const errorsDocument = (errors: Open311ErrorItem[]): Value =>
  list(
    'error',
    errors.map((e) => ({ code: e.code, description: e.description })),
  )
