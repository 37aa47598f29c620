/**
 * Finds personal data in free text that must never be stored: Swedish personal identity and coordination
 * numbers, phone numbers and e-mail addresses. Field reports are aggregated figures with a short note; a note
 * that names a person is refused, not cleaned, so the writer knows what was wrong. Pure: no db, no http.
 */

export type PersonalDataKind = 'personnummer' | 'telefonnummer' | 'e-postadress'

export interface PersonalDataHit {
  kind: PersonalDataKind
  /** Where in the text (UTF-16 index), so a form can point at it. */
  index: number
}

const LABELS: Record<PersonalDataKind, string> = {
  personnummer: 'ett personnummer eller samordningsnummer',
  telefonnummer: 'ett telefonnummer',
  'e-postadress': 'en e-postadress',
}

/** Luhn over the ten digits YYMMDDNNNC, as Skatteverket computes the check digit. */
function luhnOk(ten: string): boolean {
  let sum = 0
  for (let i = 0; i < 10; i++) {
    let d = Number(ten[i]) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return sum % 10 === 0
}

/** A real month and day; coordination numbers add 60 to the day. */
function dateOk(mm: string, dd: string): boolean {
  const m = Number(mm)
  let d = Number(dd)
  if (d > 60) d -= 60
  return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// 12 or 10 digits, the last four optionally after '-' or '+' (and a space people type).
const PNR = /(?<![\d])(?:(?:19|20)(\d{2})|(\d{2}))(\d{2})(\d{2})\s?[-+]?\s?(\d{4})(?![\d])/g
// Swedish phone numbers: 0 or +46/0046 then 7–10 more digits, one space or hyphen at most between digits.
const PHONE = /(?<![\d+])(?:\+46|0046|0)[ -]?\d(?:[ -]?\d){6,9}(?![\d])/g
// Dates are runs of digits and hyphens too ("1–7/3: 2026-03-01-2026-03-07"): never a phone number.
const ISO_DATE = /\d{4}-\d{2}-\d{2}/g
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g

export function findPersonalData(text: string): PersonalDataHit[] {
  const hits: PersonalDataHit[] = []
  const taken: Array<[number, number]> = []
  for (const m of text.matchAll(PNR)) {
    const yy = m[1] ?? m[2]!
    if (dateOk(m[3]!, m[4]!) && luhnOk(`${yy}${m[3]}${m[4]}${m[5]}`)) {
      hits.push({ kind: 'personnummer', index: m.index })
      taken.push([m.index, m.index + m[0].length])
    }
  }
  for (const m of text.matchAll(ISO_DATE)) taken.push([m.index, m.index + m[0].length])
  for (const m of text.matchAll(PHONE)) {
    // A personnummer or a date also looks like a run of digits; report a personnummer once, a date never.
    if (taken.some(([a, b]) => m.index < b && m.index + m[0].length > a)) continue
    hits.push({ kind: 'telefonnummer', index: m.index })
  }
  for (const m of text.matchAll(EMAIL)) hits.push({ kind: 'e-postadress', index: m.index })
  return hits.sort((a, b) => a.index - b.index)
}

/** The refusal in Swedish, naming each kind found once; null when the text is clean. */
export function personalDataMessage(text: string): string | null {
  const kinds = [...new Set(findPersonalData(text).map((h) => h.kind))]
  if (kinds.length === 0) return null
  const names = kinds.map((k) => LABELS[k])
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} och ${names.at(-1)}`
  return `Texten innehåller ${list}. Skriv utan uppgifter som pekar ut en person.`
}
