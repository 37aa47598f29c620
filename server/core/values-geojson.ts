import type { Hidden } from '../disclosure/cube'
import { toExcelCsv } from './csv'

/**
 * A map's values joined to its areas' geometry as one GeoJSON FeatureCollection, for QGIS, R and
 * ogr2ogr without a join step. Pure: the caller hands over the values (as disclosed to the viewer)
 * and the areas' GeoJSON (the display copy the map draws).
 */

export interface ValuesForDownload {
  indicator: string
  layer: string
  period: string
  unit: string
  source: string
  demo: boolean
  suppression: { threshold: number; internal: boolean; pending?: boolean }
  values: Array<{
    areaId: number
    code: string
    name: string
    value: number | null
    suppressed: boolean
    hiddenOutside?: Hidden
    numerator?: number | null
    denominator?: number | null
    ciLow?: number | null
    ciHigh?: number | null
  }>
}

interface AreaFeature {
  id?: number | string
  geometry: unknown
  properties?: { id?: number } | null
}

/** What the file says about hidden figures, in the words the map's metadata uses. */
export function disclosureNote(s: { threshold: number; internal: boolean; pending?: boolean; unpublished?: boolean } | undefined): string {
  // A map frozen before the threshold was stored with it still hid the same figures.
  if (!s || typeof s.threshold !== 'number') return 'Värden som inte får visas (för få, eller som skulle röja andra) är tomma.'
  const base = s.internal
    ? `Analysvy: alla värden visas. Utanför analys visas inte värden under ${s.threshold} eller värden som skulle röja dem.`
    : `Värden under ${s.threshold}, och värden som skulle röja dem, visas inte.`
  const unpublished = s.unpublished ? ` ${UNPUBLISHED_NOTE}` : ''
  return s.pending ? `${base}${unpublished} ${PENDING_NOTE}` : `${base}${unpublished}`
}

/** Why a whole layer is empty for a period outside the analyst role. */
export const UNPUBLISHED_NOTE = 'Indelningen publiceras inte för perioden: nästan alla områden har för få fall.'

/** Why figures are withheld while the disclosure audit of new data runs. */
export const PENDING_NOTE = 'Några värden granskas ännu mot röjande efter den senaste importen och visas när granskningen är klar.'

/** The file name says what and when: lagesbild_<indikator>_<indelning>_<period>.<ext>. */
export function downloadName(v: { indicator: string; layer: string; period: string }, ext: string): string {
  return `lagesbild_${v.indicator}_${v.layer}_${v.period}.${ext}`.replace(/[^\w.-]/g, '_')
}

/**
 * One feature per value row, geometry from `areas` by area id (null if the area has none there);
 * hidden figures stay null. Top-level `metadata` is a GeoJSON foreign member GDAL ignores and people read.
 */
export function valuesFeatureCollection(
  values: ValuesForDownload,
  areas: { features: AreaFeature[] },
  meta: { name: string; generatedAt: string; snapshot?: number },
): Record<string, unknown> {
  const geometry = new Map<number, unknown>()
  for (const f of areas.features) {
    const id = Number(f.properties?.id ?? f.id)
    if (Number.isFinite(id)) geometry.set(id, f.geometry)
  }
  const features = values.values.map((v) => ({
    type: 'Feature',
    id: v.areaId,
    geometry: geometry.get(v.areaId) ?? null,
    properties: {
      id: v.areaId,
      code: v.code,
      name: v.name,
      value: v.suppressed ? null : v.value,
      suppressed: v.suppressed,
      // As the values answer discloses them: a suppressed count's denominator is the public population.
      numerator: v.suppressed ? null : (v.numerator ?? null),
      denominator: v.denominator ?? null,
      unit: values.unit,
      period: values.period,
    },
  }))
  return {
    type: 'FeatureCollection',
    metadata: {
      indicator: values.indicator,
      name: meta.name,
      source: values.source,
      period: values.period,
      unit: values.unit,
      layer: values.layer,
      demo: values.demo,
      suppression: { ...values.suppression, note: disclosureNote(values.suppression) },
      ...(meta.snapshot !== undefined ? { snapshot: meta.snapshot } : {}),
      generatedAt: meta.generatedAt,
    },
    features,
  }
}

const HIDDEN_WHY = { primary: 'för få', secondary: 'skyddar annat värde', release: 'skyddar publicerad lägesbild', unaudited: 'granskas ännu', unpublished: 'indelningen publiceras inte för perioden' } as const

/**
 * The values as Swedish Excel opens them as they are: UTF-8 with BOM, semicolons, decimal comma. Indikator
 * and Indelning last make the file one the observations import reads back as it is.
 */
export function valuesCsv(values: ValuesForDownload): string {
  const hiddenText = (v: ValuesForDownload['values'][number]) =>
    v.suppressed ? 'ja' : v.hiddenOutside ? `nej (döljs utanför analys: ${HIDDEN_WHY[v.hiddenOutside]})` : 'nej'
  // The disclosure note travels with every row (an import ignores Anmärkning), as source and period do.
  const note = disclosureNote(values.suppression)
  const rows = values.values.map((v) => [v.name, v.code, values.period, v.suppressed ? null : v.value, v.suppressed ? null : (v.numerator ?? null), v.denominator ?? null, v.ciLow ?? null, v.ciHigh ?? null, hiddenText(v), values.source, note, values.indicator, values.layer])
  // A count's denominator is the area's population (derived, never imported): named so, it reads back as no denominator.
  const header = ['Område', 'Kod', 'Period', 'Värde', 'Täljare', values.unit === 'count' ? 'Befolkning' : 'Nämnare', 'KI nedre', 'KI övre', 'Dold', 'Källa', 'Anmärkning', 'Indikator', 'Indelning']
  return toExcelCsv(header, rows)
}

/** A trend of areas (the comparison), as much of it as `series` gives the viewer. */
export interface SeriesForDownload {
  indicator: string
  unit: string
  source: string
  suppression: { threshold: number; internal: boolean; pending?: boolean }
  periods: string[]
  city: Array<{ period: string; value: number | null; suppressed: boolean; numerator: number | null; denominator: number | null }>
  series: Array<{ layer: string; code: string; name: string; points: Array<{ period: string; value: number | null; suppressed: boolean; numerator?: number | null; denominator?: number | null }> }>
}

/** One row per area (and the city) and period, in the same Swedish Excel form and with the same note as a map's values. */
export function seriesCsv(s: SeriesForDownload): string {
  const note = disclosureNote(s.suppression)
  const row = (name: string, code: string, layer: string, p: SeriesForDownload['city'][number] | SeriesForDownload['series'][number]['points'][number]) => [
    name,
    code,
    layer,
    p.period,
    p.suppressed ? null : p.value,
    p.suppressed ? null : (p.numerator ?? null),
    p.denominator ?? null,
    p.suppressed ? 'ja' : 'nej',
    s.source,
    note,
    s.indicator,
  ]
  const rows = [...s.series.flatMap((a) => a.points.map((p) => row(a.name, a.code, a.layer, p))), ...s.city.map((p) => row('Staden som helhet', '', 'stad', p))]
  const header = ['Område', 'Kod', 'Indelning', 'Period', 'Värde', 'Täljare', s.unit === 'count' ? 'Befolkning' : 'Nämnare', 'Dold', 'Källa', 'Anmärkning', 'Indikator']
  return toExcelCsv(header, rows)
}
