// The sync API's request shapes (DESIGN.md §4, issue 3).
import { z } from 'zod'
import { customIssue } from '../../shared/validation'

/** A console install's id: a uuid, or any short token of safe characters. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/)

export const mutationSchema = z.object({
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  key: z.string().max(100).nullish(),
  /** `ticket.dispatch`, optionally with a version suffix: `ticket.dispatch@1`. */
  name: z.string().min(1).max(100),
  args: z.unknown(),
  clientTime: z.string().max(64).nullish(),
})
export type PushMutation = z.output<typeof mutationSchema>

export const pushBodySchema = z.object({
  clientId: clientIdSchema,
  mutations: z
    .array(mutationSchema)
    .max(1000)
    .refine((ms) => ms.every((m, i) => i === 0 || m.id > ms[i - 1]!.id), {
      ...customIssue('out_of_order', {
        zh: '变更编号必须递增',
        en: 'must be in increasing id order',
      }),
    }),
})

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  clientId: clientIdSchema.optional(),
})

/** Versions of each mutation this server understands; a name without a suffix means 1. */
export const MUTATION_VERSIONS = [1] as const
