import { describe, expect, it } from 'vitest'
import { DEMO_INDICATORS, DEMO_SOURCE, generateDemo, seededRandom } from '../../geodata/demo'

const prim = [
  { areaId: 1, code: '116', population: 4000, socioClass: 4 },
  { areaId: 2, code: '612', population: 8000, socioClass: 1 },
  { areaId: 3, code: '524', population: 6000, socioClass: 5 },
]
const whole = (areaId: number, code: string) => ({ areaId, layerId: 'primaromrade', overlaps: [{ code, share: 1 }] })
const surveyed = [whole(1, '116'), whole(2, '612'), whole(3, '524')]
const deso = { areaId: 10, layerId: 'deso', overlaps: [{ code: '612', share: 0.5 }, { code: '524', share: 0.25 }] }

describe('demo data', () => {
  it('is labelled as demo in every indicator name, flag and source', () => {
    for (const i of DEMO_INDICATORS) {
      expect(i.id).toMatch(/^demo_/)
      expect(i.name).toMatch(/\(demo\)$/)
    }
    expect(DEMO_SOURCE).toMatch(/DEMO/)
    expect(DEMO_SOURCE).toMatch(/inte verklig statistik/)
  })

  it('is the same for the same seed and differs for another', () => {
    const a = generateDemo(prim, [deso], surveyed, 1)
    expect(generateDemo(prim, [deso], surveyed, 1)).toEqual(a)
    expect(generateDemo(prim, [deso], surveyed, 2)).not.toEqual(a)
  })

  it('apportions crime counts by area share', () => {
    const obs = generateDemo(prim, [deso], surveyed, 7)
    const count = (areaId: number, id = 'demo_misshandel_utomhus', period = '2023') =>
      obs.find((o) => o.areaId === areaId && o.indicatorId === id && o.period === period)!.value
    expect(count(10)).toBe(Math.round(count(2) * 0.5 + count(3) * 0.25))
  })

  it('gives survey shares with intervals that contain them, consistent with numerator/denominator', () => {
    const survey = generateDemo(prim, [], surveyed, 3).filter((o) => o.indicatorId === 'demo_otrygg_kvall')
    expect(survey).toHaveLength(3 * 4)
    for (const o of survey) {
      expect(o.value).toBeCloseTo((100 * o.numerator!) / o.denominator!, 1)
      expect(o.ciLow!).toBeLessThanOrEqual(o.value)
      expect(o.ciHigh!).toBeGreaterThanOrEqual(o.value)
    }
  })

  it('makes weaker socio-economic areas less safe on average', () => {
    const survey = generateDemo(prim, [], surveyed, 11).filter((o) => o.indicatorId === 'demo_otrygg_kvall')
    const mean = (id: number) => survey.filter((o) => o.areaId === id).reduce((s, o) => s + o.value, 0) / 4
    expect(mean(2)).toBeGreaterThan(mean(3))
  })

  it('seededRandom stays in [0, 1)', () => {
    const r = seededRandom(42)
    for (let i = 0; i < 10_000; i++) {
      const v = r()
      expect(v >= 0 && v < 1).toBe(true)
    }
  })
})
