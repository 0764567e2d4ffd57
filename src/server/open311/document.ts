// One answer, two formats. GeoReport v2 defines XML and derives JSON from it by the Spark
// convention (a repeated child element becomes a JSON array, the root element disappears), so
// handlers build one document and this file writes it either way.

export type Scalar = string | number | boolean | null
export type Value = Scalar | List | { readonly [element: string]: Value }

/** A list of same-named elements: `<services><service>…</service>…</services>` in XML, an array in JSON. */
export class List {
  constructor(
    readonly item: string,
    readonly items: readonly Value[],
  ) {}
}

export const list = (item: string, items: readonly Value[]): List => new List(item, items)

export type Format = 'json' | 'xml'

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, FFFE/FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

/** Text made safe as XML character data: markup escaped, impossible characters dropped. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

function element(name: string, value: Value, out: string[]): void {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`)
  if (value === null) {
    out.push(`<${name}/>`)
    return
  }
  if (value instanceof List) {
    out.push(`<${name}>`)
    for (const item of value.items) element(value.item, item, out)
    out.push(`</${name}>`)
    return
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`)
    for (const [child, v] of Object.entries(value)) element(child, v, out)
    out.push(`</${name}>`)
    return
  }
  const text = typeof value === 'number' && !Number.isFinite(value) ? '' : String(value)
  out.push(`<${name}>${escapeXml(text)}</${name}>`)
}

/** The document as XML, with the declaration the spec requires. */
export function toXml(root: string, value: Value): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n']
  element(root, value, out)
  out.push('\n')
  return out.join('')
}

/** The same document as the Spark convention's JSON value. */
export function toJsonValue(value: Value): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof List) return value.items.map(toJsonValue)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]))
}

export function render(format: Format, root: string, value: Value): string {
  return format === 'json' ? JSON.stringify(toJsonValue(value)) : toXml(root, value)
}
