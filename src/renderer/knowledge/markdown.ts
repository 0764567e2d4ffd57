// A small Markdown reader for knowledge answers (issue 15), safe by construction: it produces a
// tree of plain data that Markdown.tsx renders as React elements — never HTML strings, never
// innerHTML — so a `<script>` or `<img onerror>` in an answer is text on the screen. Links keep
// only http(s), tel: and mailto: targets; anything else (javascript:, data:, vbscript:, a
// relative path) becomes plain text. What it reads: paragraphs, `#` headings, `-`/`*`/`1.`
// lists, **bold**, *italic*, `code` and [text](url).

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: 1 | 2 | 3; c: Inline[] }
  | { t: 'ul' | 'ol'; items: Inline[][] }

const SAFE_LINK = /^(https?:\/\/[^\s]+|tel:[+\d\-\s()]+|mailto:[^\s@]+@[^\s@]+)$/i

/** Whether a link target may be followed: web pages, phone numbers and mail only. */
export const safeHref = (href: string): boolean => SAFE_LINK.test(href.trim())

export function parseInline(s: string): Inline[] {
  const out: Inline[] = []
  let text = ''
  const flush = () => {
    if (text) out.push({ t: 'text', v: text })
    text = ''
  }
  let i = 0
  while (i < s.length) {
    const rest = s.slice(i)
    let m: RegExpExecArray | null
    if ((m = /^`([^`]+)`/.exec(rest))) {
      flush()
      out.push({ t: 'code', v: m[1]! })
    } else if ((m = /^\*\*([^*]+(?:\*(?!\*)[^*]*)*)\*\*/.exec(rest))) {
      flush()
      out.push({ t: 'strong', c: parseInline(m[1]!) })
    } else if ((m = /^\*([^*\s][^*]*)\*/.exec(rest))) {
      flush()
      out.push({ t: 'em', c: parseInline(m[1]!) })
    } else if ((m = /^\[([^\]]+)\]\(([^)\s]*)\)/.exec(rest))) {
      flush()
      const label = parseInline(m[1]!)
      if (safeHref(m[2]!)) out.push({ t: 'link', href: m[2]!.trim(), c: label })
      else out.push(...label)
    } else {
      text += s[i]
      i++
      continue
    }
    i += m[0].length
  }
  flush()
  return out
}

export function parseMarkdown(md: string): Block[] {
  const blocks: Block[] = []
  let para: string[] = []
  let list: { t: 'ul' | 'ol'; items: Inline[][] } | null = null
  const endPara = () => {
    if (para.length) blocks.push({ t: 'p', c: parseInline(para.join(' ')) })
    para = []
  }
  const endList = () => {
    if (list) blocks.push(list)
    list = null
  }
  for (const raw of md.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim()
    if (!line) {
      endPara()
      endList()
      continue
    }
    const h = /^(#{1,3})\s+(.*)$/.exec(line)
    const ul = /^[-*+]\s+(.*)$/.exec(line)
    const ol = /^\d+[.)、]\s*(.*)$/.exec(line)
    if (h) {
      endPara()
      endList()
      blocks.push({ t: 'h', level: h[1]!.length as 1 | 2 | 3, c: parseInline(h[2]!) })
    } else if (ul || ol) {
      endPara()
      const kind = ul ? 'ul' : 'ol'
      if (list && list.t !== kind) endList()
      list ??= { t: kind, items: [] }
      list.items.push(parseInline((ul ?? ol)![1]!))
    } else {
      endList()
      para.push(line)
    }
  }
  endPara()
  endList()
  return blocks
}

/** The text an agent reads out or sends: the Markdown's words without its marks. */
export function spokenText(md: string): string {
  const inline = (xs: Inline[]): string =>
    xs.map((x) => (x.t === 'text' || x.t === 'code' ? x.v : inline(x.c))).join('')
  return parseMarkdown(md)
    .map((b) =>
      b.t === 'p' || b.t === 'h'
        ? inline(b.c)
        : b.items.map((it, i) => `${b.t === 'ol' ? `${i + 1}. ` : '· '}${inline(it)}`).join('\n'),
    )
    .join('\n')
}
