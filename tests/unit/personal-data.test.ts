import { describe, expect, it } from 'vitest'
import { findPersonalData, personalDataMessage } from '../../server/core/personal-data'

const kinds = (t: string) => findPersonalData(t).map((h) => h.kind)

describe('findPersonalData', () => {
  it('finds personal identity numbers in the forms people write them, with a valid check digit', () => {
    // Skatteverket's published test person (Tolvan Tolvansson) and the textbook example.
    for (const t of ['19121212-1212', '191212121212', '121212-1212', '1212121212', 'Gärningsperson 811218-9876 sågs', '811218 - 9876', '121212+1212']) {
      expect(kinds(t), t).toEqual(['personnummer'])
    }
  })

  it('finds coordination numbers (day plus 60)', () => {
    // 701063-2391 is Skatteverket's example samordningsnummer.
    expect(kinds('701063-2391')).toEqual(['personnummer'])
  })

  it('does not take ten digits with a wrong check digit or date for a personnummer', () => {
    expect(kinds('121212-1213')).not.toContain('personnummer')
    expect(kinds('121332-1212')).not.toContain('personnummer')
  })

  it('finds Swedish phone numbers', () => {
    for (const t of ['ring 070-123 45 67', '031-365 00 00', '0701234567', '+46 70 123 45 67', '0046701234567', '08-123 456 78']) {
      expect(kinds(t), t).toEqual(['telefonnummer'])
    }
  })

  it('finds e-mail addresses', () => {
    expect(kinds('skriv till anna.svensson@goteborg.se')).toEqual(['e-postadress'])
  })

  it('leaves ordinary field notes alone: dates, weeks, counts, times, years', () => {
    for (const t of [
      'Skadegörelse på 12 bänkar vid torget 2026-03-01',
      'Vecka 2026-W10, 3 bränder i containrar',
      'Oro i grupp kl 22-02, 15 ungdomar',
      'Perioden 2026-03-01-2026-03-07 och 2019-2025',
      'Nedskräpning sedan 2024, 4 anmälningar',
      '',
    ]) {
      expect(kinds(t), t).toEqual([])
    }
  })

  it('reports each hit in order, with its place', () => {
    const t = 'a@b.se och 070-1234567'
    expect(findPersonalData(t)).toEqual([
      { kind: 'e-postadress', index: 0 },
      { kind: 'telefonnummer', index: t.indexOf('070') },
    ])
  })
})

describe('personalDataMessage', () => {
  it('names what was found, in Swedish, or gives null', () => {
    expect(personalDataMessage('inget här')).toBeNull()
    expect(personalDataMessage('19121212-1212, a@b.se')).toBe(
      'Texten innehåller ett personnummer eller samordningsnummer och en e-postadress. Skriv utan uppgifter som pekar ut en person.',
    )
  })
})
