import { describe, expect, it } from 'vitest'
import { CRSES, crsOf, formatOf, OgcError, parseBbox, parseDatetime, parseItemsQuery } from '../../server/features/ogc/ogc.schema'

const [crs84, sweref, s1200] = CRSES as [(typeof CRSES)[number], (typeof CRSES)[number], (typeof CRSES)[number]]

const rejects = (f: () => unknown, pattern: RegExp) => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(OgcError)
    expect((e as OgcError).status).toBe(400)
    expect((e as OgcError).description).toMatch(pattern)
    return
  }
  throw new Error('did not throw')
}

describe('OGC API parameters', () => {
  it('knows CRS84, EPSG:3006 and EPSG:3007 by URI and short name, nothing else', () => {
    expect(crsOf('http://www.opengis.net/def/crs/OGC/1.3/CRS84')).toBe(crs84)
    expect(crsOf('CRS84')).toBe(crs84)
    expect(crsOf('EPSG:3006')).toBe(sweref)
    expect(crsOf('[EPSG:3007]')).toBe(s1200)
    expect(crsOf('http://www.opengis.net/def/crs/EPSG/0/3006')).toBe(sweref)
    expect(crsOf('EPSG:4326')).toBeNull()
    expect(crsOf('EPSG:3006x')).toBeNull()
  })

  it('reads a bbox in its CRS’s axis order and returns x/y (EPSG:3006 is northing, easting)', () => {
    expect(parseBbox('11.9,57.6,12.1,57.8', crs84)).toEqual([11.9, 57.6, 12.1, 57.8])
    expect(parseBbox('6395000,315000,6405000,325000', sweref)).toEqual([315000, 6395000, 325000, 6405000])
    rejects(() => parseBbox('1,2,3', crs84), /fyra tal/)
    rejects(() => parseBbox('1,2,,4', crs84), /fyra tal/)
    rejects(() => parseBbox('12,58,11,57', crs84), /min före max/)
    rejects(() => parseBbox('-181,0,0,1', crs84), /longitud/)
  })

  it('reads datetime instants and intervals as dates, open ends as null', () => {
    expect(parseDatetime('2025-03-01')).toEqual({ from: '2025-03-01', to: '2025-03-01' })
    expect(parseDatetime('2025-03-01T23:30:00+02:00')).toEqual({ from: '2025-03-01', to: '2025-03-01' })
    expect(parseDatetime('2025-01-01/..')).toEqual({ from: '2025-01-01', to: null })
    expect(parseDatetime('../2025-01-01')).toEqual({ from: null, to: '2025-01-01' })
    rejects(() => parseDatetime('2025-13-45'), /RFC 3339/)
    rejects(() => parseDatetime('2025-02-30'), /RFC 3339/)
    rejects(() => parseDatetime('2025-02-01/2025-01-01'), /efter/)
  })

  it('limits limit to 1–10 000 (default 100), refuses unknown and repeated parameters', () => {
    expect(parseItemsQuery({}, []).limit).toBe(100)
    expect(parseItemsQuery({ limit: '10000' }, []).limit).toBe(10_000)
    rejects(() => parseItemsQuery({ limit: '10001' }, []), /limit/)
    rejects(() => parseItemsQuery({ foo: '1' }, []), /Okänd parameter: foo/)
    rejects(() => parseItemsQuery({ code: ['1', '2'] }, ['code']), /en gång/)
    rejects(() => parseItemsQuery({ 'bbox-crs': 'EPSG:3006' }, []), /kräver bbox/)
    expect(parseItemsQuery({ code: '101' }, ['code']).filters).toEqual({ code: '101' })
  })

  it('picks the format by f=, else by Accept', () => {
    expect(formatOf('html', () => 'application/json')).toBe('html')
    expect(formatOf(undefined, () => 'text/html')).toBe('html')
    expect(formatOf(undefined, () => false)).toBe('json')
    rejects(() => formatOf('xml', () => false), /f=json/)
  })
})
