/**
 * An LP attacker on published tables, for tests: for a hidden cell, the least and the greatest value it can
 * take given every shown value, every relation `total = Σ parts` at once and that counts are ≥ 0 — what
 * tau-Argus's audit computes. Written independently of server/disclosure/lp-audit.ts: one plain LP in
 * CPLEX LP text per bound, solved by HiGHS's one-shot API, no merging of cells and no witnesses.
 */
import loadHighs from 'highs'

type Highs = Awaited<ReturnType<typeof loadHighs>>
let highs: Highs | null = null

export interface Bounds {
  lo: number
  hi: number
}

/**
 * Bounds of the hidden cells `targets` (ids of cells whose value is null), from `cells` (id → shown value,
 * or null when hidden) and the relations an attacker knows.
 */
export async function lpBounds(
  cells: Map<string, number | null>,
  relations: ReadonlyArray<{ total: string; parts: readonly string[] }>,
  targets: readonly string[],
  /** Σ lesser ≤ Σ greater: containment between layers that do not nest, as read off the boundaries. */
  inequalities: ReadonlyArray<{ lesser: readonly string[]; greater: readonly string[] }> = [],
): Promise<Map<string, Bounds>> {
  highs ??= await loadHighs()
  const name = new Map<string, string>()
  for (const [id, v] of cells) if (v === null) name.set(id, `x${name.size}`)
  const rows: string[] = []
  for (const r of relations) {
    let rhs = 0
    const terms: string[] = []
    const add = (id: string, sign: number) => {
      const v = cells.get(id)
      if (v === undefined) throw new Error(`relation names unknown cell ${id}`)
      if (v === null) terms.push(`${sign > 0 ? '+' : '-'} ${name.get(id)}`)
      else rhs -= sign * v
    }
    add(r.total, -1)
    for (const p of r.parts) add(p, 1)
    if (terms.length > 0) rows.push(` r${rows.length}: ${terms.join(' ')} = ${rhs}`)
  }
  for (const q of inequalities) {
    let rhs = 0
    const terms: string[] = []
    for (const [ids, sign] of [[q.lesser, 1], [q.greater, -1]] as const) {
      for (const id of ids) {
        const v = cells.get(id)
        if (v === undefined) throw new Error(`inequality names unknown cell ${id}`)
        if (v === null) terms.push(`${sign > 0 ? '+' : '-'} ${name.get(id)}`)
        else rhs -= sign * v
      }
    }
    if (terms.length > 0) rows.push(` r${rows.length}: ${terms.join(' ')} <= ${rhs}`)
  }
  const out = new Map<string, Bounds>()
  const bound = (id: string, sense: 'Maximize' | 'Minimize'): number => {
    const lp = `${sense}\n obj: ${name.get(id)}\nSubject To\n${rows.join('\n')}\nEnd\n`
    const s = highs!.solve(lp)
    if (s.Status === 'Unbounded') return Infinity
    if (s.Status !== 'Optimal') throw new Error(`LP attacker: ${s.Status}`)
    return s.ObjectiveValue
  }
  for (const id of targets) {
    if (!name.has(id)) throw new Error(`${id} is not hidden`)
    out.set(id, { lo: bound(id, 'Minimize'), hi: bound(id, 'Maximize') })
  }
  return out
}
