/**
 * CSV as Swedish Excel writes and reads it: `;`, decimal comma, UTF-8 with BOM ("CSV UTF-8") or
 * windows-1252 ("CSV (semikolonavgränsad)"). Streaming with flat memory; pure: no db, no http.
 *
 * The record parser is hand-written rather than csv-parse: csv-parse 7 counts a CRLF inside a quoted
 * field as two lines and reports an unclosed quote at the end of the file, so every line number we show
 * users would need correcting, and it does not decode windows-1252 anyway. The grammar is small
 * (RFC 4180 plus Excel's leniency) and fully covered by tests/unit/csv.test.ts.
 */

export type CsvEncoding = 'utf-8' | 'windows-1252'

export interface CsvDialect {
  encoding: CsvEncoding
  delimiter: ';' | ',' | '\t'
  bom: boolean
  decimalComma: boolean
}

export interface CsvRow {
  /** 1-based line number of the record in the file (header = 1), for error messages */
  line: number
  values: string[]
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'CsvError'
  }
}

const BOM = [0xef, 0xbb, 0xbf] as const
const QUOTE = 0x22
const CR = 0x0d
const LF = 0x0a
/** Enough to see the header and, usually, the first non-ASCII byte that decides the encoding. */
const SNIFF_BYTES = 64 * 1024

const hasBom = (b: Uint8Array) => b[0] === BOM[0] && b[1] === BOM[1] && b[2] === BOM[2]

/** 'valid': at least one complete non-ASCII UTF-8 character and no invalid byte; 'incomplete': only a cut-off tail. */
function utf8Verdict(bytes: Uint8Array, final: boolean): 'valid' | 'invalid' | 'incomplete' | 'ascii' {
  let text: string
  try {
    // stream: a multi-byte character cut by the chunk boundary is not an error.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes, { stream: !final })
  } catch {
    return 'invalid'
  }
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return 'valid'
  return bytes.some((b) => b >= 0x80) ? 'incomplete' : 'ascii'
}

/**
 * Sniffs the first bytes: BOM → utf-8; valid UTF-8 → utf-8; else windows-1252. Delimiter from the header
 * line (count ; , \t outside quotes). decimalComma: delimiter ';' (Excel's Swedish default) — callers
 * parse numbers with parseNumber.
 */
export function sniffDialect(head: Uint8Array): CsvDialect {
  const bom = hasBom(head)
  const body = bom ? head.subarray(3) : head
  const encoding: CsvEncoding = bom || utf8Verdict(body, false) !== 'invalid' ? 'utf-8' : 'windows-1252'
  // The delimiters, quotes and line breaks are ASCII in both encodings, so bytes can be counted directly.
  const counts = { ';': 0, ',': 0, '\t': 0 }
  let quoted = false
  let seen = false
  for (const b of body) {
    if (b === QUOTE) quoted = !quoted
    else if (!quoted && (b === CR || b === LF)) {
      if (seen) break
      continue // leading blank lines
    } else if (!quoted && b === 0x3b) counts[';']++
    else if (!quoted && b === 0x2c) counts[',']++
    else if (!quoted && b === 0x09) counts['\t']++
    seen = true
  }
  // Ties and single-column files fall to ';', Excel's Swedish default.
  const delimiter = counts[','] > counts[';'] && counts[','] > counts['\t'] ? ',' : counts['\t'] > counts[';'] ? '\t' : ';'
  return { encoding, delimiter, bom, decimalComma: delimiter === ';' }
}

/**
 * Decodes byte chunks. A file whose sniffed head was pure ASCII is only guessed to be UTF-8: the first
 * non-ASCII bytes decide, and since ASCII reads the same in both encodings, switching to windows-1252
 * there is as if the whole file had been decoded so.
 */
class Decoder {
  private decoder: TextDecoder
  private undecided: boolean
  private pending: Uint8Array | undefined

  constructor(
    private readonly dialect: CsvDialect,
    guessed: boolean,
  ) {
    this.decoder = new TextDecoder(dialect.encoding, { ignoreBOM: true })
    this.undecided = guessed && dialect.encoding === 'utf-8'
  }

