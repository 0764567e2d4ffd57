// The monthly bulletin as a Word document (DOCX, Office Open XML): the title, the scoring edition
// and the tables of src/shared/bulletin-text.ts, each under its heading — the same words as the
// printed page and the XLSX, in a file a supervisor edits and forwards in Word or WPS. Text is
// XML-escaped; nothing is a field or a macro.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Bulletin } from '../shared/bulletin'
import { bulletinTables, type BulletinNames } from '../shared/bulletin-text'
import type { Lang } from '../shared/validation'
import { zip } from './zip'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot carry.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')

const FONT = '<w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun"/>'
function run(text: string, o: { bold?: boolean; size?: number } = {}): string {
  const props = `${FONT}${o.bold ? '<w:b/>' : ''}${o.size ? `<w:sz w:val="${o.size * 2}"/>` : ''}`
  return `<w:r><w:rPr>${props}</w:rPr><w:t xml:space="preserve">${esc(text)}</w:t></w:r>`
}
const para = (text: string, o: { bold?: boolean; size?: number; center?: boolean } = {}) =>
  `<w:p>${o.center ? '<w:pPr><w:jc w:val="center"/></w:pPr>' : ''}${run(text, o)}</w:p>`

function table(headers: string[], rows: string[][]): string {
  const border = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
    .map((s) => `<w:${s} w:val="single" w:sz="4" w:space="0" w:color="808080"/>`)
    .join('')
  const cell = (text: string, bold = false) =>
    `<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>${para(text, { bold, size: 9 })}</w:tc>`
  const row = (cells: string[], head = false) =>
    `<w:tr>${head ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${cells.map((c) => cell(c, head)).join('')}</w:tr>`
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>${border}</w:tblBorders></w:tblPr>` +
    `<w:tblGrid>${headers.map(() => '<w:gridCol/>').join('')}</w:tblGrid>` +
    row(headers, true) +
    rows.map((r) => row(r)).join('') +
    '</w:tbl>'
  )
}

/** The document's XML body: title, scoring edition, then each table under its heading. */
export function bulletinDocumentXml(
  b: Bulletin,
  names: BulletinNames,
  lang: Lang,
  title: string,
): string {
  const body: string[] = [
    para(title, { bold: true, size: 16, center: true }),
    para(`${lang === 'zh' ? '考核办法：' : 'Scoring: '}${b.scoringLabel}`, { size: 10 }),
  ]
  for (const t of bulletinTables(b, names, lang)) {
    body.push(para(t.title, { bold: true, size: 12 }))
    body.push(t.rows.length === 0 ? para(t.empty) : table(t.headers, t.rows))
  }
  // Landscape A4: the ranking is wide.
  const sect =
    '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>' +
    '<w:pgMar w:top="1000" w:right="1000" w:bottom="1000" w:left="1000" w:header="500" w:footer="500" w:gutter="0"/></w:sectPr>'
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<w:document xmlns:w="${W}"><w:body>${body.join('')}${sect}</w:body></w:document>`
  )
}

export function bulletinDocx(b: Bulletin, names: BulletinNames, lang: Lang, title: string): Buffer {
  const types =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
    '</Types>'
  const rels =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
    '</Relationships>'
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(types) },
    { name: '_rels/.rels', data: Buffer.from(rels) },
    { name: 'word/document.xml', data: Buffer.from(bulletinDocumentXml(b, names, lang, title)) },
  ])
}

/** Writes the document into the exports folder; answers its path and name. */
export function writeBulletinDocx(
  dir: string,
  name: string,
  b: Bulletin,
  names: BulletinNames,
  lang: Lang,
  title: string,
): { file: string; name: string } {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, name)
  writeFileSync(file, bulletinDocx(b, names, lang, title))
  return { file, name }
}
