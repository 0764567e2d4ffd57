// What screens tell the key pipeline: a transition starts (keys typed meanwhile wait for it) and
// ends; a layer (dialog, form, overlay) is ready for keys — its first field has the focus.
import { createContext, useContext } from 'react'

/** Why keys wait; the refusal names it when they waited too long. */
export type WaitReason =
  'intake' | 'form' | 'ticket' | 'view' | 'rows' | 'selection' | 'saving' | 'action'

export interface TypeAhead {
  /** Keys typed from now on wait until the returned function is called. */
  begin(why: WaitReason): () => void
  /** State changed: keys waiting for it get another look. */
  settle(): void
}

export interface Layers {
  /** The topmost layer has put the focus where typing should go: waiting keys may run. */
  ready(): void
  /** Where the focus goes when a layer closes and the place it came from is gone. */
  home(): void
}

const noop = () => {}
export const TypeAheadContext = createContext<TypeAhead>({ begin: () => noop, settle: noop })
export const LayersContext = createContext<Layers>({ ready: noop, home: noop })

export const useTypeAhead = (): TypeAhead => useContext(TypeAheadContext)
export const useLayers = (): Layers => useContext(LayersContext)
