// How the dashboard and the printed report write their figures: one percentage, one dash for
// "no figure", so a rate reads the same on the screen and on paper.
export const pct = (r: number | null): string => (r == null ? '—' : `${(r * 100).toFixed(1)}%`)