  decode(chunk: Uint8Array, final: boolean): string {
    let bytes = chunk
    if (this.pending) {
      bytes = new Uint8Array(this.pending.length + chunk.length)
      bytes.set(this.pending)
      bytes.set(chunk, this.pending.length)
      this.pending = undefined
    }
    if (this.undecided) {
      const k = bytes.findIndex((b) => b >= 0x80)
      if (k >= 0) {
        const verdict = utf8Verdict(bytes.subarray(k), final)
        if (verdict === 'incomplete') {
          // Wait for the rest of the character before deciding.
          this.pending = bytes.slice(k)
          return this.decoder.decode(bytes.subarray(0, k), { stream: true })
        }
        this.undecided = false
        if (verdict === 'invalid') {
          this.dialect.encoding = 'windows-1252'
          const ascii = this.decoder.decode(bytes.subarray(0, k))
          this.decoder = new TextDecoder('windows-1252')
          return ascii + this.decoder.decode(bytes.subarray(k), { stream: !final })
        }
      }
    }
    return this.decoder.decode(bytes, { stream: !final })
  }
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first of "" or the closing one. */
  QuoteSeen,
}

/** Splits decoded text into records; keeps its state across chunks. Blank lines are skipped but counted. */
class Tokenizer {
  private state = State.FieldStart
  private fields: string[] = []
  private field = ''
  private line = 1
  private recordLine = 1
  private quoteLine = 1
  private prev = -1
  private readonly delim: number

  constructor(delimiter: string) {
    this.delim = delimiter.charCodeAt(0)
  }

  push(text: string, out: CsvRow[]): void {
    const delim = this.delim
    let start = 0 // where the not yet copied part of the current field begins
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      const prev = this.prev
      this.prev = c
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted
            this.quoteLine = this.line
            start = i + 1
          } else if (c === delim) this.fields.push('')
          else if (c === LF && prev === CR) {
            // second half of the CRLF that ended the last record
          } else if (c === CR || c === LF) {
            if (this.fields.length) this.fields.push('')
            this.endRecord(out)
          } else {
            this.state = State.Unquoted
            start = i
          }
          break
        case State.Unquoted:
          // A quote inside an unquoted field is kept as a character, as Excel does.
          if (c === delim) {
            this.fields.push(this.field + text.slice(start, i))
            this.field = ''
            this.state = State.FieldStart
          } else if (c === CR || c === LF) {
            this.fields.push(this.field + text.slice(start, i))
            this.field = ''
            this.state = State.FieldStart
            this.endRecord(out)
          }
          break
        case State.Quoted:
          if (c === QUOTE) {
            this.field += text.slice(start, i)
            this.state = State.QuoteSeen
          } else if (c === CR || (c === LF && prev !== CR)) this.line++
          break
        case State.QuoteSeen:
          if (c === QUOTE) {
            this.state = State.Quoted
            start = i // keep this quote as the escaped one
          } else if (c === delim || c === CR || c === LF) {
            this.fields.push(this.field)
            this.field = ''
            this.state = State.FieldStart
            if (c !== delim) this.endRecord(out)
          } else {
            // `"ab"c` reads as `abc` in Excel.
            this.state = State.Unquoted
            start = i
          }
          break
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.field += text.slice(start)
  }

  end(out: CsvRow[]): void {
    if (this.state === State.Quoted) {
      throw new CsvError(`Rad ${this.quoteLine}: ett citattecken (") avslutas aldrig`, this.quoteLine)
    }
    if (this.state !== State.FieldStart || this.fields.length) {
      this.fields.push(this.field)
      this.endRecord(out)
    }
  }

  private endRecord(out: CsvRow[]): void {
    // Blank lines and Excel's all-empty ";;;;" rows carry no data.
    if (this.fields.some((f) => f !== '')) out.push({ line: this.recordLine, values: this.fields })
    this.fields = []
    this.line++
    this.recordLine = this.line
  }
}

