import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CsvError, findColumn, parseNumber, readCsv, sniffDialect, toExcelCsv, type CsvRow } from '../../server/core/csv'

const FIXTURES = join(import.meta.dirname, '../fixtures/csv')
const NBSP = '\u00a0'
const utf8 = (text: string) => new TextEncoder().encode(text)

/** Feeds bytes in chunks of `size`, so record, CRLF and UTF-8 boundaries fall inside chunks. */
async function* chunked(bytes: Uint8Array, size = bytes.length || 1): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function readAll(input: AsyncIterable<Uint8Array>, opts?: Parameters<typeof readCsv>[1]) {
  const csv = await readCsv(input, opts)
  const rows: CsvRow[] = []
  for await (const row of csv.rows) rows.push(row)
  return { ...csv, rows }
}

/** The CsvError a read throws, wherever it is thrown (readCsv itself or while iterating rows). */
async function csvError(input: Uint8Array | string, opts?: Parameters<typeof readCsv>[1]): Promise<CsvError> {
  try {
    await readAll(chunked(typeof input === 'string' ? utf8(input) : input), opts)
  } catch (err) {
    if (err instanceof CsvError) return err
    throw err
  }
  throw new Error('expected a CsvError')
}

/** ASCII rows that push what follows past the sniffed head (64 KiB). */
const padding = (n = 5000) => Array.from({ length: n }, (_, i) => `rad${String(i).padStart(5, '0')};x;1`).join('\r\n') + '\r\n'

describe('fixtures', () => {
  it('reads Swedish Excel CSV UTF-8: BOM, ";", CRLF, quoted ";" and newline, all-empty row skipped', async () => {
    const csv = await readAll(createReadStream(join(FIXTURES, 'excel-sv-bom-semicolon.csv')))
    expect(csv.dialect).toEqual({ encoding: 'utf-8', delimiter: ';', bom: true, decimalComma: true })
    expect(csv.header).toEqual(['Datum', 'Kategori', 'X-koordinat', 'Y-koordinat', 'Beskrivning'])
    expect(csv.rows).toEqual([
      { line: 2, values: ['2024-03-01', 'Skadegörelse', '319500,5', '6399800,25', 'Klotter på vägg'] },
      { line: 3, values: ['2024-03-02', 'Stöld', `319${NBSP}612,75`, `6${NBSP}400${NBSP}012,5`, 'Cykel stulen; låset klippt\nvid Järntorget'] },
      { line: 5, values: ['2024-03-03', 'Inbrott', '320001', '6401000', 'Dörr uppbruten, "lånad" stege'] },
      { line: 6, values: ['2024-03-04', 'Åverkan', '', '', 'Ölflaska kastad mot fönster'] },
    ])
    const x = findColumn(csv.header, ['x_koordinat', 'x'])
    expect(csv.rows.map((r) => parseNumber(r.values[x]!, csv.dialect.decimalComma))).toEqual([319500.5, 319612.75, 320001, null])
  })

  it('reads windows-1252 (Excel "CSV (semikolonavgränsad)"), including € at 0x80', async () => {
    const csv = await readAll(createReadStream(join(FIXTURES, 'windows-1252.csv')))
    expect(csv.dialect).toEqual({ encoding: 'windows-1252', delimiter: ';', bom: false, decimalComma: true })
    expect(csv.header).toEqual(['Kategori', 'Län', 'Värde'])
    expect(csv.rows).toEqual([
      { line: 2, values: ['Skadegörelse', 'Västra Götaland', '12,5'] },
      { line: 3, values: ['Rån', 'Stockholm', `1${NBSP}234,5`] },
      { line: 4, values: ['Bedrägeri (€)', 'Skåne', '-3,2'] },
    ])
    expect(csv.rows.map((r) => parseNumber(r.values[2]!, true))).toEqual([12.5, 1234.5, -3.2])
  })

  it('reads plain UTF-8 with "," and "." decimals, LF and no final newline', async () => {
    const csv = await readAll(createReadStream(join(FIXTURES, 'comma-utf8.csv')))
    expect(csv.dialect).toEqual({ encoding: 'utf-8', delimiter: ',', bom: false, decimalComma: false })
    expect(csv.header).toEqual(['indicator', 'layer', 'area_code', 'period', 'value', 'kommentar'])
    expect(csv.rows).toEqual([
      { line: 2, values: ['demo_skadegorelse', 'stadsomrade', '1', '2024', '12.5', ''] },
      { line: 3, values: ['demo_skadegorelse', 'stadsomrade', '2', '2024-H1', '1234.5', 'Centrum, inkl. Inom Vallgraven'] },
      { line: 4, values: ['demo_ran', 'stadsomrade', '3', '2024-Q3', '0.25', 'Källa: "Trygghetsundersökningen"'] },
      { line: 5, values: ['demo_ran', 'primaromrade', '101', '2024-05', '3', 'Bergsjön'] },
    ])
    expect(csv.rows.map((r) => parseNumber(r.values[4]!, csv.dialect.decimalComma))).toEqual([12.5, 1234.5, 0.25, 3])
  })

  it.each(['excel-sv-bom-semicolon.csv', 'windows-1252.csv', 'comma-utf8.csv'])('%s reads the same fed byte by byte past the sniffed head', async (name) => {
    // Small files fit in the sniffed head; ASCII rows in front put the fixture's CRLFs, quotes and
    // multi-byte characters on chunk edges in the streaming part.
    const fixture = await readFile(join(FIXTURES, name))
    const bom = fixture[0] === 0xef ? 3 : 0
    const body = fixture.subarray(bom)
    const headerEnd = body.indexOf(0x0a) + 1
    const delimiter = name === 'comma-utf8.csv' ? ',' : ';'
    const width = body.subarray(0, headerEnd).filter((b) => b === delimiter.charCodeAt(0)).length + 1
    const eol = name === 'comma-utf8.csv' ? '\n' : '\r\n'
    const filler = utf8(Array.from({ length: 6000 }, (_, i) => `${i}${delimiter.repeat(width - 1)}`).join(eol) + eol)
    const padded = new Uint8Array([...fixture.subarray(0, bom + headerEnd), ...filler, ...body.subarray(headerEnd)])
    const whole = await readAll(createReadStream(join(FIXTURES, name)))
    const csv = await readAll(chunked(padded, 1))
    expect(csv.header).toEqual(whole.header)
    expect(csv.rows.slice(6000)).toEqual(whole.rows.map((r) => ({ ...r, line: r.line + 6000 })))
  })
})

