/**
 * Official tables as analysts get them (Brå, NTU, SCB, the city's Excel exports): title and footnote lines
 * around a table, periods as column headers or in a column, Swedish labels, `..` for missing. Reads CSV
 * (through readCsv) and .xlsx into a grid, finds the layout, and reshapes wide tables into long rows.
 * Pure: bytes in, rows and problems out; no db, no http. Matching regions and series is tables.match.ts.
 */
import { readSheet } from 'read-excel-file/universal'
import { CsvError, parseNumber, readCsv, sniffDialect, type CsvDialect } from '../../core/csv'
import { parsePeriod, type Period } from '../../core/period'
import type { TableLayoutDto, TableRecipe, ValueRole } from './imports.schema'

export interface GridRow {
  /** 1-based line (CSV) or row (Excel) number, as the user sees it. */
  line: number
  cells: string[]
}

export interface Grid {
  format: TableLayoutDto['format']
  rows: GridRow[]
  /** Whether ',' is the decimal mark (Swedish files); '.' is always accepted too. */
  decimalComma: boolean
}

// ---- reading ----

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0

/** Reads a CSV or .xlsx file (its first sheet) into rows of trimmed text cells; blank rows are left out. */
export async function readGrid(bytes: Uint8Array, fileName: string): Promise<Grid> {
  if (isOle(bytes) || /\.xls$/i.test(fileName)) throw new CsvError('Äldre Excel-filer (.xls) kan inte läsas: spara filen som .xlsx eller CSV')
  if (isZip(bytes) || /\.xlsx$/i.test(fileName)) return readXlsx(bytes)
  return readDelimited(bytes)
}

async function readXlsx(bytes: Uint8Array): Promise<Grid> {
  let data: unknown[][]
  try {
    const copy = bytes.slice().buffer
    data = await readSheet(copy)
  } catch {
    throw new CsvError('Filen kunde inte läsas som en Excel-fil (.xlsx)')
  }
  const rows: GridRow[] = []
  data.forEach((row, i) => {
    const cells = row.map(excelCell)
    if (cells.some((c) => c !== '')) rows.push({ line: i + 1, cells })
  })
  return { format: { kind: 'xlsx' }, rows, decimalComma: true }
}

function excelCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10)
  return String(v).replace(/\s+/g, ' ').trim()
}

/** The delimiter whose count per line is the most consistent over the first lines (a title line may hold commas). */
export function pickDelimiter(text: string): CsvDialect['delimiter'] {
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').slice(0, 60)
  let best: { d: CsvDialect['delimiter']; lines: number; count: number } = { d: ';', lines: 0, count: 0 }
  for (const d of [';', '\t', ','] as const) {
    const counts = new Map<number, number>()
    for (const line of lines) {
      let n = 0
      let quoted = false
      for (const ch of line) {
        if (ch === '"') quoted = !quoted
        else if (!quoted && ch === d) n++
      }
      if (n > 0) counts.set(n, (counts.get(n) ?? 0) + 1)
    }
    for (const [count, many] of counts) {
      if (many > best.lines || (many === best.lines && count > best.count)) best = { d, lines: many, count }
    }
  }
  return best.d
}

async function readDelimited(bytes: Uint8Array): Promise<Grid> {
  const sniffed = sniffDialect(bytes)
  const text = new TextDecoder(sniffed.encoding).decode(bytes.subarray(0, 256 * 1024))
  const delimiter = pickDelimiter(text)
  const csv = await readCsv(
    (async function* () {
      yield bytes
    })(),
    { delimiter, encoding: sniffed.encoding, ragged: true },
  )
  // readCsv numbers every record but the first (its header) by the file's lines, blank ones included.
  const rows: GridRow[] = [{ line: 1 + firstLineOffset(text), cells: csv.header.map((c) => c.trim()) }]
  for await (const r of csv.rows) rows.push({ line: r.line, cells: r.values.map((c) => c.trim()) })
  // ',' files (SCB) write '12.5'; a decimal comma there shows as a quoted "12,5" that is no thousands group.
  const decimalComma = delimiter !== ',' || rows.some((r) => r.cells.some((c) => /^-?\d+,(\d{1,2}|\d{4,})$/.test(c)))
  return { format: { kind: 'csv', encoding: csv.dialect.encoding, delimiter: delimiter === '\t' ? 'tab' : delimiter }, rows, decimalComma }
}

