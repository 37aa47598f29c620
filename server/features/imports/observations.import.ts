import { allowLongWork } from '../../../db/connect'
/**
 * Indicator tables: CSV `indicator,layer,area_code,period,value[,numerator,denominator,ci_low,ci_high]`
 * (Swedish column names too). All-or-nothing: every problem is reported by row and field, and nothing is
 * written unless the whole file is valid.
 */
import type { Kysely } from 'kysely'
import type { Database, NewObservation } from '../../../db/schema'
import { findColumn, parseNumber, readCsv } from '../../core/csv'
import { parsePeriod } from '../../core/period'
import type { Actor } from '../../../db/audit'
import { AppError } from '../../errors'
import {
  deleteObservations,
  deleteTimeProfilesAt,
  findActiveImportByHash,
  findExistingObservations,
  insertImportLog,
  insertObservations,
  listAreaVersions,
  listIndicatorUnits,
  listLayerIds,
  markReplaced,
} from './imports.repository'
import type { ObservationsImportResult } from './imports.schema'
import { csvProblem, meteredUpload, rejected } from './upload'

const COLUMNS = {
  indicator: ['indicator', 'indikator', 'indicator_id'],
  layer: ['layer', 'lager', 'indelning'],
  // Codes before names: the values export has both Område (name) and Kod, and the code is the key.
  areaCode: ['area_code', 'omradeskod', 'omrade_kod', 'kod', 'code', 'omrade'],
  period: ['period'],
  value: ['value', 'varde'],
  numerator: ['numerator', 'taljare', 'antal'],
  denominator: ['denominator', 'namnare'],
  ciLow: ['ci_low', 'ki_lag', 'ki_nedre', 'lower'],
  ciHigh: ['ci_high', 'ki_hog', 'ki_ovre', 'upper'],
} as const

type Problem = { row?: number; field?: string; message: string }

