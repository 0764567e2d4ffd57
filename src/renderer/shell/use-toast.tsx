// The console's one-line messages: the latest for 4 s, errors marked (role="alert").
import { useCallback, useState } from 'react'

export function useToast() {
  const [toast, setToast] = useState<{ text: string; error: boolean } | null>(null)
  const say = useCallback((text: string, error = false) => {
    setToast({ text, error })
    setTimeout(() => setToast((x) => (x?.text === text ? null : x)), 4000)
  }, [])
  const view = toast && (
    <div className={`toast ${toast.error ? 'error' : ''}`} role="alert">
      {toast.text}
    </div>
  )
  return { say, view }
}