/** How many blank lines come before the first record (readCsv numbers its first record 1). */
function firstLineOffset(text: string): number {
  const m = /^(?:\uFEFF)?((?:[ \t;,]*(?:\r\n|\n|\r))*)/.exec(text)
  return m ? (m[1]!.match(/\r\n|\n|\r/g) ?? []).length : 0
}

// ---- periods ----

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december']
const MONTH_ABBR: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, maj: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, okt: 10, nov: 11, dec: 12 }

function monthNumber(word: string): number | null {
  const w = word.replace(/\.$/, '')
  const full = MONTHS.indexOf(w)
  if (full >= 0) return full + 1
  return MONTH_ABBR[w] ?? null
}

const QUARTER = '(?:k|q|kv\\.?|kvartal)'
const HALF = '(?:h|halvår|halvar|halvåret)'

/**
 * A period in the spellings of official tables: `2024`, `2024K1`, `2024 kv 1`, `2024Q1`, `kvartal 1 2024`,
 * `2024M01`, `2024-01`, `januari 2024`, `jan 2024`, `2024 halvår 1`, `2024H1` and the ids themselves. A
 * trailing `*` (preliminary figures) is ignored. Null when it is none.
 */
export function periodOfLabel(text: string): Period | null {
  const t = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\*+$/, '')
    .replace(/^år /, '')
  let id: string | null = null
  let m: RegExpExecArray | null
  if ((m = /^(\d{4})$/.exec(t))) id = m[1]!
  else if ((m = new RegExp(`^(\\d{4}) ?-? ?${QUARTER} ?([1-4])$`).exec(t))) id = `${m[1]}-Q${m[2]}`
  else if ((m = new RegExp(`^${QUARTER} ?([1-4]),? (\\d{4})$`).exec(t))) id = `${m[2]}-Q${m[1]}`
  else if ((m = new RegExp(`^(\\d{4}) ?-? ?${HALF} ?([12])$`).exec(t))) id = `${m[1]}-H${m[2]}`
  else if ((m = new RegExp(`^${HALF} ?([12]),? (\\d{4})$`).exec(t))) id = `${m[2]}-H${m[1]}`
  else if ((m = /^(\d{4}) ?(?:m|-) ?(\d{1,2})$/.exec(t))) id = Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]!.padStart(2, '0')}` : null
  else if ((m = /^([a-zåäö]+\.?) (\d{4})$/.exec(t))) {
    const n = monthNumber(m[1]!)
    id = n ? `${m[2]}-${String(n).padStart(2, '0')}` : null
  } else if ((m = /^(\d{4}) ([a-zåäö]+\.?)$/.exec(t))) {
    const n = monthNumber(m[2]!)
    id = n ? `${m[1]}-${String(n).padStart(2, '0')}` : null
  }
  return id ? parsePeriod(id) : null
}

// ---- cells ----

/** What official tables write for "no figure": SCB's `..` and `.`, Brå's `-` and `..`, or nothing. */
export function isMissing(cell: string): boolean {
  return /^(?:\.{1,3}|[-–—]|x|×)?$/i.test(cell.trim())
}

/** A number in a table cell: decimal comma, space/nbsp thousands; null when missing; NaN when not a number. */
export function cellNumber(cell: string, decimalComma: boolean): number | null {
  if (isMissing(cell)) return null
  return parseNumber(cell.replace(/\s*%$/, ''), decimalComma)
}

// ---- layout ----

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim()

const PERIOD_HEADER = /^(ar|period|tid|tidpunkt|kvartal|manad|halvar|year|month|quarter)$/
const CODE_HEADER = /(^|\s)(kod|code|omradeskod|regionkod|deso|regso|deso kod|regso kod|area code|id)$|kod$/
const META_HEADER = /^(kalla|dold|enhet|anmarkning|kommentar|not|fotnot|source|kvalitet|indelning|lager|layer|status|flagga)$/
const FOOTNOTE = /^(kalla|anm|anmarkning|fotnot|not|obs|uppgifterna|\.\.|senast uppdaterad|tabellen)\b/

function valueRoleOf(header: string): ValueRole {
  const h = norm(header)
  if (/nedre|lower|ci low|ki lag|undre/.test(h)) return 'ci_low'
  if (/ovre|upper|ci high|ki hog/.test(h)) return 'ci_high'
  if (/namnare|denominator|antal svar|svarande|^n$|^bas$|befolkning/.test(h)) return 'denominator'
  if (/taljare|numerator/.test(h)) return 'numerator'
  return 'value'
}

export interface HeaderInfo {
  headerRow: number
  /** Index of the header in grid.rows. */
  index: number
  names: string[]
  title: string
}

/** The header: the first row near the top as wide as the table, mostly labels rather than numbers. */
export function findHeader(grid: Grid, headerRow?: number): HeaderInfo {
  const top = grid.rows.slice(0, 40)
  const filled = (r: GridRow) => r.cells.filter((c) => c !== '').length
  let index: number
  if (headerRow !== undefined) {
    index = grid.rows.findIndex((r) => r.line === headerRow)
    if (index < 0) throw new CsvError(`Rad ${headerRow} finns inte i filen (rubrikraden)`, headerRow)
  } else {
    const widest = Math.max(0, ...top.map(filled))
    index = top.findIndex((r) => {
      const n = filled(r)
      if (n < Math.max(2, Math.ceil(widest * 0.6))) return false
      const numbers = r.cells.filter((c) => c !== '' && !periodOfLabel(c) && Number.isFinite(cellNumber(c, grid.decimalComma) ?? NaN)).length
      return numbers < n / 2
    })
    if (index < 0) throw new CsvError('Hittade ingen rubrikrad: tabellen behöver en rad med kolumnnamn och minst två kolumner')
  }
  const row = grid.rows[index]!
  const width = Math.max(...grid.rows.slice(index).map((r) => lastFilled(r) + 1))
  const seen = new Map<string, number>()
  const names = Array.from({ length: width }, (_, i) => {
    const base = row.cells[i] || `Kolumn ${i + 1}`
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base} (${n})`
  })
  const title = grid.rows
    .slice(0, index)
    .map((r) => r.cells.filter((c) => c !== '').join(' '))
    .join(' ')
  return { headerRow: row.line, index, names, title }
}

