export interface RangeOption {
  id: string
  from: string
  to: string
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The ranges whole in the months held: each month, each whole quarter, each whole year (newest first). */
export function rangeOptions(months: readonly string[]): RangeOption[] {
  const held = new Set(months)
  const years = [...new Set(months.map((m) => m.slice(0, 4)))].sort().reverse()
  const out: RangeOption[] = []
  for (const y of years) {
    const all = Array.from({ length: 12 }, (_, k) => `${y}-${pad(k + 1)}`)
    if (all.every((m) => held.has(m))) out.push({ id: y, from: `${y}-01`, to: `${y}-12` })
    for (let q = 4; q >= 1; q--) {
      const ms = [1, 2, 3].map((k) => `${y}-${pad((q - 1) * 3 + k)}`)
      if (ms.every((m) => held.has(m))) out.push({ id: `${y}-Q${q}`, from: ms[0]!, to: ms[2]! })
    }
    for (const m of all.slice().reverse()) if (held.has(m)) out.push({ id: m, from: m, to: m })
  }
  return out
}

