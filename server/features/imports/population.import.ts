import { allowLongWork } from '../../../db/connect'
/**
 * Population per area and year (POST /api/imports/population): the files population.reader.ts reads,
 * for one layer. All or nothing: every problem by row and field, existing (area, year) figures only with
 * replace, logged in import_log (kind population) and audited; the data version moves, so every figure
 * built on population is derived anew.
 */
import type { Kysely } from 'kysely'
import type { Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { readCsv, sniffDialect } from '../../core/csv'
import { AppError } from '../../errors'
import { findExistingPopulation, insertImportLog, listAreaVersions, listLayerIds, writePopulation } from './imports.repository'
import type { PopulationImportResult } from './imports.schema'
import { findHeader, readPopulationRows, type Problem } from './population.reader'
import { csvProblem, meteredUpload, rejected } from './upload'

/** Population tables are small (Sweden's DeSO for ten years is a few MB). */
const MAX_BYTES = 64 * 1024 * 1024

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let length = 0
  for await (const c of body) {
    chunks.push(c)
    length += c.byteLength
  }
  const out = new Uint8Array(length)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/** UTF-8 (with or without BOM) where it decodes, else windows-1252 (Excel's and PX-Web's ANSI). */
function decode(bytes: Uint8Array): string {
  const { bom } = sniffDialect(bytes.subarray(0, 64 * 1024))
  const body = bom ? bytes.subarray(3) : bytes
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return new TextDecoder('windows-1252').decode(body)
  }
}

export async function importPopulation(
  db: Kysely<Database>,
  body: AsyncIterable<Uint8Array>,
  opts: { layerId: string; replace: boolean; fileName: string; actor: Actor; keepDemoAccounts?: boolean },
): Promise<PopulationImportResult> {
  const layers = await listLayerIds(db)
  if (!layers.includes(opts.layerId)) {
    throw new AppError(422, 'validation_failed', `Okänd indelning: ${opts.layerId}`, [{ field: 'layer', message: `indelningen finns inte (${layers.join(', ')})` }])
  }
  const upload = meteredUpload(body, MAX_BYTES)
  const bytes = await readAll(upload.stream)
  const lines = decode(bytes).split(/\r\n|\n|\r/)
  const header = findHeader(lines)
  if (!header) {
    throw rejected('Filen har ingen rubrikrad med områdeskod', [{ row: 1, field: 'kod', message: 'ingen kolumn kod, region, deso, regso eller primaromrade_kod bland de första raderna' }])
  }
  // From the header on, through the one CSV reader (quotes, decimal comma); the title lines before it are counted in line numbers.
  const rest = new TextEncoder().encode(lines.slice(header.index).join('\n'))
  let csv
  const rows = []
  try {
    csv = await readCsv((async function* () { yield rest })(), { encoding: 'utf-8', delimiter: header.delimiter, maxRows: 500_000 })
    for await (const r of csv.rows) rows.push({ line: r.line + header.index, values: r.values })
  } catch (err) {
    throw csvProblem(err)
  }
  if (rows.length === 0) throw rejected('Filen innehåller inga rader', [{ row: header.index + 2, message: 'inga datarader efter rubrikraden' }])
  const { entries, problems } = readPopulationRows(csv.header, rows, csv.dialect.decimalComma)

  // Codes of the layer: the current version, else the latest one.
  const versions = (await listAreaVersions(db)).filter((v) => v.layer_id === opts.layerId)
  const idOf = new Map<string, { id: number; current: boolean }>()
  for (const v of versions) {
    const had = idOf.get(v.code)
    if (!had || (!had.current && (v.valid_to === null || v.id > had.id))) idOf.set(v.code, { id: v.id, current: v.valid_to === null })
  }
  const all: Problem[] = [...problems]
  const rowsOut: Array<{ areaId: number; year: number; population: number }> = []
  for (const e of entries) {
    const area = idOf.get(e.code)
    if (!area) all.push({ row: e.line, field: e.codeField, message: `okänd områdeskod "${e.code}" i ${opts.layerId}` })
    else rowsOut.push({ areaId: area.id, year: e.year, population: e.population })
  }
  if (all.length) throw rejected('Filen har fel och lästes inte in', all.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)))
  if (rowsOut.length === 0) throw rejected('Filen har inga folkmängder', [{ row: header.index + 2, message: 'alla värden saknas ("..")' }])

  const existing = await findExistingPopulation(db, rowsOut)
  if (existing.length && !opts.replace) {
    const codeOf = new Map(versions.map((v) => [v.id, v.code]))
    throw new AppError(409, 'conflict', `${existing.length} folkmängder finns redan. Välj att ersätta dem för att skriva över.`,
      existing.slice(0, 20).map((e) => ({ field: 'år', message: `${opts.layerId} ${codeOf.get(e.area_id) ?? e.area_id} ${e.year} finns redan (${e.source})` })))
  }
  const sha256 = upload.sha256()
  const years = [...new Set(rowsOut.map((r) => r.year))].sort((a, b) => a - b)
  const areas = new Set(rowsOut.map((r) => r.areaId)).size
  return db.transaction().execute(async (trx) => {
    await allowLongWork(trx)
    const importId = await insertImportLog(trx, {
      actor: opts.actor,
      keepDemoAccounts: opts.keepDemoAccounts,
      kind: 'population',
      fileName: opts.fileName,
      sha256,
      rowsRead: rows.length,
      rowsAccepted: rowsOut.length,
      details: { layer: opts.layerId, years, areas, replacedValues: existing.length },
    })
    await writePopulation(trx, rowsOut, `Importerad: ${opts.fileName}`, importId)
    return { importId, layer: opts.layerId, areas, years, rows: rowsOut.length, replaced: existing.length }
  })
}
