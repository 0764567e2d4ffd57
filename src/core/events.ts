// The core's typed event stream: the renderer subscribes once and hears every ConsoleEvent.
import type { ConsoleEvent, ConsoleEventName, ConsoleEvents } from '../shared/api'

export type Listener = (event: ConsoleEvent) => void

export class EventHub {
  private readonly listeners = new Set<Listener>()

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  emit<K extends ConsoleEventName>(type: K, payload: ConsoleEvents[K]): void {
    const event = { type, payload } as ConsoleEvent
    // A listener that throws must not stop the others, nor the sync that emitted.
    for (const l of [...this.listeners]) {
      try {
        l(event)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
