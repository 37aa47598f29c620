/**
 * xoshiro128** (Blackman & Vigna 2018), seeded through splitmix32: a small, fast generator with a
 * 2^128 − 1 period, so that permutation p-values are reproducible from one integer seed.
 */
export function xoshiro128ss(seed: number): () => number {
  let s = seed >>> 0
  const splitmix32 = () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = splitmix32()
  let b = splitmix32()
  let c = splitmix32()
  let d = splitmix32()
  if ((a | b | c | d) === 0) a = 1 // the all-zero state is a fixed point
  /** The next 32-bit unsigned integer. */
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
    return r
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