describe('sniffDialect', () => {
  it('takes the delimiter from the header line only, ignoring quoted ones', () => {
    expect(sniffDialect(utf8('"a;b",c,d\n1;2;3;4;5\n')).delimiter).toBe(',')
    expect(sniffDialect(utf8('a\tb\tc\n')).delimiter).toBe('\t')
    expect(sniffDialect(utf8('\r\n\r\na;b,c\n')).delimiter).toBe(';') // blank lines skipped, ties go to ';'
    expect(sniffDialect(utf8('Datum\n')).delimiter).toBe(';')
  })

  it('calls a UTF-8 character cut at the end of the head UTF-8, and invalid bytes windows-1252', () => {
    expect(sniffDialect(utf8('Län;Värde').subarray(0, 2)).encoding).toBe('utf-8')
    expect(sniffDialect(new Uint8Array([0x4c, 0xe4, 0x6e])).encoding).toBe('windows-1252')
    expect(sniffDialect(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0x62]))).toEqual({ encoding: 'utf-8', delimiter: ',', bom: true, decimalComma: false })
  })
})

describe('readCsv', () => {
  it('handles CRLF, CR and LF alike and keeps quoted line breaks as written', async () => {
    const csv = await readAll(chunked(utf8('a;b\r\n1;"x\r\ny"\r2;3\n4;""""\r\n'), 1))
    expect(csv.rows).toEqual([
      { line: 2, values: ['1', 'x\r\ny'] },
      { line: 4, values: ['2', '3'] },
      { line: 5, values: ['4', '"'] },
    ])
  })

  it('pads short rows, skips blank lines but counts them, and reads quotes leniently like Excel', async () => {
    const csv = await readAll(chunked(utf8('a;b;c\n\n1\n;;\n5" skärm;"ab"c;\n')))
    expect(csv.rows).toEqual([
      { line: 3, values: ['1', '', ''] },
      { line: 5, values: ['5" skärm', 'abc', ''] },
    ])
  })

  it('honours a given dialect over the sniffed one', async () => {
    const csv = await readAll(chunked(utf8('a,b;c\n1,5;2\n')), { delimiter: ';' })
    expect(csv.dialect).toMatchObject({ delimiter: ';', decimalComma: true })
    expect(csv.rows[0]!.values).toEqual(['1,5', '2'])
    const latin = await readAll(chunked(utf8('å\n')), { encoding: 'windows-1252' })
    expect(latin.header).toEqual(['Ã¥'])
  })

  it('switches to windows-1252 when the first non-ASCII byte comes after the sniffed head', async () => {
    const bytes = new Uint8Array([...utf8('namn;n;v\r\n' + padding()), 0x52, 0xe5, 0x6e, ...utf8(';1;2\r\n')])
    const split = bytes.indexOf(0xe5) + 1 // 0xE5 looks like the start of a 3-byte UTF-8 character: cut right after it
    const csv = await readCsv((async function* () {
      yield bytes.subarray(0, split)
      yield bytes.subarray(split)
    })())
    expect(csv.dialect.encoding).toBe('utf-8')
    const rows: CsvRow[] = []
    for await (const row of csv.rows) rows.push(row)
    expect(csv.dialect.encoding).toBe('windows-1252')
    expect(rows.at(-1)).toEqual({ line: 5002, values: ['Rån', '1', '2'] })
  })

  it('stays UTF-8 when the first non-ASCII character after the head is UTF-8, even cut between chunks', async () => {
    const csv = await readAll(chunked(utf8('namn;n;v\r\n' + padding() + 'Rån;"a\r\nb";ö\r\n'), 1))
    expect(csv.dialect.encoding).toBe('utf-8')
    expect(csv.rows.at(-1)).toEqual({ line: 5002, values: ['Rån', 'a\r\nb', 'ö'] })
  })

  it('closes the input when the caller stops early', async () => {
    let closed = false
    const input = (async function* () {
      try {
        yield utf8('a;b\n1;2\n3;4\n')
        yield utf8('5;6\n')
      } finally {
        closed = true
      }
    })()
    const csv = await readCsv(input)
    for await (const row of csv.rows) if (row.line === 2) break
    expect(closed).toBe(true)
  })

  it('streams 200 000 rows with flat memory: rows come out while the input is still being produced', async () => {
    const ROWS = 200_000
    const header = 'Datum;Kategori;X-koordinat;Y-koordinat;Beskrivning\r\n'
    // Fixed byte width per row (åäö are two bytes each), so the bytes consumed by row n are known.
    const row = (i: number) => `2024-01-01;Skadegörelse;${String(i).padStart(6, '0')},5;6400000,25;"Vägg; ""klotter""\nnr ${String(i).padStart(6, '0')}"\r\n`
    const rowBytes = utf8(row(0)).length
    let produced = 0
    async function* generate(): AsyncGenerator<Uint8Array> {
      let pending = header
      for (let i = 0; i < ROWS; i++) {
        pending += row(i)
        if (pending.length >= 10_000) {
          const bytes = utf8(pending)
          // Uneven chunk edges: mid-record, mid-CRLF, mid-character.
          for (const part of [bytes.subarray(0, 4097), bytes.subarray(4097)]) {
            produced += part.length
            yield part
          }
          pending = ''
        }
      }
      produced += utf8(pending).length
      yield utf8(pending)
    }

    const csv = await readCsv(generate(), { maxRows: 1_000_000 })
    let count = 0
    let maxLag = 0
    for await (const r of csv.rows) {
      const consumed = header.length + (count + 1) * rowBytes
      maxLag = Math.max(maxLag, produced - consumed)
      if (count === 123_456) expect(r).toEqual({ line: 2 + 2 * count, values: ['2024-01-01', 'Skadegörelse', '123456,5', '6400000,25', 'Vägg; "klotter"\nnr 123456'] })
      count++
    }
    expect(count).toBe(ROWS)
    // Only the sniffed head and one chunk are ever ahead of the consumer, not the file (≈ 17 MB).
    expect(maxLag).toBeLessThan(128 * 1024)
  })
})

