// What an agent reads when an input is wrong: the field by its name, what is wrong, in Chinese
// and in English.
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { actionArgSchemas, ticketDraftSchema } from '../../src/shared/actions'
import { parseWith } from '../../src/shared/validation'
import { draft } from '../helpers/workflow'

const errorsOf = (input: unknown, schema: z.ZodType = ticketDraftSchema) => {
  const r = parseWith(schema, input)
  if (r.ok) throw new Error('expected a validation error')
  return r.errors
}

describe('ticket draft validation', () => {
  it('accepts a well-formed draft and normalizes the phone number', () => {
    const r = parseWith(ticketDraftSchema, {
      ...draft(),
      caller: { ...draft().caller, phone: '138 0000-0001' },
    })
    expect(r.ok && r.value.caller.phone).toBe('13800000001')
  })

  it('names a missing description in both languages', () => {
    const [e] = errorsOf({ ...draft(), description: '   ' })
    expect(e).toEqual({
      field: 'description',
      code: 'required',
      message: { zh: '诉求内容不能为空', en: 'Description is required' },
    })
  })

  it('names a bad phone number by its nested field', () => {
    const [e] = errorsOf({ ...draft(), caller: { ...draft().caller, phone: '打不通' } })
    expect(e!.field).toBe('caller.phone')
    expect(e!.code).toBe('invalid_phone')
    // The reason says what to fix (the rules and their reasons: phone-rules.test.ts).
    expect(e!.message.zh).toBe(
      '来电号码有误：只能填数字（可带 +、-、空格、括号，分机号写在最后，如 转801）',
    )
    expect(e!.message.en).toMatch(/^Caller's phone is not valid: digits only/)
  })

  it('lists the allowed values for an unknown kind', () => {
    const [e] = errorsOf({ ...draft(), kind: 'rant' })
    expect(e!.field).toBe('kind')
    expect(e!.message.zh).toContain('诉求类型不是可选的值')
    expect(e!.message.en).toContain('complaint')
  })

  it('reports every problem at once, a missing address among them', () => {
    const d = draft()
    const errors = errorsOf({ ...d, urgency: 'whenever', location: { ...d.location, address: '' } })
    expect(errors.map((e) => e.field).sort()).toEqual(['location.address', 'urgency'])
    expect(errors.find((e) => e.field === 'location.address')!.message.zh).toBe('详细地址不能为空')
  })

  it('says what a too long text is', () => {
    const [e] = errorsOf({ ...draft(), description: '噪'.repeat(4001) })
    expect(e!.message).toEqual({
      zh: '诉求内容不能超过 4000 个字',
      en: 'Description must be at most 4000 characters',
    })
  })
})

describe('action argument validation', () => {
  it('requires a reason to return a ticket', () => {
    const schema = actionArgSchemas['ticket.requestReturn']
    const [e] = errorsOf({ ticketId: draft().id }, schema)
    expect(e!.message).toEqual({ zh: '理由不能为空', en: 'Reason is required' })
  })

  it('wants an ISO time with an offset for an extension', () => {
    const [e] = errorsOf(
      { ticketId: draft().id, until: '下周五', reason: '需协调' },
      actionArgSchemas['ticket.requestExtension'],
    )
    expect(e!.field).toBe('until')
    expect(e!.code).toBe('invalid_time')
    expect(e!.message.zh).toContain('申请延期至不是有效的时间')
  })

  it('refuses an edit that changes nothing and fields it does not know', () => {
    const schema = actionArgSchemas['ticket.update']
    expect(errorsOf({ ticketId: draft().id, patch: {} }, schema)[0]!.message.zh).toBe(
      '修改内容为空',
    )
    expect(errorsOf({ ticketId: draft().id, patch: { status: 'closed' } }, schema)[0]!.code).toBe(
      'unknown_field',
    )
  })

  it('checks satisfaction values on a callback', () => {
    const [e] = errorsOf(
      { ticketId: draft().id, satisfaction: 'meh' },
      actionArgSchemas['ticket.callback'],
    )
    expect(e!.field).toBe('satisfaction')
    expect(e!.message.zh).toContain('满意度')
  })
})