function lastFilled(r: GridRow): number {
  for (let i = r.cells.length - 1; i >= 0; i--) if (r.cells[i] !== '') return i
  return -1
}

/** The table's data rows: below the header, without footnotes (fewer than two filled cells, or "Källa: …"). */
export function dataRows(grid: Grid, header: HeaderInfo): GridRow[] {
  return grid.rows.slice(header.index + 1).filter((r) => {
    const filled = r.cells.filter((c) => c !== '')
    if (filled.length < 2) return false
    return !(filled.length <= 2 && FOOTNOTE.test(norm(filled[0]!)))
  })
}

export interface ColumnStats {
  index: number
  name: string
  /** Distinct non-empty values, in order of appearance (at most 500 kept). */
  values: string[]
  distinct: number
  numericShare: number
  periodShare: number
  headerPeriod: Period | null
  codeHeader: boolean
  metaHeader: boolean
  periodHeader: boolean
}

export function columnStats(rows: GridRow[], header: HeaderInfo, decimalComma: boolean): ColumnStats[] {
  return header.names.map((name, index) => {
    const seen = new Set<string>()
    let present = 0
    let numeric = 0
    let periods = 0
    for (const r of rows) {
      const c = r.cells[index] ?? ''
      if (isMissing(c)) continue
      present++
      if (seen.size < 500) seen.add(c)
      const n = cellNumber(c, decimalComma)
      if (n !== null && Number.isFinite(n)) numeric++
      if (periodOfLabel(c)) periods++
    }
    const h = norm(name)
    return {
      index,
      name,
      values: [...seen],
      distinct: seen.size,
      numericShare: present ? numeric / present : 0,
      periodShare: present ? periods / present : 0,
      headerPeriod: periodOfLabel(name),
      codeHeader: CODE_HEADER.test(h),
      metaHeader: META_HEADER.test(h),
      periodHeader: PERIOD_HEADER.test(h),
    }
  })
}

export interface ProposedColumns {
  period: TableRecipe['period']
  periodColumns: string[]
  /** Columns that could hold the regions, best first is decided by the matcher. */
  regionCandidates: string[]
  textColumns: string[]
  values: Array<{ column: string; role: ValueRole }>
  ignored: string[]
}

