// The bulletin as DOCX (issue 17): a ZIP that `unzip` reads and tests, with the Office Open XML
// parts Word needs, and the bulletin's tables — the same cells as bulletin-text.ts gives the page
// and the XLSX — parsed back from word/document.xml, escaped text included.
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bulletinDocx } from '../../src/core/bulletin-docx'
import { buildBulletin, type PeriodInput } from '../../src/shared/bulletin'
import { bulletinTables } from '../../src/shared/bulletin-text'
import type { ReferenceData } from '../../src/shared/reference'
import { events, opts, tickets, types } from '../helpers/levels-fixture'
import { tempDir } from './helpers'

const ref = {
  units: Object.entries(types).map(([code, type]) => ({ code, name: `单位${code}`, type })),
  scoring: null,
} as unknown as Pick<ReferenceData, 'units' | 'scoring'>
const empty: PeriodInput = { period: { from: 0, to: 1 }, tickets: [], events: [] }
// A unit name with characters XML must escape.
const names = {
  unit: (c: string | null) => (c === 'CB' ? '市<城管>局 & "站"' : `单位${c}`),
  category: (c: string) => c,
}

/** Table rows of a WordprocessingML body, as cell texts. */
function tablesOf(xml: string): string[][][] {
  const text = (s: string) =>
    [...s.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)]
      .map((m) => m[1]!)
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1]!.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => text(c[1]!)),
    ),
  )
}

describe('the bulletin as DOCX', () => {
  const b = buildBulletin({ period: opts.period, tickets, events }, empty, empty, ref, opts.now)
  const written = () => {
    const file = join(tempDir(), 'bulletin.docx')
    writeFileSync(file, bulletinDocx(b, names, 'zh', '2026年12月月度通报'))
    return file
  }

  it.runIf(existsSync('/usr/bin/unzip'))('is a ZIP with the parts Word reads', () => {
    const file = written()
    expect(execFileSync('unzip', ['-tq', file]).toString()).toMatch(/No errors/)
    const list = execFileSync('unzip', ['-Z1', file]).toString().trim().split('\n')
    expect(list).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml'])
    const types = execFileSync('unzip', ['-p', file, '[[]Content_Types].xml']).toString()
    expect(types).toContain('wordprocessingml.document.main+xml')
  })

  it.runIf(existsSync('/usr/bin/unzip'))('holds the same tables as the page and the XLSX', () => {
    const file = written()
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString('utf8')
    expect(xml).toContain('2026年12月月度通报')
    const want = bulletinTables(b, names, 'zh').filter((t) => t.rows.length > 0)
    const got = tablesOf(xml)
    expect(got).toEqual(want.map((t) => [t.headers, ...t.rows]))
    const ranking = got.find((t) => t[0]!.includes('层级'))!
    expect(ranking.map((r) => r[2])).toContain('市<城管>局 & "站"')
    // Tables with nothing to list say so in a paragraph.
    for (const t of bulletinTables(b, names, 'zh').filter((x) => x.rows.length === 0))
      expect(xml).toContain(t.empty)
  })
})
