// Ids made on the console besides ticket ids (UUIDv7, src/shared/ids.ts): mutation keys and the
// console's own id, random uuids.
import { randomUUID } from 'node:crypto'

export const uuid = (): string => randomUUID()