/** Which columns are periods, values, and text (regions or dimensions), from the header and the cells. */
export function proposeColumns(stats: ColumnStats[]): ProposedColumns {
  const periodColumns = stats.filter((s) => s.headerPeriod).map((s) => s.name)
  const rest = stats.filter((s) => !s.headerPeriod && s.distinct > 0)
  let period: TableRecipe['period']
  let periodColumn: ColumnStats | undefined
  if (periodColumns.length > 0) period = { in: 'columns' }
  else {
    periodColumn = rest.find((s) => s.periodHeader && s.periodShare >= 0.8) ?? rest.find((s) => s.periodShare >= 0.95 && !s.codeHeader)
    period = periodColumn ? { in: 'column', column: periodColumn.name } : { in: 'columns' }
  }
  const others = rest.filter((s) => s !== periodColumn)
  const isValue = (s: ColumnStats) => !s.codeHeader && !s.metaHeader && s.numericShare >= 0.8
  const values = period.in === 'column' ? others.filter(isValue).map((s) => ({ column: s.name, role: valueRoleOf(s.name) })) : []
  const numericIgnored = period.in === 'columns' ? others.filter(isValue).map((s) => s.name) : []
  const textColumns = others.filter((s) => !isValue(s) && !s.metaHeader).map((s) => s.name)
  const regionCandidates = others.filter((s) => s.codeHeader || (!isValue(s) && !s.metaHeader)).map((s) => s.name)
  return {
    period,
    periodColumns,
    regionCandidates,
    textColumns,
    values,
    ignored: [...others.filter((s) => s.metaHeader).map((s) => s.name), ...numericIgnored],
  }
}

/**
 * Text columns that are dimensions: not the region column, and not a label of the region (a name column
 * beside a code column: one name per region and one region per name, more than one in all).
 */
export function dimensionColumns(rows: GridRow[], header: HeaderInfo, textColumns: string[], regionColumn: string): string[] {
  const r = header.names.indexOf(regionColumn)
  return textColumns.filter((name) => {
    if (name === regionColumn) return false
    const i = header.names.indexOf(name)
    const byRegion = new Map<string, string>()
    const byValue = new Map<string, string>()
    let oneToOne = true
    for (const row of rows) {
      // Rows without a region (a block's continuation, or a total named elsewhere) tell nothing here.
      const region = row.cells[r] ?? ''
      const v = row.cells[i] ?? ''
      if (!v || !region) continue
      if ((byRegion.get(region) ?? v) !== v || (byValue.get(v) ?? region) !== region) oneToOne = false
      byRegion.set(region, v)
      byValue.set(v, region)
    }
    return !(oneToOne && byValue.size > 1)
  })
}

// ---- reshaping ----

export interface LongRow {
  /** The line of the file and the column the value came from, for problems and the preview. */
  line: number
  column: string
  region: string
  /** The series: the dimension values (and the value column, where a long table has several). */
  key: string
  dims: string[]
  period: Period
  value: number
  numerator: number | null
  denominator: number | null
  ciLow: number | null
  ciHigh: number | null
}

export interface Reshaped {
  rows: LongRow[]
  rowsRead: number
  cells: number
  skippedMissing: number
  problems: Array<{ row?: number; field?: string; message: string }>
  periodKinds: string[]
}

export const ALL_ROWS = '*'

/** The series key of a row: its dimension values joined, or '*' for a table of one series. */
export const seriesKey = (parts: string[]) => (parts.length ? parts.join(' · ') : ALL_ROWS)

/** Checks that the recipe's columns are in the header; the problems name the missing ones. */
export function checkRecipeColumns(header: HeaderInfo, recipe: TableRecipe): Array<{ row: number; field: string; message: string }> {
  const need = [
    ['regionColumn', recipe.regionColumn],
    ...(recipe.period.in === 'column' ? [['period.column', recipe.period.column]] : []),
    ...recipe.dimensions.map((d) => ['dimensions', d]),
    ...recipe.values.map((v) => ['values', v.column]),
  ] as Array<[string, string]>
  return need
    .filter(([, c]) => !header.names.includes(c))
    .map(([field, c]) => ({ row: header.headerRow, field, message: `kolumnen "${c}" finns inte på rubrikraden` }))
}

/**
 * Wide → long: one row per region, series and period. Region and dimension cells left empty under a
 * filled one repeat it (PxWeb writes a region once per block). Missing cells are counted, not errors; a
 * cell that is no number is a problem naming its row and column.
 */
