// A console's push as the server benchmarks send it (bench:server, bench:megacity): a new call,
// a note, its dispatch and an urge — four mutations on one ticket.
import { randomUUID } from 'node:crypto'

const ISSUES = ['夜间施工噪音扰民', '路灯不亮', '小区门口占道经营', '井盖缺失', '垃圾清运不及时']

export function ticketPush(
  n: number,
  clientIndex: number,
  firstId: number,
  where: { places: readonly string[]; unit: string },
) {
  const ticketId = randomUUID()
  const at = new Date().toISOString()
  const m = (k: number, name: string, args: unknown) => ({
    id: firstId + k,
    key: randomUUID(),
    name,
    args,
    clientTime: at,
  })
  return [
    m(0, 'ticket.create', {
      ticket: {
        id: ticketId,
        channel: 'phone',
        kind: 'complaint',
        category: '0110',
        urgency: 'normal',
        caller: {
          name: `压测${clientIndex}`,
          phone: `1380529${String(n % 10000).padStart(4, '0')}`,
        },
        description: `${ISSUES[n % ISSUES.length]}（压测 ${clientIndex}-${n}）`,
        location: {
          address: `${where.places[n % where.places.length]} ${n % 300} 号`,
          district: '321102',
        },
      },
    }),
    m(1, 'ticket.note', { ticketId, text: '来电人情绪激动，请尽快处理' }),
    m(2, 'ticket.dispatch', { ticketId, unit: where.unit, instructions: '请按时办理' }),
    m(3, 'ticket.urge', { ticketId, text: '请尽快签收' }),
  ]
}
