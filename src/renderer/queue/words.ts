// The queue's own words, in Chinese and English (src/renderer/i18n.ts holds the screens' shared
// ones).
import { useLang, type Localized } from '../i18n'

export const QUEUE_WORDS = {
  selected: { zh: '已选', en: 'selected' },
  selectionHint: {
    zh: 'X 选择 · Shift+X 连选 · Esc 取消选择',
    en: 'X selects · Shift+X selects a range · Esc clears',
  },
} satisfies Record<string, Localized>

/** "已选 12" / "12 selected". */
export function useSelectedText(): (n: number) => string {
  const lang = useLang()
  return (n) =>
    lang === 'zh' ? `${QUEUE_WORDS.selected.zh} ${n}` : `${n} ${QUEUE_WORDS.selected.en}`
}
