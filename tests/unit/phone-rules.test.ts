// Callers' numbers by the rules people in China use (issue 13): what is accepted, how it is
// stored, and — for what is refused — the reason in Chinese, naming what to fix. The truncated
// numbers of the issue (a lost key or two) are refused, never saved.
import { describe, expect, it } from 'vitest'
import { phone, ticketDraftSchema } from '../../src/shared/actions'
import { checkPhone } from '../../src/shared/phone-rules'
import { fieldErrors } from '../../src/shared/validation'

const ok = (raw: string) => {
  const c = checkPhone(raw)
  if (!c.ok) throw new Error(`${raw}: ${c.reason.zh}`)
  return [c.kind, c.normalized]
}
const refused = (raw: string) => {
  const c = checkPhone(raw)
  if (c.ok) throw new Error(`${raw} was accepted as ${c.kind}`)
  return c.reason.zh
}

describe('phone rules', () => {
  it('mobiles: 11 digits, 13–19, however they are spaced', () => {
    expect(ok('13912345678')).toEqual(['mobile', '13912345678'])
    expect(ok('139 1234 5678')).toEqual(['mobile', '13912345678'])
    expect(ok('139-1234-5678')).toEqual(['mobile', '13912345678'])
    expect(ok('+86 139 1234 5678')).toEqual(['mobile', '13912345678'])
    expect(ok('0086 13912345678')).toEqual(['mobile', '13912345678'])
  })

  it('landlines with their area code: 010/02x and 8 digits, 0xxx and 7–8', () => {
    expect(ok('0511-85551234')).toEqual(['landline', '051185551234'])
    expect(ok('(0511) 8555 1234')).toEqual(['landline', '051185551234'])
    expect(ok('010-62751234')).toEqual(['landline', '01062751234'])
    expect(ok('025 84561234')).toEqual(['landline', '02584561234'])
    expect(ok('0898-6512345')).toEqual(['landline', '08986512345'])
    expect(ok('+86 511 8555 1234')).toEqual(['landline', '051185551234'])
  })

  it('extensions after a landline or a 400/800 number', () => {
    expect(ok('0511-85551234-801')).toEqual(['landline', '051185551234#801'])
    expect(ok('0511-85551234转801')).toEqual(['landline', '051185551234#801'])
    expect(ok('051185551234 ext 8012')).toEqual(['landline', '051185551234#8012'])
    expect(ok('400-820-8820 转 3')).toEqual(['toll_free', '4008208820#3'])
    expect(refused('13912345678转801')).toContain('没有分机号')
  })

  it('service numbers, 400/800 and foreign numbers', () => {
    expect(ok('95588')).toEqual(['service', '95588'])
    expect(ok('95105588')).toEqual(['service', '95105588'])
    expect(ok('12345')).toEqual(['service', '12345'])
    expect(ok('10086')).toEqual(['service', '10086'])
    expect(ok('110')).toEqual(['service', '110'])
    expect(ok('400 820 8820')).toEqual(['toll_free', '4008208820'])
    expect(ok('800-810-8888')).toEqual(['toll_free', '8008108888'])
    expect(ok('+1 415 555 0132')).toEqual(['foreign', '+14155550132'])
    expect(ok('+852 2345 6789')).toEqual(['foreign', '+85223456789'])
    expect(ok('0044 20 7946 0958')).toEqual(['foreign', '+442079460958'])
  })

  it('refuses, saying why in Chinese — the issue’s truncated numbers included', () => {
    expect(refused('952811234')).toContain('11 位手机号')
    expect(refused('2811234')).toBe('有误：座机号码请加区号（如 0511-85551234）')
    expect(refused('4')).toContain('服务号码')
    expect(refused('1391234567')).toBe('有误：手机号应为 11 位，现为 10 位')
    expect(refused('139123456789')).toBe('有误：手机号应为 11 位，现为 12 位')
    expect(refused('12912345678')).toBe('有误：手机号第二位应为 3–9')
    expect(refused('0511-8555')).toContain('区号加 7–8 位号码')
    expect(refused('0511-05551234')).toContain('区号加 7–8 位号码')
    expect(refused('400-820-882')).toBe('有误：400/800 号码应为 10 位，现为 9 位')
    expect(refused('138abc45678')).toContain('只能填数字')
    expect(refused('+86 12345')).toContain('有误')
    expect(refused('+1 23')).toContain('国际号码')
    expect(checkPhone('13912345678').ok && checkPhone('   ').ok).toBe(false)
  })

  it('is the schema every boundary uses: the field named, the reason after it', () => {
    expect(phone.parse(' 0511-85551234 ')).toBe('051185551234')
    const r = ticketDraftSchema.shape.caller.safeParse({ phone: '2811234' })
    expect(r.success).toBe(false)
    const [e] = fieldErrors(r.error!, 'caller')
    expect(e).toMatchObject({
      field: 'caller.phone',
      code: 'invalid_phone',
      message: { zh: '来电号码有误：座机号码请加区号（如 0511-85551234）' },
    })
    expect(e!.message.en).toMatch(/^Caller's phone is not valid: add the area code/)
  })
})
