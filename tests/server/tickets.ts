// Building mutations for tests.
import { randomUUID } from 'node:crypto'

let counter = 0
export const uuid = () => randomUUID()

export function createArgs(over: Record<string, unknown> = {}) {
  counter++
  return {
    ticket: {
      id: randomUUID(),
      channel: 'phone',
      kind: 'complaint',
      category: '0110',
      urgency: 'normal',
      caller: { name: '张先生', phone: '13805290000', anonymous: false },
      description: `梦溪路与学府路路口夜间占道经营，油烟扰民（测试 ${counter}）`,
      location: { address: '镇江市京口区梦溪路 18 号', district: '321102' },
      ...over,
    },
  }
}

export const mutation = (id: number, name: string, args: unknown) => ({
  id,
  key: randomUUID(),
  name,
  args,
  clientTime: new Date().toISOString(),
})
