/**
 * Pure statistics for Lägesbild (no db, no http): local spatial statistics, multiple testing, empirical
 * Bayes rates, change tests and the distribution functions under them. Reference values come from R and
 * spdep (tests/fixtures/spdep/make-fixtures.R); R is never needed at runtime.
 */
export { NeighbourGraph, neighbourGraph, type Neighbours } from './neighbours'
export {
  gStar,
  gStarClass,
  localMoran,
  permutationPValues,
  type GStarClass,
  type GStarResult,
  type LocalMoranResult,
  type PermutationResult,
  type Quadrant,
} from './hotspots'
export { benjaminiHochberg } from './multiple-testing'
export { ebGlobal, ebLocal, type EbGlobalResult, type EbLocalResult } from './rates'
export { poissonRateChange, poissonRiseP, proportionChange, type PoissonRateChange, type ProportionChange } from './change'
export { displacement, type DisplacementCounts, type DisplacementResult } from './displacement'
export { binomTestTwoSided, dBinom, erfc, logGamma, pBeta, pBinom, pNorm, pNormTwoSided, qBeta } from './distributions'
export { Xoshiro128ss } from './random'
export { EMERGING_CLASSES, emergingClass, emergingHotSpots, mannKendall, type Bin, type EmergingClass, type EmergingResult, type MannKendall } from './emerging'
