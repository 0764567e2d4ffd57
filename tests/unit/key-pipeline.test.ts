// The type-ahead pipeline without a browser: keys held while a transition is pending run in the
// order typed once it settles; a key that cannot be judged yet waits; nothing waits longer than
// the bound, and what is given up is refused out loud — never dropped.
import { describe, expect, it } from 'vitest'
import { KeyPipeline, type Held, type PipelineHost } from '../../src/renderer/input/key-pipeline'

/** A host with a hand-driven clock: `tick(ms)` runs the timers that fall due, in order. */
function fakeHost(judge: (k: Held) => 'done' | 'wait' = () => 'done') {
  let now = 0
  let timers: Array<{ at: number; fn: () => void; id: number }> = []
  let seq = 0
  const ran: string[] = []
  const refused: Array<{ keys: string[]; why: string | null }> = []
  const name = (k: Held) => (k.kind === 'key' ? k.press.key : `«${k.text}»`)
  const host: PipelineHost = {
    replay: (k) => {
      const v = judge(k)
      if (v === 'done') ran.push(name(k))
      return v
    },
    refuse: (keys, why) => refused.push({ keys: keys.map(name), why }),
    now: () => now,
    later: (fn, ms) => {
      const id = ++seq
      timers.push({ at: now + ms, fn, id })
      return () => {
        timers = timers.filter((t) => t.id !== id)
      }
    },
  }
  const tick = (ms = 0) => {
    const end = now + ms
    for (;;) {
      timers.sort((a, b) => a.at - b.at || a.id - b.id)
      const t = timers[0]
      if (!t || t.at > end) break
      timers.shift()
      now = t.at
      t.fn()
    }
    now = end
  }
  const key = (k: string): Held => ({
    kind: 'key',
    press: { key: k, code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false },
    at: now,
  })
  return {
    host,
    tick,
    ran,
    refused,
    key,
    text: (t: string): Held => ({ kind: 'text', text: t, at: now }),
  }
}

describe('the type-ahead pipeline', () => {
  it('holds keys while a transition is pending and runs them in order once it settles', () => {
    const h = fakeHost()
    const p = new KeyPipeline(h.host)
    expect(p.holding()).toBe(false)
    const end = p.begin('受理界面打开')
    expect(p.holding()).toBe(true)
    for (const k of ['1', '3', '9', 'Tab']) p.hold(h.key(k))
    p.hold(h.text('王'))
    h.tick(30)
    expect(h.ran).toEqual([])
    end()
    h.tick(0)
    expect(h.ran).toEqual(['1', '3', '9', 'Tab', '«王»'])
    expect(p.holding()).toBe(false)
    expect(h.refused).toEqual([])
  })

  it('stops again at a key that starts a transition of its own', () => {
    const h = fakeHost()
    const p = new KeyPipeline(h.host)
    let end2: (() => void) | null = null
    const host = h.host
    const inner = host.replay
    host.replay = (k) => {
      const v = inner(k)
      // `C` opens a form: what follows waits for it.
      if (k.kind === 'key' && k.press.key === 'c') end2 = p.begin('回访表单打开')
      return v
    }
    const end = p.begin('载入')
    for (const k of ['j', 'c', '1', 'x']) p.hold(h.key(k))
    end()
    h.tick(5)
    expect(h.ran).toEqual(['j', 'c'])
    end2!()
    h.tick(5)
    expect(h.ran).toEqual(['j', 'c', '1', 'x'])
  })

  it('a key that cannot be judged yet waits for the next settle', () => {
    let ready = false
    const h = fakeHost(() => (ready ? 'done' : 'wait'))
    const p = new KeyPipeline(h.host)
    p.hold(h.key('X'))
    p.hold(h.key('D'))
    p.settle()
    h.tick(10)
    expect(h.ran).toEqual([])
    expect(p.waiting()).toHaveLength(2)
    ready = true
    p.settle()
    h.tick(10)
    expect(h.ran).toEqual(['X', 'D'])
  })

  it('refuses, out loud and in order, what waited longer than the bound — with the reason', () => {
    const h = fakeHost()
    const p = new KeyPipeline(h.host, 1000)
    p.begin('工单载入')
    p.hold(h.key('T'))
    h.tick(400)
    p.hold(h.key('a'))
    h.tick(599)
    expect(h.refused).toEqual([])
    h.tick(1)
    expect(h.refused).toEqual([{ keys: ['T', 'a'], why: '工单载入' }])
    expect(h.ran).toEqual([])
    expect(p.waiting()).toHaveLength(0)
  })

  it('keys typed after a refusal are judged afresh', () => {
    const h = fakeHost()
    const p = new KeyPipeline(h.host, 1000)
    const end = p.begin('慢')
    p.hold(h.key('a'))
    h.tick(1000)
    expect(h.refused).toHaveLength(1)
    end()
    expect(p.holding()).toBe(false)
  })

  it('a transition that never settles stops holding keys (and says so)', () => {
    const h = fakeHost()
    const p = new KeyPipeline(h.host, 1000, 5000)
    const warn = console.warn
    const warned: unknown[] = []
    console.warn = (m: unknown) => warned.push(m)
    try {
      p.begin('坏掉的过渡')
      expect(p.holding()).toBe(true)
      h.tick(5001)
      expect(p.holding()).toBe(false)
      expect(String(warned[0])).toContain('坏掉的过渡')
    } finally {
      console.warn = warn
    }
  })

  it('ending a transition twice does no harm', () => {
    const h = fakeHost()
    const p = new KeyPipeline(h.host)
    const a = p.begin('a')
    const b = p.begin('b')
    p.hold(h.key('j'))
    a()
    a()
    h.tick(0)
    expect(h.ran).toEqual([])
    b()
    h.tick(0)
    expect(h.ran).toEqual(['j'])
  })
})
