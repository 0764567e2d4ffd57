// Whom each level may dispatch to (issue 16), for the dispatch dialog's choices and suggestions:
// the same rule the workflow checks (`mayDispatchTo`), read from the reference data.
import type { ReferenceData, Unit } from './reference'
import { indexReference } from './reference-data'

/** The active units `from` may dispatch down to: its `dispatchTo` list, else its child units. */
export function dispatchTargets(data: ReferenceData, from: string): Unit[] {
  const ix = indexReference(data)
  const f = ix.units.get(from)
  const codes = f?.dispatchTo ?? ix.unitChildren.get(from) ?? []
  return codes.flatMap((c) => {
    const u = ix.units.get(c)
    return u && u.active ? [u] : []
  })
}

/** The district's or county's 12345 sub-centre, if it has one. */
export function subCentreOf(data: ReferenceData, district: string | null): Unit | undefined {
  if (!district) return undefined
  return data.units.find(
    (u) =>
      u.type === 'centre' && u.active && u.districts.length === 1 && u.districts[0] === district,
  )
}
