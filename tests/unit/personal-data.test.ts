// One masking of personal numbers (src/shared/personal-data.ts, issue 12): every form people type
// — full-width digits, dots, spaces, brackets, 8-digit local numbers, ID cards with an X — masked
// in free text, with the text around them kept as written; dates, decimals and the hotline's own
// ticket numbers left alone; the caller's name masked wherever it appears.
import { describe, expect, it } from 'vitest'
import { normalizePhone, phone } from '../../src/shared/actions'
import { maskPhone } from '../../src/shared/api'
import {
  foldWidth,
  maskDigits,
  maskNumbers,
  maskPersonalText,
} from '../../src/shared/personal-data'

describe('personal numbers in free text', () => {
  const cases: Array<[string, string]> = [
    ['电话13912345678', '电话139****5678'],
    ['电话 １３９１２３４５６７８ 谢谢', '电话 139****5678 谢谢'],
    ['手机139.1234.5678。', '手机139****5678。'],
    ['手机 139 1234 5678，', '手机 139****5678，'],
    ['+86 139-1234-5678', '861****5678'],
    ['座机（0511）8888-1234', '座机（051****1234'],
    ['座机 (0511)88881234', '座机 (051****1234'],
    ['家里电话 88881234', '家里电话 88****34'],
    ['家里电话８８８８１２３４', '家里电话88****34'],
    ['身份证 32110219800101123X 号', '身份证 321****123X 号'],
    ['身份证３２１１０２１９８００１０１１２３Ｘ', '身份证321****123X'],
    ['身份证 3211 0219 8001 0112 34', '身份证 321****1234'],
    ['QQ 12345678@qq.com', 'QQ 12****78@qq.com'],
  ]
  it.each(cases)('%s → %s', (text, want) => {
    expect(maskNumbers(text)).toBe(want)
  })

  it('leaves dates, times, decimals, short numbers and ticket numbers alone', () => {
    for (const text of [
      '2026-11-28 09:30 到场',
      '2026.11.28',
      '罚款 12000 元，门牌 18 号 502 室',
      '坐标 119.452012',
      '与工单 20261128000123 合并',
      '热线 12345',
    ])
      expect(maskNumbers(text)).toBe(text)
  })

  it('masks the names given and e-mail addresses', () => {
    const text = '欧阳建国（ouyang.jg@example.cn，电话 138 0529 1234）反映：欧阳建国家楼下'
    expect(maskPersonalText(text, ['欧阳建国'])).toBe(
      '欧***（o***@example.cn，电话 138****1234）反映：欧***家楼下',
    )
    // A one-character name would mask that character everywhere: left to the number masking.
    expect(maskPersonalText('王说路灯坏了', ['王'])).toBe('王说路灯坏了')
  })

  it('masks a number by its length, the same way in lists and in text, idempotently', () => {
    expect(maskDigits('13805290001')).toBe('138****0001')
    expect(maskDigits('051288881234')).toBe('051****1234')
    expect(maskDigits('88881234')).toBe('88****34')
    expect(maskDigits('8888123')).toBe('8****23')
    expect(maskDigits('12345')).toBe('1**45')
    for (const n of ['13805290001', '051288881234', '88881234', '8888123', '12345', '110'])
      expect(maskDigits(maskDigits(n))).toBe(maskDigits(n))
    expect(maskPhone('88881234')).toBe('88****34')
  })

  it('folds full-width forms, and a caller phone typed that way is valid and stored in ASCII', () => {
    expect(foldWidth('１３９　１２３４－５６７８')).toBe('139 1234-5678')
    expect(normalizePhone('１３９－１２３４－５６７８')).toBe('13912345678')
    expect(normalizePhone('139.1234.5678')).toBe('13912345678')
    expect(phone.parse('（０５１１）８８８８ １２３４')).toBe('051188881234')
  })
})
