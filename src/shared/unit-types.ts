// Kinds of unit (承办单位): reference data and unit scoring (kpi-score.ts) both name them.
export const UNIT_TYPES = [
  'district',
  // A district's or county's 12345 sub-centre (区/县级分中心): signs and dispatches down.
  'centre',
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
