import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../db/connect'
import { readCsv } from '../../server/core/csv'
import { testEngines } from '../helpers/engines'
import { post, startApp, type RunningApp } from '../helpers/http'

const BOM = '\uFEFF'
const excel = (lines: string[]) => BOM + lines.join('\r\n') + '\r\n'

describe.each(testEngines())('indicator table import on $name', (engine) => {
  let db: Db
  let app: RunningApp
  beforeAll(async () => {
    db = await engine.open()
    app = await startApp(db)
  })
  afterAll(async () => {
    await app?.close()
    await db?.close()
  })

  const count = async () =>
    Number((await db.kysely.selectFrom('observations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('reads a Swedish Excel file (BOM, semicolons, decimal comma, CRLF, Swedish headers) and serves it', async () => {
    const file = excel([
      'Indikator;Lager;Områdeskod;Period;Värde;Täljare;Nämnare;KI nedre;KI övre',
      'demo_otrygg_kvall;primaromrade;612;2026;41,5;83;200;34,9;48,4',
      'demo_otrygg_kvall;primaromrade;116;2026;"12,0";24;200;8,2;17,2',
      'demo_ran;stadsomrade;1;2026-Q1;17;17;;;',
    ])
    const res = await post(app, '/api/imports/observations?filename=trygghet.csv', file)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ rowsRead: 3, rowsAccepted: 3, areasTouched: 3, replaced: 0 })
    const v = await app.get('/api/indicators/demo_otrygg_kvall/values?layer=primaromrade&period=2026')
    expect(v.body.values).toHaveLength(2)
    expect(v.body.values.find((x: any) => x.code === '612')).toMatchObject({ value: 41.5, numerator: 83, denominator: 200, ciLow: 34.9, ciHigh: 48.4 })
    const log = await app.get('/api/imports')
    expect(log.body[0]).toMatchObject({ kind: 'observations', fileName: 'trygghet.csv', rowsRead: 3, rowsAccepted: 3, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })

  it('refuses the same file twice unless told to replace it', async () => {
    const file = excel(['indicator;layer;area_code;period;value', 'demo_ran;primaromrade;101;2026-05;3'])
    expect((await post(app, '/api/imports/observations', file)).status).toBe(201)
    const again = await post(app, '/api/imports/observations', file)
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/redan/)
    const replaced = await post(app, '/api/imports/observations?replace=true', file)
    expect(replaced.status).toBe(201)
    expect(replaced.body.replaced).toBe(1)
    const log = await app.get('/api/imports')
    const older = log.body.find((l: any) => l.id !== replaced.body.importId && l.replacedBy === replaced.body.importId)
    expect(older).toBeDefined()
  })

  it('refuses values that already exist from another file, naming them', async () => {
    const res = await post(app, '/api/imports/observations', 'indicator,layer,area_code,period,value\ndemo_ran,primaromrade,612,2024,9\n')
    expect(res.status).toBe(409)
    expect(res.body.error.details[0].message).toMatch(/demo_ran 2024/)
  })

  it('reads Windows-1252 with commas and decimal points', async () => {
    const text = 'indikator,lager,områdeskod,period,värde\ndemo_unga_uvas,primaromrade,612,2026,12.5\n'
    const res = await post(app, '/api/imports/observations', Buffer.from(text, 'latin1'))
    expect(res.status).toBe(201)
  })

  it('reports every bad row by row and field, and changes nothing', async () => {
    const before = await count()
    const file = [
      'indicator;layer;area_code;period;value;numerator;denominator;ci_low;ci_high',
      'nope;primaromrade;612;2026;1;;;;', // 2: unknown indicator
      'demo_ran;nope;612;2026;1;;;;', // 3: unknown layer
      'demo_ran;primaromrade;999;2026;1;;;;', // 4: unknown area
      'demo_ran;primaromrade;612;2026-13;1;;;;', // 5: bad period
      'demo_ran;primaromrade;612;2026;tre;;;;', // 6: not a number
      'demo_otrygg_kvall;primaromrade;612;2027;140;;;;', // 7: share above 100
      'demo_otrygg_kvall;primaromrade;613;2027;14;;;20;10', // 8: interval upside down
      'demo_ran;primaromrade;612;2027;1,5;;;;', // 9: count with decimals
      'demo_ran;primaromrade;612;2028;1;;0;;', // 10: zero denominator
      'demo_ran;primaromrade;613;2028;1;;;;', // 11: fine …
      'demo_ran;primaromrade;613;2028;2;;;;', // 12: … but twice
    ].join('\n')
    const res = await post(app, '/api/imports/observations', file)
    expect(res.status).toBe(422)
    const got = res.body.error.details.map((d: any) => `${d.row}:${d.field}`)
    expect(got).toEqual(['2:indicator', '3:layer', '4:area_code', '5:period', '6:value', '7:value', '8:ci_low', '9:value', '10:denominator', '12:period'])
    expect(await count()).toBe(before)
  })

  it.each([
    ['an empty file', '', /tom/],
    ['only a header', 'indicator;layer;area_code;period;value\n', /inga rader/],
    ['missing columns', 'indikator;period\ndemo_ran;2026\n', /Kolumner saknas: layer, area_code, value/],
    ['an unterminated quote', 'indicator;layer;area_code;period;value\ndemo_ran;primaromrade;"612;2026;1\n', /citattecken|quote/i],
  ])('rejects %s with a clear 422', async (_what, file, message) => {
    const before = await count()
    const res = await post(app, '/api/imports/observations', file)
    expect(res.status).toBe(422)
    expect(res.body.error.message).toMatch(message)
    expect(await count()).toBe(before)
  })

  it('exports any indicator view as CSV that Swedish Excel opens, and reads it back', async () => {
    const res = await fetch(`${app.url}/api/indicators/demo_otrygg_kvall/values?layer=stadsomrade&period=2023&format=csv`, { headers: app.headers() })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/)
    expect(res.headers.get('content-disposition')).toMatch(/lagesbild_demo_otrygg_kvall_stadsomrade_2023\.csv/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    expect(text).toContain('\r\n')
    const json = await app.get('/api/indicators/demo_otrygg_kvall/values?layer=stadsomrade&period=2023')
    const csv = await readCsv((async function* () { yield bytes })())
    expect(csv.dialect).toMatchObject({ delimiter: ';', decimalComma: true, bom: true })
    expect(csv.header.slice(0, 4)).toEqual(['Område', 'Kod', 'Period', 'Värde'])
    const rows = []
    for await (const r of csv.rows) rows.push(r.values)
    expect(rows).toHaveLength(4)
    const centrum = json.body.values.find((v: any) => v.name === 'Centrum')
    expect(rows.find((r) => r[0] === 'Centrum')![3]).toBe(String(centrum.value).replace('.', ','))
  })
})
