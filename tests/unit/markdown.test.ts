// Knowledge answers are Markdown written by people: rendered as React elements from a parsed tree,
// so raw HTML is shown as text and only http(s), tel: and mailto: links survive — checked on the
// markup React produces, which is what the page shows.
import { createElement, type FunctionComponent } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { parseMarkdown, safeHref, spokenText } from '../../src/renderer/knowledge/markdown'

// The component is TSX, which the Node side's type check does not read: imported by a path the
// checker leaves alone, and run by vitest as it is.
const COMPONENT: string = '../../src/renderer/knowledge/Markdown.tsx'
const { Markdown } = (await import(COMPONENT)) as {
  Markdown: FunctionComponent<{ text: string }>
}

const html = (md: string) => renderToStaticMarkup(createElement(Markdown, { text: md }))

describe('knowledge answers as safe Markdown', () => {
  it('renders paragraphs, lists, bold, italic, code and web links', () => {
    const out = html(
      '办理方式：\n\n- 线上：**镇江公积金** App\n- 线下：*窗口*办理\n\n1. 身份证\n2. 银行卡\n\n详见[公积金中心](https://gjj.zhenjiang.gov.cn/x?a=1)，电话 `0511-12329`',
    )
    expect(out).toContain(
      '<ul><li>线上：<strong>镇江公积金</strong> App</li><li>线下：<em>窗口</em>办理</li></ul>',
    )
    expect(out).toContain('<ol><li>身份证</li><li>银行卡</li></ol>')
    expect(out).toContain(
      '<a href="https://gjj.zhenjiang.gov.cn/x?a=1" target="_blank" rel="noopener noreferrer">公积金中心</a>',
    )
    expect(out).toContain('<code>0511-12329</code>')
  })

  it('shows raw HTML as text and never makes an element of it', () => {
    const out = html('<script>alert(1)</script> <img src=x onerror="alert(2)"> <b>粗</b>')
    expect(out).not.toMatch(/<script|<img|<b>/)
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;')
  })

  it('drops javascript:, data: and relative link targets, keeping the words', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>x</script>',
      'vbscript:x',
      '/admin',
      '//evil.example/x',
    ]) {
      expect(safeHref(href), href).toBe(false)
      const out = html(`[点我](${href})`)
      expect(out, href).not.toContain('<a')
      expect(out, href).toContain('点我')
    }
    for (const href of ['https://a.b/c', 'http://a.b', 'tel:12345', 'mailto:x@y.cn'])
      expect(safeHref(href), href).toBe(true)
  })

  it('reads the answer out without its marks', () => {
    expect(spokenText('**先**办理，再[查询](https://a.b)\n\n- 甲\n- 乙')).toBe(
      '先办理，再查询\n· 甲\n· 乙',
    )
    expect(parseMarkdown('')).toEqual([])
  })
})
