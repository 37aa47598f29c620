/** Wilson score interval for a binomial proportion x/n (Wilson 1927); z = 1.96 gives 95 %. */
export function wilsonInterval(x: number, n: number, z = 1.959963984540054): [low: number, high: number] {
  if (!Number.isFinite(x) || !Number.isFinite(n) || n <= 0 || x < 0 || x > n) {
    throw new RangeError(`wilsonInterval: need 0 ≤ x ≤ n and n > 0, got x=${x}, n=${n}`)
  }
  const p = x / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}
