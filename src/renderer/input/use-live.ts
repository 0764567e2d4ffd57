// State the key handler reads between renders (STYLE.md 12): set through one function that
// updates a ref at once and React's state for the next render, so a key judged before that
// render sees the change the key before it made.
import { useCallback, useRef, useState, type RefObject, type SetStateAction } from 'react'

export function useLive<T>(
  initial: T,
): readonly [T, (next: SetStateAction<T>) => void, RefObject<T>] {
  const [value, setValue] = useState(initial)
  const ref = useRef(initial)
  const set = useCallback((next: SetStateAction<T>) => {
    const v = typeof next === 'function' ? (next as (p: T) => T)(ref.current) : next
    ref.current = v
    setValue(v)
  }, [])
  return [value, set, ref] as const
}
