import { useState } from 'react'
import type { TimeProfileLayersDto } from '../../../../server/features/time-profile/time-profile.schema'
import { periodLabel } from '../../lib/format'
import { useApiQuery } from '../../lib/queries'
import { useSession } from '../../lib/session'
import { TimeProfileTable } from './TimeProfileTable'

interface Option {
  id: string
  from: string
  to: string
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The ranges whole in the months held: each month, each whole quarter, each whole year (newest first). */
export function rangeOptions(months: readonly string[]): Option[] {
  const held = new Set(months)
  const years = [...new Set(months.map((m) => m.slice(0, 4)))].sort().reverse()
  const out: Option[] = []
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

/** For the map's area panel: the heat table where the layer has one for the indicator, with a range to pick (members only). */
export function AreaTimeProfile({ indicator, layer, areaId }: { indicator: string; layer: string; areaId: number }) {
  const { user } = useSession()
  const layers = useApiQuery<TimeProfileLayersDto>(user ? '/api/analysis/time-profile/layers' : null)
  const entry = layers.data?.layers.find((l) => l.indicator === indicator && l.layer === layer)
  const options = entry ? rangeOptions(entry.months) : []
  // The newest quarter if there is one (a month alone is mostly hidden), else the newest month.
  const fallback = options.find((o) => o.id.includes('Q')) ?? options[0]
  const [chosen, setChosen] = useState<string | null>(null)
  const range = options.find((o) => o.id === chosen) ?? fallback
  if (!user || !entry || !range) return null
  return (
    <section className="area-time-profile" aria-labelledby="atp-h" data-testid="area-time-profile">
      <h3 id="atp-h">Veckodag och timme</h3>
      <label className="tp-range">
        Period{' '}
        <select value={range.id} onChange={(e) => setChosen(e.target.value)} data-testid="time-profile-range">
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {periodLabel(o.id)}
            </option>
          ))}
        </select>
      </label>
      <TimeProfileTable indicator={indicator} layer={layer} areaId={areaId} range={{ from: range.from, to: range.to }} />
    </section>
  )
}
