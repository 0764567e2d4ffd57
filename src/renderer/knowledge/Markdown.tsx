// Renders a knowledge answer from the parsed tree (markdown.ts) as React elements: no HTML is
// ever interpreted, links open nothing inside the console (the page may not navigate, see
// src/main/security.ts) and carry rel="noopener noreferrer".
import type { ReactNode } from 'react'
import { parseMarkdown, type Inline } from './markdown'

function inline(xs: Inline[]): ReactNode[] {
  return xs.map((x, i) => {
    switch (x.t) {
      case 'text':
        return x.v
      case 'code':
        return <code key={i}>{x.v}</code>
      case 'strong':
        return <strong key={i}>{inline(x.c)}</strong>
      case 'em':
        return <em key={i}>{inline(x.c)}</em>
      case 'link':
        return (
          <a key={i} href={x.href} target="_blank" rel="noopener noreferrer">
            {inline(x.c)}
          </a>
        )
    }
  })
}

export function Markdown(props: { text: string; className?: string }) {
  return (
    <div className={props.className ?? 'md'}>
      {parseMarkdown(props.text).map((b, i) => {
        if (b.t === 'p') return <p key={i}>{inline(b.c)}</p>
        if (b.t === 'h') {
          const H = `h${b.level + 2}` as 'h3' | 'h4' | 'h5'
          return <H key={i}>{inline(b.c)}</H>
        }
        const L = b.t
        return (
          <L key={i}>
            {b.items.map((it, j) => (
              <li key={j}>{inline(it)}</li>
            ))}
          </L>
        )
      })}
    </div>
  )
}
