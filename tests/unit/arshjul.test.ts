import { describe, expect, it } from 'vitest'
import { arshjulByMonth, arshjulLanes, missingText, type ArshjulDto } from '../../client/src/features/organisation/arshjul'

const year = 2026
const groups: ArshjulDto['groups'] = [
  { id: 'trygg_i_goteborg', name: 'Ledningsgrupp Trygg i Göteborg', kind: 'ledningsgrupp' },
  { id: 'lokal:1', name: 'Ledningsgrupp Trygg i Nordost', kind: 'lokal_ledningsgrupp' },
  { id: 'natverk', name: 'Brottsförebyggande nätverket', kind: 'natverk' },
  { id: 'strategiskt_forum', name: 'Strategiskt forum', kind: 'forum' },
  { id: 'arbetsgrupp:1', name: 'Arbetsgrupp Trygg park', kind: 'arbetsgrupp' },
  { id: 'arbetsgrupp:2', name: 'Arbetsgrupp utan möten', kind: 'arbetsgrupp' },
]
const meeting = (id: number, groupId: string, date: string, over: Partial<ArshjulDto['meetings'][number]> = {}): ArshjulDto['meetings'][number] => {
  const g = groups.find((x) => x.id === groupId)!
  return { id, groupId, groupName: g.name, groupKind: g.kind, date, fullDay: false, status: 'planerad', ...over }
}
const forum = meeting(9, 'strategiskt_forum', `${year}-10-05`, { fullDay: true })
const data: ArshjulDto = {
  year,
  groups,
  meetings: [
    meeting(1, 'trygg_i_goteborg', `${year}-03-12`, { fullDay: true }),
    meeting(2, 'trygg_i_goteborg', `${year}-03-02`, { status: 'genomford' }),
    meeting(3, 'arbetsgrupp:1', `${year}-05-20`),
    meeting(4, 'lokal:1', `${year}-12-31`),
    forum,
  ],
  cycles: [{ id: 1, name: 'Lägesbildscykel 2024–2026', startYear: 2024, endYear: 2026, current: true }],
  steps: [
    { cycleId: 1, cycleName: 'Lägesbildscykel 2024–2026', stepId: 11, ordinal: 2, stepName: 'Prioritering', areaId: 7, perspective: 'Nordost', status: 'pagar', date: `${year}-03-01` },
    { cycleId: 1, cycleName: 'Lägesbildscykel 2024–2026', stepId: 10, ordinal: 1, stepName: 'Kartläggning', areaId: null, perspective: 'Staden', status: 'klar', date: `${year}-01-20` },
  ],
  forum: { lagesbildsar: true, meetings: [forum] },
  missing: [],
}

describe('the årshjul’s lanes', () => {
  const lanes = arshjulLanes(data)

  it('puts the cycle first, then the forum, then the groups in their order; a working group without meetings is left out', () => {
    expect(lanes.map((l) => l.id)).toEqual(['cykel', 'strategiskt_forum', 'trygg_i_goteborg', 'lokal:1', 'natverk', 'arbetsgrupp:1'])
    expect(lanes[0]!.note).toBe('Lägesbildscykel 2024–2026')
    expect(lanes[1]!.note).toBe('lägesbildsår: forum i år')
    expect(arshjulLanes({ ...data, forum: { lagesbildsar: false, meetings: [] } })[1]!.note).toBe('inget lägesbildsår')
    expect(arshjulLanes({ ...data, cycles: [] })[0]!.note).toBe('ingen cykel detta år')
  })

  it('places each entry in its month, in date order, with its day, mark and full-day flag', () => {
    const city = lanes.find((l) => l.id === 'trygg_i_goteborg')!
    expect(city.months).toHaveLength(12)
    expect(city.months[2]!.map((i) => [i.key, i.day, i.mark, i.fullDay])).toEqual([
      ['m2', 2, 'genomford', false],
      ['m1', 12, 'planerad', true],
    ])
    expect(city.months.filter((m, i) => i !== 2).every((m) => m.length === 0)).toBe(true)
    expect(lanes.find((l) => l.id === 'lokal:1')!.months[11]!.map((i) => i.day)).toEqual([31])
    const steps = lanes[0]!.months
    expect(steps[0]!.map((i) => [i.title, i.perspective, i.mark])).toEqual([['1. Kartläggning', 'Staden', 'klar']])
    expect(steps[2]!.map((i) => [i.key, i.title, i.perspective, i.mark])).toEqual([['s11:7', '2. Prioritering', 'Nordost', 'pagar']])
    // The forum's meeting is in the forum's lane, once.
    expect(lanes.flatMap((l) => l.months.flat()).filter((i) => i.key === 'm9').length).toBe(1)
  })

  it('lists the year by month across lanes, every month present, in date order', () => {
    const months = arshjulByMonth(lanes)
    expect(months.map((m) => m.name)).toHaveLength(12)
    expect(months[2]!.items.map((i) => [i.date, i.lane])).toEqual([
      [`${year}-03-01`, 'Lägesbildscykeln'],
      [`${year}-03-02`, 'Ledningsgrupp Trygg i Göteborg'],
      [`${year}-03-12`, 'Ledningsgrupp Trygg i Göteborg'],
    ])
    expect(months[1]!.items).toEqual([])
    expect(months.reduce((n, m) => n + m.items.length, 0)).toBe(7)
  })

  it('says what a rule misses in a few words', () => {
    const rule = { groupId: 'lokal:1', groupName: 'Ledningsgrupp Trygg i Nordost', rule: 'minst_fyra_moten' as const, text: 'Minst fyra möten planerade under året', ok: false }
    expect(missingText({ ...rule, missing: 3 })).toBe('Ledningsgrupp Trygg i Nordost: 3 möten till – minst fyra möten planerade under året')
    expect(missingText({ ...rule, missing: 1 })).toMatch(/: 1 möte till –/)
    expect(missingText({ ...rule, missing: 'ett heldagsmöte' })).toBe('Ledningsgrupp Trygg i Nordost: ett heldagsmöte – minst fyra möten planerade under året')
  })
})