describe('CsvError', () => {
  it.each([
    ['an empty file', ''],
    ['a BOM only', '\uFEFF'],
    ['blank lines only', '\r\n\r\n;;\r\n'],
  ])('"Filen är tom" for %s', async (_, text) => {
    const err = await csvError(text)
    expect(err.message).toBe('Filen är tom')
    expect(err.line).toBeUndefined()
  })

  it('names the line where an unclosed quote opened, after yielding the rows before it', async () => {
    const csv = await readCsv(chunked(utf8('a;b\r\n1;2\r\n3;"oj\r\n4;5\r\n6;7\r\n'), 3))
    const lines: number[] = []
    await expect(
      (async () => {
        for await (const row of csv.rows) lines.push(row.line)
      })(),
    ).rejects.toMatchObject({ name: 'CsvError', message: 'Rad 3: ett citattecken (") avslutas aldrig', line: 3 })
    expect(lines).toEqual([2])
  })

  it('names the line of an unclosed quote in the header', async () => {
    const err = await csvError('"a;b\n1;2\n')
    expect([err.message, err.line]).toEqual(['Rad 1: ett citattecken (") avslutas aldrig', 1])
  })

  it('names the line of a row with more fields than the header, counting quoted line breaks', async () => {
    const err = await csvError('a;b\n"x\ny";1\n1;2;3\n')
    expect([err.message, err.line]).toEqual(['Rad 4 har 3 fält men rubrikraden har 2', 4])
  })

  it('stops at maxRows + 1 rows with the line of the first row too many', async () => {
    const text = 'a\n1\n2\n\n3\n4\n'
    expect((await readAll(chunked(utf8(text)), { maxRows: 4 })).rows).toHaveLength(4)
    const err = await csvError(text, { maxRows: 3 })
    expect([err.message, err.line]).toEqual(['Filen har fler än 3 rader', 6])
  })
})

