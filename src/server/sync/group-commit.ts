// Group commit across pushes (issue 18): the groups of concurrent pushes — different consoles'
// — are applied together in one transaction on the fast path (store/batch.ts): one begin (seqs,
// consoles' rows and tickets locked in id order, one round trip), one statement of writes, one
// commit for all of them. A push arriving while `MAX_OPEN` such transactions are open waits for
// the next one, which takes everything waiting. Two groups of one console never share one (the
// second must see what the first applied). If anything in a shared transaction fails, nothing of
// it is kept and every group in it is told so (`BatchFallback`, or the failure itself), and each
// is applied again alone (sync/push.ts).
import type { BatchWriter, ClientLasts, ClientUpdate, MutationTx, Store } from '../store'
import { BatchFallback } from '../store/batch'

export interface GroupJob<R> {
  /** Mutations in the group: it gets as many seqs. */
  n: number
  clientId: string
  ticketIds: string[]
  /** Applies the group through `w`; its console's lastMutationId to write, if it moved. */
  run(
    w: BatchWriter,
    tx: MutationTx,
    seqs: number[],
    clients: ClientLasts | null,
  ): Promise<{ result: R; client: ClientUpdate | null }>
}

interface Waiting<R> {
  job: GroupJob<R>
  resolve(r: R): void
  reject(e: unknown): void
}

/** Mutations one shared transaction takes at most. */
const MAX_MUTATIONS = 250

export class GroupCommitter {
  private readonly waiting: Array<Waiting<unknown>> = []
  private open = 0

  constructor(
    private readonly store: Store,
    /** Shared transactions open at once (PostgreSQL; SQLite's writers take turns anyway). */
    private readonly maxOpen: number,
    /**
     * Wait for the requests read in the same turn of the event loop before starting a batch.
     * SQLite answers synchronously: a batch started at once ran and committed before the next
     * request was even read, so every batch was one push and paid a commit of its own.
     */
    private readonly gather = false,
  ) {}

  /** A pump is due once the requests read in this turn have submitted theirs (`gather`). */
  private gathering = false

  submit<R>(job: GroupJob<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject } as Waiting<unknown>)
      if (!this.gather) this.pump()
      else if (!this.gathering) {
        this.gathering = true
        setImmediate(() => {
          this.gathering = false
          this.pump()
        })
      }
    })
  }

  private pump(): void {
    while (this.open < this.maxOpen && this.waiting.length) {
      const take: Array<Waiting<unknown>> = []
      const consoles = new Set<string>()
      let n = 0
      for (let i = 0; i < this.waiting.length;) {
        const w = this.waiting[i]!
        if (consoles.has(w.job.clientId) || (take.length && n + w.job.n > MAX_MUTATIONS)) {
          i++
          continue
        }
        take.push(w)
        consoles.add(w.job.clientId)
        n += w.job.n
        this.waiting.splice(i, 1)
      }
      this.open++
      void this.commit(take, n).finally(() => {
        this.open--
        this.pump()
      })
    }
  }

  private async commit(take: Array<Waiting<unknown>>, n: number): Promise<void> {
    try {
      const results = await this.store.mutateBatch(
        n,
        async (tx, seqs, pre) => {
          const w = tx.batch(pre?.tickets ?? null)
          const out: unknown[] = []
          const clients: ClientUpdate[] = []
          let at = 0
          for (const { job } of take) {
            const r = await job.run(w, tx, seqs.slice(at, at + job.n), pre?.clients ?? null)
            at += job.n
            out.push(r.result)
            if (r.client) clients.push(r.client)
          }
          try {
            await w.finish(clients)
          } catch (e) {
            throw BatchFallback.unless(e)
          }
          return out
        },
        {
          clientIds: take.map((w) => w.job.clientId),
          ticketIds: take.flatMap((w) => w.job.ticketIds),
        },
      )
      for (const [i, w] of take.entries()) w.resolve(results[i])
    } catch (e) {
      // Shared, a failure may be one group's alone: each is applied again by itself.
      const error = take.length > 1 ? BatchFallback.unless(e) : e
      for (const w of take) w.reject(error)
    }
  }
}

const committers = new WeakMap<Store, GroupCommitter>()

/** The store's committer (one per store, so per server process). */
export function committer(store: Store): GroupCommitter {
  let c = committers.get(store)
  if (!c) {
    c =
      store.engine === 'postgres'
        ? new GroupCommitter(store, 4)
        : new GroupCommitter(store, 1, true)
    committers.set(store, c)
  }
  return c
}
