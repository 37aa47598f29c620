/**
 * Neighbour structures. Callers give `number[][]` (0-based index lists, symmetric, without the area itself;
 * `[]` is an island); the statistics work on a compressed sparse row copy. Converting once with
 * `neighbourGraph()` and passing the graph skips the checks on every call, which matters in loops.
 */

/** Validated neighbours in CSR form: the neighbours of area i are indices[offsets[i] … offsets[i+1]). */
export class NeighbourGraph {
  readonly n: number
  readonly offsets: Int32Array
  readonly indices: Int32Array

  private constructor(n: number, offsets: Int32Array, indices: Int32Array) {
    this.n = n
    this.offsets = offsets
    this.indices = indices
    Object.freeze(this)
  }

  /** Number of neighbours of area i (0 for an island). */
  degree(i: number): number {
    return this.offsets[i + 1]! - this.offsets[i]!
  }

  /**
   * Checks and converts neighbour lists: every index an integer in [0, n), none equal to its own area, no
   * duplicates, and symmetric (j lists i whenever i lists j). The input is not modified.
   */
  static from(neighbours: readonly (readonly number[])[], fn = 'neighbourGraph'): NeighbourGraph {
    if (!Array.isArray(neighbours)) {
      throw new TypeError(`${fn}: neighbours must be an array of index arrays, got ${neighbours === null ? 'null' : typeof neighbours}`)
    }
    const n = neighbours.length
    const offsets = new Int32Array(n + 1)
    for (let i = 0; i < n; i++) {
      const row = neighbours[i]
      if (!Array.isArray(row)) throw new TypeError(`${fn}: neighbours[${i}] must be an array of indices, got ${row === null ? 'null' : typeof row}`)
      offsets[i + 1] = offsets[i]! + row.length
    }
    const indices = new Int32Array(offsets[n]!)
    const stamp = new Int32Array(n).fill(-1)
    for (let i = 0; i < n; i++) {
      const row = neighbours[i]!
      let at = offsets[i]!
      for (const j of row) {
        if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= n) {
          throw new RangeError(`${fn}: neighbours[${i}] contains ${String(j)}, not an area index in [0, ${n})`)
        }
        if (j === i) throw new RangeError(`${fn}: neighbours[${i}] contains the area itself (self is added where a statistic needs it)`)
        if (stamp[j] === i) throw new RangeError(`${fn}: neighbours[${i}] lists ${j} twice`)
        stamp[j] = i
        indices[at++] = j
      }
    }
    // Symmetry: binary search in sorted copies of the rows.
    const sorted = indices.slice()
    for (let i = 0; i < n; i++) sorted.subarray(offsets[i]!, offsets[i + 1]!).sort()
    const has = (i: number, j: number) => {
      let lo = offsets[i]!
      let hi = offsets[i + 1]!
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (sorted[mid]! < j) lo = mid + 1
        else hi = mid
      }
      return lo < offsets[i + 1]! && sorted[lo] === j
    }
    for (let i = 0; i < n; i++) {
      for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
        const j = indices[e]!
        if (!has(j, i)) throw new RangeError(`${fn}: neighbours are not symmetric: ${i} lists ${j} but ${j} does not list ${i}`)
      }
    }
    return new NeighbourGraph(n, offsets, indices)
  }
}

export type Neighbours = readonly (readonly number[])[] | NeighbourGraph

/** Validates and converts neighbour lists once, for repeated use. */
export function neighbourGraph(neighbours: readonly (readonly number[])[]): NeighbourGraph {
  return NeighbourGraph.from(neighbours)
}

/** The graph of `neighbours`, checked against the number of areas. */
export function toGraph(fn: string, neighbours: Neighbours, n: number): NeighbourGraph {
  const g = neighbours instanceof NeighbourGraph ? neighbours : NeighbourGraph.from(neighbours, fn)
  if (g.n !== n) throw new RangeError(`${fn}: neighbours describe ${g.n} areas but x has ${n} values`)
  return g
}
