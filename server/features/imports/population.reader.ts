/**
 * Population tables as they come (pure: no db, no http): long form `kod;år;antal` (Swedish or English
 * names), SCB's statistical database download (PX-Web "CSV with heading": a title line before the header,
 * a region column of codes such as `1480C1010` or `1480R072 Krokslätt södra`, dimension columns such as
 * ålder and kön of which the total row is used, one column per year, `..` for missing), and the city's
 * primärområde tables (`primaromrade_kod`, `folkmangd_2025_01_01`: the year from the column's name).
 */
import { findColumn, parseNumber, type CsvRow } from '../../core/csv'
import { MAX_YEAR, MIN_YEAR } from '../../core/period'

export const CODE_COLUMNS = [
  'kod', 'code', 'area_code', 'omradeskod', 'omrade_kod', 'omrade', 'region', 'regionkod', 'region_kod',
  'deso', 'desokod', 'deso_kod', 'regso', 'regsokod', 'regso_kod', 'primaromrade_kod', 'primaromradeskod', 'primaromrade',
] as const
const YEAR_COLUMNS = ['ar', 'år', 'year', 'artal'] as const
const VALUE_COLUMNS = ['antal', 'befolkning', 'folkmangd', 'folkmängd', 'population', 'value', 'varde', 'invanare', 'invånare'] as const

export type Problem = { row?: number; field?: string; message: string }
export interface PopulationEntry {
  line: number
  /** The column the code came from, for messages. */
  codeField: string
  code: string
  year: number
  population: number
}

const normalise = (s: string) =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim().replace(/[\s_-]+/g, '_')

/** Splits one line by a delimiter outside quotes (for finding the header only; the rows go through readCsv). */
function fieldsOf(line: string, delimiter: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (const ch of line) {
    if (ch === '"') quoted = !quoted
    else if (ch === delimiter && !quoted) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out.map((f) => f.trim())
}

const isCodeColumn = (name: string) => {
  const n = normalise(name)
  return CODE_COLUMNS.some((c) => normalise(c) === n) || n.startsWith('region')
}

/**
 * The header: the first line (of the first 30) with a column of area codes. Lines before it are a title
 * (PX-Web puts the table's name first). Its delimiter is the one it has most of.
 */
export function findHeader(lines: readonly string[]): { index: number; delimiter: ';' | ',' | '\t' } | null {
  for (let i = 0; i < Math.min(lines.length, 30); i++) {
    const line = lines[i]!
    if (!line.trim()) continue
    const counts = (['\t', ';', ','] as const).map((d) => ({ d, n: fieldsOf(line, d).length }))
    const best = counts.reduce((a, b) => (b.n > a.n ? b : a))
    if (best.n < 2) continue
    if (fieldsOf(line, best.d).some(isCodeColumn)) return { index: i, delimiter: best.d }
  }
  return null
}

/**
 * The year of a wide table's column: `2024`, `Folkmängd 2024`, or a date on 1 January (`folkmangd_2025_01_01`);
 * null for anything else (an October count, a change, a share).
 */
export function yearOfColumn(name: string): number | null {
  const n = normalise(name)
  const m = /(?:^|_)(\d{4})(?:_01_01)?$/.exec(n)
  if (!m) return null
  const y = Number(m[1])
  return y >= MIN_YEAR && y <= MAX_YEAR ? y : null
}

const MISSING = new Set(['', '..', '.', '-', '–'])
const isTotal = (v: string) => {
  const n = normalise(v)
  return /(^|_)(totalt|total|samtliga|alla)(_|$)/.test(n) || n === 'bada_konen'
}
/** The code in a region cell: `1480C1010` or `1480C1010 Göteborg` → `1480C1010`. */
export const codeOf = (cell: string) => cell.trim().split(/\s+/)[0] ?? ''

/** Reads the rows of a population table into entries (code, year, population), with every problem by row and field. */
export function readPopulationRows(header: string[], rows: readonly CsvRow[], decimalComma: boolean): { entries: PopulationEntry[]; problems: Problem[] } {
  const problems: Problem[] = []
  const codeCol = header.findIndex(isCodeColumn)
  if (codeCol < 0) return { entries: [], problems: [{ row: 1, field: 'kod', message: `kolumnen med områdeskod saknas (godtas: ${CODE_COLUMNS.slice(0, 6).join(', ')}, region …)` }] }
  const codeField = header[codeCol]!
  const yearCol = findColumn(header, YEAR_COLUMNS)
  const valueCol = findColumn(header, VALUE_COLUMNS)
  const long = yearCol >= 0 && valueCol >= 0
  const yearColumns = long ? [] : header.map((h, i) => ({ i, year: yearOfColumn(h) })).filter((c): c is { i: number; year: number } => c.year !== null && c.i !== codeCol)
  if (!long && yearColumns.length === 0) {
    return { entries: [], problems: [{ row: 1, field: 'år', message: 'inga år: ange kolumnerna kod, år och antal, eller en kolumn per år (2023, 2024 …)' }] }
  }
  // Dimensions (ålder, kön …): the other columns holding text; only their total rows are read.
  const used = new Set([codeCol, yearCol, valueCol, ...yearColumns.map((c) => c.i)])
  const dimensions = header
    .map((_, i) => i)
    .filter((i) => !used.has(i) && rows.some((r) => { const v = (r.values[i] ?? '').trim(); return !MISSING.has(v) && Number.isNaN(parseNumber(v, decimalComma) ?? 0) }))

  const entries: PopulationEntry[] = []
  const seen = new Map<string, number>()
  let skippedByDimension = 0
  const add = (line: number, code: string, year: number, text: string, field: string) => {
    const t = text.trim()
    if (MISSING.has(t)) return
    const n = parseNumber(t, decimalComma)
    if (n === null || !Number.isFinite(n)) return void problems.push({ row: line, field, message: `"${t}" är inget tal` })
    if (n < 0 || !Number.isInteger(n)) return void problems.push({ row: line, field, message: 'en folkmängd är ett heltal ≥ 0' })
    const key = `${code}|${year}`
    const first = seen.get(key)
    if (first !== undefined) return void problems.push({ row: line, field: codeField, message: `samma område och år som rad ${first}` })
    seen.set(key, line)
    entries.push({ line, codeField, code, year, population: n })
  }
  for (const r of rows) {
    if (dimensions.some((i) => !isTotal(r.values[i] ?? ''))) {
      skippedByDimension++
      continue
    }
    const code = codeOf(r.values[codeCol] ?? '')
    if (!code) {
      problems.push({ row: r.line, field: codeField, message: 'saknas' })
      continue
    }
    if (long) {
      const yText = (r.values[yearCol] ?? '').trim()
      const year = /^\d{4}$/.test(yText) ? Number(yText) : NaN
      if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
        problems.push({ row: r.line, field: header[yearCol]!, message: `"${yText}" är inget år (${MIN_YEAR}–${MAX_YEAR})` })
        continue
      }
      add(r.line, code, year, r.values[valueCol] ?? '', header[valueCol]!)
    } else for (const c of yearColumns) add(r.line, code, c.year, r.values[c.i] ?? '', header[c.i]!)
  }
  if (!problems.length && entries.length === 0 && skippedByDimension > 0) {
    problems.push({ row: 2, field: header[dimensions[0]!]!, message: 'ingen rad med totalt: välj totalen för ålder, kön och andra indelningar' })
  }
  return { entries, problems }
}