export function reshape(grid: Grid, header: HeaderInfo, recipe: TableRecipe): Reshaped {
  const col = (name: string) => header.names.indexOf(name)
  const rows = dataRows(grid, header)
  const regionAt = col(recipe.regionColumn)
  const dimAt = recipe.dimensions.map(col)
  const problems: Reshaped['problems'] = []
  const out: LongRow[] = []
  const kinds = new Set<string>()
  let cells = 0
  let skippedMissing = 0
  const last = { region: '', dims: dimAt.map(() => '') }
  const num = (r: GridRow, i: number, name: string) => {
    const text = r.cells[i] ?? ''
    const n = cellNumber(text, grid.decimalComma)
    if (n !== null && !Number.isFinite(n)) {
      problems.push({ row: r.line, field: name, message: `"${text}" är inget tal` })
      return undefined
    }
    return n
  }

  const wideColumns =
    recipe.period.in === 'columns'
      ? header.names.map((name, i) => ({ name, i, period: periodOfLabel(name) })).filter((c): c is { name: string; i: number; period: Period } => c.period !== null)
      : []
  if (recipe.period.in === 'columns' && wideColumns.length === 0) {
    problems.push({ row: header.headerRow, field: 'period', message: 'ingen kolumnrubrik är en period (t.ex. 2024, 2024K1, 2024M01, januari 2024)' })
  }
  const periodAt = recipe.period.in === 'column' ? col(recipe.period.column) : -1
  const valueCols = recipe.values.map((v) => ({ ...v, i: col(v.column) }))
  const mainValues = valueCols.filter((v) => v.role === 'value')
  const aux = (role: ValueRole) => valueCols.find((v) => v.role === role)

  const taken = new Set([regionAt, ...dimAt, periodAt, ...valueCols.map((v) => v.i), ...wideColumns.map((c) => c.i)])
  const labelAt = header.names.map((_, i) => i).filter((i) => !taken.has(i))
  for (const r of rows) {
    // An empty region under a filled one repeats it, unless the row names itself elsewhere (a total
    // "Göteborgs Stad" with no code beside the code column).
    let region = r.cells[regionAt] ?? ''
    if (!region) region = labelAt.map((i) => r.cells[i] ?? '').find((c) => c !== '' && !isMissing(c)) ?? last.region
    last.region = region
    const dims = dimAt.map((i, k) => {
      const v = r.cells[i] ?? ''
      const filled = v || last.dims[k]!
      last.dims[k] = filled
      return filled
    })
    if (!region) {
      problems.push({ row: r.line, field: recipe.regionColumn, message: 'området saknas' })
      continue
    }
    if (recipe.period.in === 'columns') {
      for (const c of wideColumns) {
        cells++
        const v = num(r, c.i, c.name)
        if (v === undefined) continue
        if (v === null) {
          skippedMissing++
          continue
        }
        kinds.add(c.period.kind)
        out.push({ line: r.line, column: c.name, region, key: seriesKey(dims), dims, period: c.period, value: v, numerator: null, denominator: null, ciLow: null, ciHigh: null })
      }
      continue
    }
    const periodText = r.cells[periodAt] ?? ''
    const period = periodOfLabel(periodText)
    if (!period) {
      problems.push({ row: r.line, field: recipe.period.column, message: `"${periodText}" är ingen period (t.ex. 2024, 2024K1, 2024M01, januari 2024)` })
      continue
    }
    kinds.add(period.kind)
    const extra = (role: ValueRole) => {
      const c = aux(role)
      return c ? num(r, c.i, c.column) : null
    }
    const numerator = extra('numerator')
    const denominator = extra('denominator')
    const ciLow = extra('ci_low')
    const ciHigh = extra('ci_high')
    for (const c of mainValues) {
      cells++
      const v = num(r, c.i, c.column)
      if (v === undefined || numerator === undefined || denominator === undefined || ciLow === undefined || ciHigh === undefined) continue
      if (v === null) {
        skippedMissing++
        continue
      }
      const key = seriesKey(mainValues.length > 1 ? [...dims, c.column] : dims)
      out.push({ line: r.line, column: c.column, region, key, dims, period, value: v, numerator, denominator, ciLow, ciHigh })
    }
  }
  if (recipe.period.in === 'column' && mainValues.length === 0) {
    problems.push({ row: header.headerRow, field: 'values', message: 'ingen kolumn är vald som värde' })
  }
  return { rows: out, rowsRead: rows.length, cells, skippedMissing, problems, periodKinds: [...kinds] }
}

/**
 * The header's fingerprint: its names with periods replaced by their kind, so next year's file of the
 * same table (other years in its header, other title) finds the saved recipe.
 */
export function headerFingerprint(names: string[]): string {
  const parts = names.map((n) => (periodOfLabel(n) ? `<${periodOfLabel(n)!.kind}>` : norm(n)))
  return parts.filter((p, i) => !(p.startsWith('<') && p === parts[i - 1])).join('|')
}
