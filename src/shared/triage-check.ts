// What the triage data's schema cannot say: every category, unit and place it names exists, a
// gazetteer entry's community lies in its street and its street in its district, and no word
// stands for two categories unnoticed. Called by checkReferenceData.
import type { ReferenceIndex } from './reference-data'

export function checkTriageData(index: ReferenceIndex): string[] {
  const t = index.data.triage
  if (!t) return []
  const problems: string[] = []
  const { categories, units, districts } = index

  const owner = new Map<string, string>()
  t.keywords.forEach((k, i) => {
    const where = `triage keywords #${i + 1} (${k.category})`
    if (!categories.has(k.category)) problems.push(`${where}: category does not exist`)
    else if (!index.isLeaf(k.category)) problems.push(`${where}: not a leaf category`)
    for (const w of k.words) {
      const other = owner.get(w)
      if (other != null && other !== k.category)
        problems.push(`${where}: word ${w} is also a word of ${other}`)
      owner.set(w, k.category)
    }
  })

  t.organisations.forEach((o, i) => {
    const where = `triage organisation #${i + 1} (${o.name})`
    for (const u of o.units) if (!units.has(u)) problems.push(`${where}: unit ${u} does not exist`)
    for (const c of o.categories)
      if (!categories.has(c)) problems.push(`${where}: category ${c} does not exist`)
  })

  t.gazetteer.forEach((p, i) => {
    const where = `gazetteer #${i + 1} (${p.name})`
    if (!districts.has(p.district)) problems.push(`${where}: district ${p.district} does not exist`)
    const street = units.get(p.street)
    if (!street) problems.push(`${where}: street ${p.street} does not exist`)
    else if (!street.districts.includes(p.district))
      problems.push(`${where}: street ${p.street} is not in district ${p.district}`)
    if (p.community != null) {
      const c = units.get(p.community)
      if (!c) problems.push(`${where}: community ${p.community} does not exist`)
      else if (c.parent !== p.street)
        problems.push(`${where}: community ${p.community} is not in street ${p.street}`)
    }
  })
  return problems
}