/**
 * Streams records (header excluded) from bytes (AsyncIterable<Uint8Array>, e.g. an HTTP request or
 * fs.createReadStream); quoted fields with embedded delimiters, quotes ("") and newlines; CRLF or LF;
 * skips blank and all-empty lines (counted in line numbers). Rows always have header.length values
 * (at least, with `ragged`: then `rows` may also be longer than the header).
 *
 * Errors in the body (more fields than the header, unclosed quote, maxRows) are thrown while iterating
 * `rows`, after the rows before them were yielded. `dialect.encoding` may turn from 'utf-8' to
 * 'windows-1252' during iteration when the sniffed head was pure ASCII. `rows` can be iterated once;
 * leaving the loop early closes `input`.
 */
export async function readCsv(
  input: AsyncIterable<Uint8Array>,
  opts: Partial<CsvDialect> & { maxRows?: number; ragged?: boolean } = {},
): Promise<{ dialect: CsvDialect; header: string[]; rows: AsyncIterable<CsvRow>; batches: AsyncIterable<CsvRow[]> }> {
  const source = input[Symbol.asyncIterator]()
  const close = async () => {
    await source.return?.()
  }

  const headChunks: Uint8Array[] = []
  let headLength = 0
  let exhausted = false
  while (headLength < SNIFF_BYTES) {
    const next = await source.next()
    if (next.done) {
      exhausted = true
      break
    }
    headChunks.push(next.value)
    headLength += next.value.length
  }
  const head = concat(headChunks, headLength)

  const sniffed = sniffDialect(head)
  const delimiter = opts.delimiter ?? sniffed.delimiter
  const dialect: CsvDialect = {
    encoding: opts.encoding ?? sniffed.encoding,
    delimiter,
    bom: sniffed.bom,
    decimalComma: opts.decimalComma ?? (opts.delimiter ? delimiter === ';' : sniffed.decimalComma),
  }
  const decoder = new Decoder(dialect, opts.encoding === undefined && !sniffed.bom)
  const tokenizer = new Tokenizer(delimiter)
  const maxRows = opts.maxRows ?? Infinity

  // Records come in batches of one chunk, so memory is bounded by the chunk size, not the file.
  let batch: CsvRow[] = []
  let next = 0
  let phase: 'head' | 'body' | 'done' = 'head'
  let failure: unknown
  const finish = () => {
    phase = 'done'
    try {
      tokenizer.push(decoder.decode(new Uint8Array(0), true), batch)
      tokenizer.end(batch)
    } catch (err) {
      failure = err // thrown once the rows before it have been taken
    }
  }
  const fill = async (): Promise<boolean> => {
    batch = []
    next = 0
    while (!batch.length && phase !== 'done') {
      if (phase === 'head') {
        tokenizer.push(decoder.decode(sniffed.bom ? head.subarray(3) : head, false), batch)
        phase = 'body'
        if (exhausted) finish()
      } else {
        const chunk = await source.next()
        if (chunk.done) finish()
        else tokenizer.push(decoder.decode(chunk.value, false), batch)
      }
    }
    if (!batch.length && failure) throw failure
    return batch.length > 0
  }
  const take = async (): Promise<CsvRow | undefined> => {
    if (next >= batch.length && !(await fill())) return undefined
    return batch[next++]
  }

  let header: string[]
  try {
    const first = await take()
    if (!first) throw new CsvError('Filen är tom')
    header = first.values
  } catch (err) {
    await close()
    throw err
  }

  async function* rows(): AsyncGenerator<CsvRow> {
    let count = 0
    try {
      for (let row = await take(); row; row = await take()) {
        // ragged: the first record may be a title line above the table, not its header.
        if (!opts.ragged && row.values.length > header.length) {
          throw new CsvError(`Rad ${row.line} har ${row.values.length} fält men rubrikraden har ${header.length}`, row.line)
        }
        if (++count > maxRows) throw new CsvError(`Filen har fler än ${maxRows} rader`, row.line)
        while (row.values.length < header.length) row.values.push('')
        yield row
      }
    } finally {
      await close()
    }
  }

  /** The same records a chunk at a time: one await per chunk instead of per row, for million-row files. */
  async function* batches(): AsyncGenerator<CsvRow[]> {
    let count = 0
    const check = (row: CsvRow) => {
      if (row.values.length > header.length) {
        throw new CsvError(`Rad ${row.line} har ${row.values.length} fält men rubrikraden har ${header.length}`, row.line)
      }
      if (++count > maxRows) throw new CsvError(`Filen har fler än ${maxRows} rader`, row.line)
      while (row.values.length < header.length) row.values.push('')
    }
    try {
      // The rest of the batch the header came from, then whole batches.
      let part = batch.slice(next)
      next = batch.length
      while (part.length || (await fill())) {
        if (!part.length) {
          part = batch
          next = batch.length
        }
        part.forEach(check)
        yield part
        part = []
      }
    } finally {
      await close()
    }
  }

  // Only one of the two may be iterated; both read the same stream.
  return { dialect, header, rows: rows(), batches: batches() }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(length)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

const normalise = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // å ä ö é ü … → a a o e u
    .toLowerCase()
    .trim()
    .replace(/[\s_-]+/g, '_')

/**
 * Case-, accent-tolerant header matching: finds the first column whose normalised name (lowercase,
 * trimmed, å/ä→a, ö→o, spaces/dashes→_) is among the candidates, normalised the same way. -1 if none.
 */
export function findColumn(header: string[], candidates: readonly string[]): number {
  const wanted = new Set(candidates.map(normalise))
  return header.findIndex((name) => wanted.has(normalise(name)))
}

// Thousands separators: space, no-break space, narrow no-break space (what Excel and Intl sv-SE write).
const SEP = '[ \\u00a0\\u202f]'
const EXP = '(?:[eE][+-]?\\d+)?'
// Under decimalComma a lone '.' is a decimal point too: GIS tools put '57.708' into ';' files, and Swedish
// never groups thousands with '.'.
const NUMBER_COMMA = new RegExp(`^[+-]?(?:\\d{1,3}(?:${SEP}\\d{3})+|\\d+)?(?:[,.]\\d+)?${EXP}$`)
const NUMBER_POINT = new RegExp(`^[+-]?(?:\\d{1,3}(?:(?:${SEP}|,)\\d{3})+|\\d+)?(?:\\.\\d+)?${EXP}$`)

/**
 * Parses '1 234,5', '1234.5', '-3,2', '1 234' (nbsp, narrow nbsp or space as thousands separator), '' →
 * null; returns NaN for garbage so callers can report it. decimalComma decides whether ',' is the decimal
 * mark; otherwise ',' is accepted only as a thousands separator in groups of three ('12,5' → NaN, never 125).
 */
export function parseNumber(text: string, decimalComma: boolean): number | null {
  const t = text.trim().replace(/^\u2212/, '-') // Intl's sv-SE minus sign
  if (t === '') return null
  if (!/\d/.test(t) || !(decimalComma ? NUMBER_COMMA : NUMBER_POINT).test(t)) return NaN
  const plain = decimalComma ? t.replace(/[ \u00a0\u202f]/g, '').replace(',', '.') : t.replace(/[ \u00a0\u202f,]/g, '')
  return Number(plain)
}

const NEEDS_QUOTES = /[;"\r\n]/
// Excel runs a cell starting with these as a formula: a text cell from uploaded data must not.
const FORMULA = /^(?:[=@\t\r]|[+-].)/s

function cell(value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : ''
  const text = FORMULA.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Writes rows as CSV that Swedish Excel opens correctly: UTF-8 with BOM, ';' delimiter, CRLF, decimal
 * comma for numbers, quotes where needed. Text that Excel would run as a formula (=, +, -, @ first) gets
 * a leading apostrophe. No `sep=;` line: with it Excel ignores the BOM and misreads åäö.
 */
export function toExcelCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const lines = [header.map(cell).join(';')]
  for (const row of rows) lines.push(row.map(cell).join(';'))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
