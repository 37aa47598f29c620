import { useState } from 'react'
import type { TimeProfileLayersDto } from '../../../../server/features/time-profile/time-profile.schema'
import { periodLabel } from '../../lib/format'
import { useApiQuery } from '../../lib/queries'
import { useSession } from '../../lib/session'
import { rangeOptions } from './ranges'
import { TimeProfileTable } from './TimeProfileTable'

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
