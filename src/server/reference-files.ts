// Reading the reference data from resources/: reference/{districts,categories,units,routing}.json,
// reference/triage.json (words, organisations, gazetteer), deadline-rules.json and calendar.json,
// parsed and checked as one set. (reference/divisions.json is the generator's output the units
// were reconciled with — scripts/divisions.ts — not part of the set.)
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ReferenceData } from '../shared/reference'
import { parseReferenceData, ReferenceDataError } from '../shared/reference-data'

/** The repository's resources/ folder, found from this file so any working directory works. */
export const RESOURCES_DIR = fileURLToPath(new URL('../../resources', import.meta.url))

/** Files of the set, as `key in ReferenceData` → path under the resources folder. */
export const REFERENCE_FILES = {
  districts: 'reference/districts.json',
  categories: 'reference/categories.json',
  units: 'reference/units.json',
  routing: 'reference/routing.json',
  deadlines: 'deadline-rules.json',
  calendar: 'calendar.json',
  triage: 'reference/triage.json',
  // `seats` are not shipped: admins name their consoles at run time (routes-seats.ts); nor is
  // `scoring`: DEFAULT_SCORING (src/shared/kpi-score.ts) until an admin sets one (routes-scoring.ts).
} as const satisfies Record<Exclude<keyof ReferenceData, 'seats' | 'scoring'>, string>

/**
 * Reads, parses and checks the reference data under `dir` (default: the repository's
 * resources/). Throws a `ReferenceDataError` naming every unreadable file or problem found.
 */
export async function loadReferenceData(dir: string = RESOURCES_DIR): Promise<ReferenceData> {
  const raw: Record<string, unknown> = {}
  const problems: string[] = []
  await Promise.all(
    Object.entries(REFERENCE_FILES).map(async ([key, file]) => {
      const path = join(dir, file)
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch (e) {
        problems.push(`${file}: cannot read ${path} (${(e as Error).message})`)
        return
      }
      try {
        raw[key] = JSON.parse(text)
      } catch (e) {
        problems.push(`${file}: not valid JSON (${(e as Error).message})`)
      }
    }),
  )
  if (problems.length > 0) throw new ReferenceDataError(problems.sort())
  return parseReferenceData(raw)
}