describe('parseNumber', () => {
  it.each<[string, boolean, number | null]>([
    ['1 234,5', true, 1234.5],
    [`1${NBSP}234,5`, true, 1234.5],
    ['1\u202f234,5', true, 1234.5],
    ['1 234', true, 1234],
    ['1 234 567', false, 1234567],
    ['-3,2', true, -3.2],
    ['\u22123,2', true, -3.2], // Intl sv-SE minus sign
    ['  12,5 ', true, 12.5],
    ['0,25', true, 0.25],
    [',5', true, 0.5],
    ['57.708', true, 57.708], // GIS coordinates in a ';' file
    ['1,5E+3', true, 1500],
    ['1234.5', false, 1234.5],
    ['1,234.5', false, 1234.5],
    ['-3.2', false, -3.2],
    ['42', false, 42],
    ['', true, null],
    ['  ', false, null],
  ])('%j (decimalComma %s) → %s', (text, decimalComma, expected) => {
    expect(parseNumber(text, decimalComma)).toBe(expected)
  })

  it.each<[string, boolean]>([
    ['abc', true],
    ['12,5', false], // never silently 125
    ['1.234,5', true],
    ['12 34', true],
    ['1,2,3', true],
    ['-', true],
    ['12 kr', true],
    ['NaN', false],
    ['Infinity', false],
    ['0x10', false],
  ])('%j (decimalComma %s) → NaN', (text, decimalComma) => {
    expect(parseNumber(text, decimalComma)).toBeNaN()
  })
})

describe('findColumn', () => {
  const header = ['Datum', 'Kategori', 'X-koordinat', 'Y koordinat', 'Lat', 'LON', 'Område kod', 'Värde']

  it.each<[string[], number]>([
    [['Datum'], 0],
    [['DATUM '], 0],
    [['datum'], 0],
    [['Kategori'], 1],
    [['lat'], 4],
    [['Lon'], 5],
    [['x_koordinat'], 2],
    [['Y-koordinat'], 3],
    [['omrade_kod'], 6],
    [['varde', 'value'], 7],
    [['tid'], -1],
  ])('%j → %i', (candidates, index) => {
    expect(findColumn(header, candidates)).toBe(index)
  })

  it('returns the first matching column, not the first matching candidate', () => {
    expect(findColumn(['lon', 'lat'], ['lat', 'lon'])).toBe(0)
  })
})

describe('toExcelCsv', () => {
  const header = ['Område', 'Värde', 'Kommentar']
  const rows = [
    ['Västra Göteborg', 12.5, 'enkel'],
    ['Nordost', -3.25, 'med ; och "citat"\noch ny rad'],
    ['Centrum', null, ''],
    ['Hisingen', 1234567, null],
  ]
  const out = toExcelCsv(header, rows)
  const bytes = utf8(out)

  it('writes UTF-8 with BOM, ";", CRLF, decimal comma and quotes only where needed', () => {
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(out.slice(1).split('\r\n')).toEqual([
      'Område;Värde;Kommentar',
      'Västra Göteborg;12,5;enkel',
      'Nordost;-3,25;"med ; och ""citat""\noch ny rad"',
      'Centrum;;',
      'Hisingen;1234567;',
      '',
    ])
  })

  it('round-trips through readCsv', async () => {
    const csv = await readAll(chunked(bytes, 5))
    expect(csv.dialect).toEqual({ encoding: 'utf-8', delimiter: ';', bom: true, decimalComma: true })
    expect(csv.header).toEqual(header)
    expect(csv.rows.map((r) => r.line)).toEqual([2, 3, 5, 6])
    expect(csv.rows.map((r) => [r.values[0], parseNumber(r.values[1]!, csv.dialect.decimalComma), r.values[2]])).toEqual(
      rows.map(([area, value, comment]) => [area, value, comment ?? '']),
    )
  })

  it('keeps Excel from running text as a formula', () => {
    expect(toExcelCsv(['a'], [['=HYPERLINK("x")'], ['@SUM(1)'], ['-1+2'], ['+46 31'], ['-'], [-1]]).slice(1).split('\r\n')).toEqual([
      'a',
      `"'=HYPERLINK(""x"")"`,
      "'@SUM(1)",
      "'-1+2",
      "'+46 31",
      '-',
      '-1',
      '',
    ])
  })
})
