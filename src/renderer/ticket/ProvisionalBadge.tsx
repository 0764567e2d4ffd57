// "暂定" beside a deadline counted on a year whose official holidays are not entered yet (issue
// 19): it may move when the year is entered. The hint says why, on hover and for screen readers.
import { useT } from '../i18n'

export function ProvisionalBadge() {
  const t = useT()
  return (
    <span
      className="provisional-badge"
      title={t('provisionalHint')}
      aria-label={t('provisionalHint')}
    >
      {t('provisional')}
    </span>
  )
}