export async function importObservations(
  db: Kysely<Database>,
  body: AsyncIterable<Uint8Array>,
  opts: { fileName: string; replace: boolean; maxRows?: number; actor: Actor; keepDemoAccounts?: boolean },
): Promise<ObservationsImportResult> {
  const upload = meteredUpload(body)
  let csv
  try {
    csv = await readCsv(upload.stream, { maxRows: opts.maxRows ?? 2_000_000 })
  } catch (err) {
    throw csvProblem(err)
  }
  // The first candidate present wins, whatever its place in the header.
  const firstOf = (names: readonly string[]) => names.map((n) => findColumn(csv.header, [n])).find((i) => i >= 0) ?? -1
  const col = Object.fromEntries(Object.entries(COLUMNS).map(([k, names]) => [k, firstOf(names)])) as Record<keyof typeof COLUMNS, number>
  const missing = (['indicator', 'layer', 'areaCode', 'period', 'value'] as const).filter((k) => col[k] < 0)
  if (missing.length) {
    throw rejected(
      `Kolumner saknas: ${missing.map((k) => COLUMNS[k][0]).join(', ')}`,
      missing.map((k) => ({ row: 1, field: COLUMNS[k][0], message: `kolumnen saknas (godtas: ${COLUMNS[k].join(', ')})` })),
    )
  }

  const [units, layers, versions] = await Promise.all([listIndicatorUnits(db), listLayerIds(db), listAreaVersions(db)])
  const unitOf = new Map(units.map((u) => [u.id, u.unit]))
  const layerSet = new Set(layers)
  const byLayerCode = new Map<string, typeof versions>()
  for (const v of versions) {
    const k = `${v.layer_id}|${v.code}`
    byLayerCode.set(k, [...(byLayerCode.get(k) ?? []), v].sort((a, b) => a.valid_from.localeCompare(b.valid_from)))
  }

  const problems: Problem[] = []
  const rows: NewObservation[] = []
  const seen = new Map<string, number>()
  let rowsRead = 0
  try {
    for await (const { line, values } of csv.rows) {
      rowsRead++
      const cell = (k: keyof typeof COLUMNS) => (col[k] >= 0 ? (values[col[k]] ?? '').trim() : '')
      const bad = (field: string, message: string) => problems.push({ row: line, field, message })
      const num = (k: keyof typeof COLUMNS, field: string) => {
        const n = parseNumber(cell(k), csv.dialect.decimalComma)
        if (n !== null && !Number.isFinite(n)) {
          bad(field, `"${cell(k)}" är inget tal`)
          return undefined
        }
        return n
      }
      const indicator = cell('indicator')
      const unit = unitOf.get(indicator)
      if (!indicator) bad('indicator', 'saknas')
      else if (!unit) bad('indicator', `okänd indikator "${indicator}"`)
      const layer = cell('layer')
      if (!layer) bad('layer', 'saknas')
      else if (!layerSet.has(layer)) bad('layer', `okänd indelning "${layer}"`)
      const period = parsePeriod(cell('period'))
      if (!period) bad('period', `"${cell('period')}" är ingen period (t.ex. 2024, 2024-H1, 2024-Q3, 2024-05)`)
      const code = cell('areaCode')
      const candidates = byLayerCode.get(`${layer}|${code}`)
      if (layerSet.has(layer) && !candidates) bad('area_code', code ? `okänd områdeskod "${code}" i ${layer}` : 'saknas')
      const value = num('value', 'value')
      if (value === null) bad('value', 'saknas')
      const numerator = num('numerator', 'numerator')
      const denominator = num('denominator', 'denominator')
      const ciLow = num('ciLow', 'ci_low')
      const ciHigh = num('ciHigh', 'ci_high')
      if (typeof value === 'number' && unit === 'count' && (value < 0 || !Number.isInteger(value))) bad('value', 'ett antal måste vara ett heltal ≥ 0')
      if (typeof value === 'number' && unit === 'percent' && (value < 0 || value > 100)) bad('value', 'en andel i procent måste ligga mellan 0 och 100')
      // One source of truth: a count's denominator is the population of its area and year (population import).
      if (typeof denominator === 'number' && unit === 'count') bad('denominator', 'ett antal har ingen egen nämnare: befolkningen läses in per område och år (import av befolkning)')
      else if (typeof denominator === 'number' && denominator <= 0) bad('denominator', 'nämnaren måste vara större än 0')
      if (typeof numerator === 'number' && numerator < 0) bad('numerator', 'täljaren kan inte vara negativ')
      if ((ciLow === null) !== (ciHigh === null)) bad(ciLow === null ? 'ci_low' : 'ci_high', 'ange båda gränserna eller ingen')
      if (typeof ciLow === 'number' && typeof ciHigh === 'number' && ciLow > ciHigh) bad('ci_low', 'nedre gränsen är större än den övre')

      if (!unit || !period || !candidates || typeof value !== 'number' || numerator === undefined || denominator === undefined || ciLow === undefined || ciHigh === undefined) continue
      // The version valid when the period starts; data older than every version attach to the first one.
      const area = [...candidates].reverse().find((v) => v.valid_from <= period.start && (v.valid_to === null || v.valid_to > period.start)) ?? candidates[0]!
      const key = `${indicator}|${area.id}|${period.id}`
      const first = seen.get(key)
      if (first !== undefined) {
        bad('period', `samma indikator, område och period som rad ${first}`)
        continue
      }
      seen.set(key, line)
      rows.push({
        indicator_id: indicator,
        area_id: area.id,
        period: period.id,
        period_start: period.start,
        period_end: period.end,
        value,
        numerator,
        denominator,
        ci_low: ciLow,
        ci_high: ciHigh,
        import_id: 0,
      })
    }
  } catch (err) {
    throw csvProblem(err)
  }
  if (rowsRead === 0) throw rejected('Filen innehåller inga rader', [{ row: 2, message: 'inga datarader efter rubrikraden' }])
  if (problems.length) throw rejected('Filen har fel och lästes inte in', problems)

  const sha256 = upload.sha256()
  const earlier = await findActiveImportByHash(db, 'observations', sha256)
  if (earlier && !opts.replace) {
    throw new AppError(409, 'conflict', `Samma fil lästes redan in (import ${earlier.id}). Välj att ersätta den för att läsa in den igen.`, [
      { field: 'file', message: `same SHA-256 as import ${earlier.id}` },
    ])
  }
  const existing = await findExistingObservations(
    db,
    rows.map((r) => ({ indicatorId: r.indicator_id, areaId: r.area_id, period: r.period })),
  )
  if (existing.length && !opts.replace) {
    const sample = existing.slice(0, 20).map((e) => ({ field: 'period', message: `${e.indicator_id} ${e.period} för område ${e.area_id} finns redan (import ${e.import_id})` }))
    throw new AppError(409, 'conflict', `${existing.length} värden finns redan. Välj att ersätta dem för att skriva över.`, sample)
  }

  return db.transaction().execute(async (trx) => {
    await allowLongWork(trx)
    const importId = await insertImportLog(trx, {
      actor: opts.actor,
      keepDemoAccounts: opts.keepDemoAccounts,
      kind: 'observations',
      fileName: opts.fileName,
      sha256,
      rowsRead,
      rowsAccepted: rows.length,
      details: { dialect: csv.dialect, replacedValues: existing.length },
    })
    await deleteObservations(trx, existing.map((e) => e.id))
    // An incident month's weekday × hour counts go with the value they made up.
    await deleteTimeProfilesAt(trx, existing)
    await markReplaced(trx, [...new Set([...(earlier ? [earlier.id] : [])])], importId)
    await insertObservations(trx, rows.map((r) => ({ ...r, import_id: importId })))
    return { importId, rowsRead, rowsAccepted: rows.length, areasTouched: new Set(rows.map((r) => r.area_id)).size, replaced: existing.length }
  })
}
