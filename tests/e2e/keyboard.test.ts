// The action registry and the filter language, without a browser: one binding a key, key presses
// spelled as the registry spells them, and `status:new 噪音` read the way a dispatcher means it.
import { describe, expect, it } from 'vitest'
import { parseReferenceData } from '../../src/shared/reference-data'
import { loadReferenceData } from '../../src/server/reference-files'
import { comboOf, keyLabel, type KeyPress } from '../../src/renderer/actions/keys'
import {
  ACTIONS,
  checkRegistry,
  actionForKey,
  type Scope,
} from '../../src/renderer/actions/registry'
import { parseFilter } from '../../src/renderer/queue/filter-parse'
import { buildNames } from '../../src/renderer/state/reference'

const press = (p: Partial<KeyPress> & { key: string }): string | null =>
  comboOf({ code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...p })

describe('the action registry', () => {
  it('binds every key once', () => {
    expect(() => checkRegistry(ACTIONS)).not.toThrow()
    const twice = [...ACTIONS, { ...ACTIONS[0]!, id: 'copy', keys: ['J'] }]
    expect(() => checkRegistry(twice)).toThrow(/key J is bound to both queue.down and copy/)
  })

  it('spells presses as the registry does', () => {
    expect(press({ key: 'j', code: 'KeyJ' })).toBe('J')
    expect(press({ key: 'K', code: 'KeyK', shiftKey: true })).toBe('Shift+K')
    expect(press({ key: 'k', code: 'KeyK', ctrlKey: true })).toBe('Ctrl+K')
    expect(press({ key: '¬', code: 'KeyL', altKey: true })).toBe('Alt+L')
    expect(press({ key: '?', code: 'Slash', shiftKey: true })).toBe('?')
    expect(press({ key: '1', code: 'Digit1' })).toBe('1')
    expect(press({ key: 'ArrowDown', code: 'ArrowDown' })).toBe('ArrowDown')
    expect(press({ key: 'Shift', code: 'ShiftLeft', shiftKey: true })).toBeNull()
    expect(keyLabel('ArrowDown')).toBe('↓')
  })

  it('offers ticket actions only when the rules allow them', () => {
    const scope: Scope = {
      loggedIn: true,
      layer: 'none',
      ticketId: 'x',
      ticketOpen: false,
      allowed: ['ticket.note'],
      canCreate: true,
      selection: 0,
      drill: false,
    }
    expect(actionForKey('D', scope)).toBeNull()
    expect(actionForKey('M', scope)?.id).toBe('ticket.note')
    expect(actionForKey('J', { ...scope, layer: 'help' })).toBeNull()
    expect(actionForKey('Alt+L', { ...scope, loggedIn: false })?.id).toBe('lang.toggle')
  })
})

describe('the filter bar', async () => {
  const names = buildNames(parseReferenceData(await loadReferenceData()))

  it('reads fields by code, Chinese or English, and keeps the rest as text', () => {
    const { filter, unknown } = parseFilter('status:new 状态:办理中 urgency:紧急 噪音 扰民', names)
    expect(filter).toEqual({
      status: ['new', 'in_progress'],
      urgency: ['urgent'],
      text: '噪音 扰民',
    })
    expect(unknown).toEqual([])
  })

  it('finds units and districts by pinyin initials or Chinese', () => {
    const { filter } = parseFilter('district:jkq unit：京口区城市管理局', names)
    expect(filter.district).toEqual(['321102'])
    expect(filter.unit).toHaveLength(1)
  })

  it('says which terms it did not understand', () => {
    expect(parseFilter('status:nonsense', names).unknown).toEqual(['status:nonsense'])
  })
})
