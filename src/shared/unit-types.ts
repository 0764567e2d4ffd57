// Kinds of unit (承办单位): reference data and unit scoring (kpi-score.ts) both name them.
export const UNIT_TYPES = [
  'district',
  'street',
  'town',
  'community',
  'bureau',
  'utility',
  'telecom',
  'police',
  'enterprise',
  'other',
] as const
export type UnitType = (typeof UNIT_TYPES)[number]
