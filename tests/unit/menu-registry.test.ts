// The registry drives everything a person can do: every workflow action has a key, the native
// menu lists every registry action once with Electron's spelling of its key, and the description
// the page sends to Electron's main process passes main's own check.
import { describe, expect, it } from 'vitest'
import { ACTION_NAMES, SERVER_ONLY_ACTIONS } from '../../src/shared/actions'
import { menuSpecSchema } from '../../src/shared/menu'
import { electronAccelerator, menuSpec } from '../../src/renderer/actions/menu'
import { ACTIONS, actionForKey, type Scope } from '../../src/renderer/actions/registry'
import { FORMS, FORM_IDS } from '../../src/renderer/ticket/action-forms'

const scope: Scope = {
  loggedIn: true,
  layer: 'none',
  ticketId: 'x',
  ticketOpen: false,
  allowed: ['ticket.callback', 'ticket.note'],
  canCreate: true,
  selection: 0,
  drill: false,
}

describe('the registry covers the ticket life', () => {
  it('gives every workflow action a key (creation is intake: N)', () => {
    // Issue 16: one key may run a second action where it applies (D dispatches down a level).
    const byWorkflow = new Set(
      ACTIONS.flatMap((a) => [a.workflow, ...(a.alsoRuns ?? [])]).filter(Boolean),
    )
    const missing = ACTION_NAMES.filter(
      (n) =>
        n !== 'ticket.create' &&
        !byWorkflow.has(n) &&
        n !== 'ticket.decideExtension' &&
        !SERVER_ONLY_ACTIONS.includes(n),
    )
    expect(missing).toEqual([])
    // Approve and refuse serve both decisions, and the reviews of what came up from below.
    expect(actionForKey('Y', { ...scope, allowed: ['ticket.reviewReply'] })?.id).toBe(
      'ticket.approve',
    )
    expect(actionForKey('D', { ...scope, allowed: ['ticket.dispatchDown'] })?.id).toBe(
      'ticket.dispatch',
    )
    expect(actionForKey('Y', { ...scope, allowed: ['ticket.decideExtension'] })?.id).toBe(
      'ticket.approve',
    )
    expect(actionForKey('Shift+Y', { ...scope, allowed: ['ticket.decideReturn'] })?.id).toBe(
      'ticket.refuse',
    )
    expect(actionForKey('N', scope)?.id).toBe('intake.open')
    expect(actionForKey('N', { ...scope, canCreate: false })).toBeNull()
  })

  it('offers a form only where its action is allowed, and bulk ones for a selection', () => {
    expect(actionForKey('C', scope)?.id).toBe('form.callback')
    expect(actionForKey('F', scope)).toBeNull()
    expect(actionForKey('Shift+M', scope)).toBeNull()
    expect(actionForKey('Shift+M', { ...scope, selection: 3 })?.id).toBe('form.merge')
    expect(actionForKey('D', { ...scope, selection: 2 })?.id).toBe('ticket.dispatch')
    for (const id of FORM_IDS) expect(FORMS[id].fields.length).toBeGreaterThan(0)
  })
})

describe('the native menu', () => {
  it('spells keys as Electron does', () => {
    expect(electronAccelerator('Ctrl+K')).toBe('CmdOrCtrl+K')
    expect(electronAccelerator('ArrowDown')).toBe('Down')
    expect(electronAccelerator('Shift+Delete')).toBe('Shift+Delete')
    expect(electronAccelerator('?')).toBe('Shift+/')
    expect(electronAccelerator('Alt+L')).toBe('Alt+L')
  })

  it('lists every action once, enabled as the scope says, in both languages', () => {
    for (const lang of ['zh', 'en'] as const) {
      const spec = menuSpec(scope, lang)
      expect(menuSpecSchema.safeParse(spec).success).toBe(true)
      const items = spec.flatMap((g) => g.items)
      expect(items.map((i) => i.id).sort()).toEqual(ACTIONS.map((a) => a.id).sort())
      const callback = items.find((i) => i.id === 'form.callback')!
      expect(callback).toMatchObject({ enabled: true, accelerator: 'C' })
      expect(items.find((i) => i.id === 'form.reply')!.enabled).toBe(false)
    }
    expect(menuSpec(scope, 'zh')[0]!.label).toBe('通用')
    const loggedOut = menuSpec({ ...scope, loggedIn: false, ticketId: null }, 'en')
    const enabled = loggedOut.flatMap((g) => g.items).filter((i) => i.enabled)
    expect(enabled.map((i) => i.id).sort()).toEqual(['help.toggle', 'lang.toggle', 'theme.toggle'])
  })
})

describe('the README', () => {
  it('lists exactly the registry’s shortcuts (npm run shortcuts prints the table)', async () => {
    const { readFile } = await import('node:fs/promises')
    const { shortcutRows, SHORTCUT_HEADER } =
      await import('../../src/renderer/actions/shortcut-table')
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const cells = (line: string) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim())
    const lines = readme.split('\n')
    const start = lines.findIndex(
      (l) => l.startsWith('|') && cells(l).join() === SHORTCUT_HEADER.join(),
    )
    expect(start, 'the shortcut table is in the README').toBeGreaterThan(0)
    const rows: string[][] = []
    for (let i = start + 2; lines[i]?.startsWith('|'); i++) rows.push(cells(lines[i]!))
    expect(rows).toEqual(shortcutRows())
  })
})

describe('chords', () => {
  it('G then S opens the dashboard, and G alone is bound to nothing', async () => {
    const { checkRegistry, startsChord } = await import('../../src/renderer/actions/registry')
    const { keyLabel } = await import('../../src/renderer/actions/keys')
    expect(actionForKey('G S', scope)?.id).toBe('dashboard.open')
    expect(actionForKey('G', scope)).toBeNull()
    expect(startsChord('G')).toBe(true)
    expect(keyLabel('G S')).toBe('G S')
    const clash = [...ACTIONS, { ...ACTIONS[0]!, id: 'g-alone', keys: ['G'] }]
    expect(() => checkRegistry(clash)).toThrow(/key G starts the chord G S/)
  })
})
