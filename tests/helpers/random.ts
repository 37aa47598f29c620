/** Seeded randomness for tests and benchmarks: the demo generator's mulberry32, and Poisson counts. */
export { seededRandom as mulberry32 } from '../../geodata/demo'

/** Poisson by Knuth's method, in pieces of λ ≤ 30 so that e^−λ stays well inside a double. */
export function poisson(rnd: () => number, lambda: number): number {
  let k = 0
  for (let left = lambda; left > 0; left -= 30) {
    const limit = Math.exp(-Math.min(left, 30))
    for (let p = rnd(); p > limit; p *= rnd()) k++
  }
  return k
}
