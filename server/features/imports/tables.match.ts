/**
 * Matching an official table's labels to what Lägesbild has: regions to areas of a layer (codes first,
 * then names compared loosely, with ranked suggestions the user confirms), and series to indicators by
 * name. Pure: no db, no http.
 */

export interface AreaRef {
  id: number
  code: string
  name: string
}

export interface RegionMatch {
  region: string
  status: 'exact' | 'suggested' | 'unmatched' | 'not_area'
  area: AreaRef | null
  suggestions: Array<AreaRef & { score: number }>
}

/** Lowercase, without diacritics and punctuation: "Göteborg (kommun)" → "goteborg kommun". */
export function loose(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

// Words official tables put around an area's name: "Göteborg Centrum", "LPO Nordost", "Hisingen (stadsområde)".
const AFFIXES = new Set([
  'goteborg', 'goteborgs', 'gbg', 'lpo', 'lokalpolisomrade', 'lokalpolisomradet', 'polisomrade', 'stadsomrade',
  'stadsomradet', 'stadsdel', 'stadsdelen', 'sdf', 'sdn', 'kommun', 'stad', 'omrade', 'omradet', 'primaromrade', 'deso', 'regso',
])

export function stripAffixes(s: string): string {
  return loose(s)
    .split(' ')
    .filter((w) => w && !AFFIXES.has(w))
    .join(' ')
}

// Regions that are not areas of any layer: the municipality itself, the county, the country, totals.
const NOT_AREA = /^(riket|hela riket|sverige|totalt|total|samtliga|alla|summa|okand|okant|uppgift saknas|ovriga|ospecificerat|vastra gotaland|storgoteborg|polisomrade storgoteborg)$|(^| )lan$|^polisregion|^region /

export function isNotArea(region: string, layerCodes: Set<string>): boolean {
  const t = region.trim()
  if (layerCodes.has(t)) return false
  const l = loose(t)
  if (NOT_AREA.test(l)) return true
  // "Göteborg", "Göteborgs kommun", "1480 Göteborg": nothing left once the city's name and codes are gone.
  const rest = stripAffixes(t)
    .split(' ')
    .filter((w) => w && !/^\d{2}(\d{2})?$/.test(w))
  return rest.length === 0
}

/** Dice coefficient of character bigrams: 1 for equal strings, 0 for nothing in common. */
export function bigramSimilarity(a: string, b: string): number {
  if (a === b) return a ? 1 : 0
  if (a.length < 2 || b.length < 2) return 0
  const grams = new Map<string, number>()
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2)
    grams.set(g, (grams.get(g) ?? 0) + 1)
  }
  let common = 0
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2)
    const n = grams.get(g) ?? 0
    if (n > 0) {
      common++
      grams.set(g, n - 1)
    }
  }
  return (2 * common) / (a.length - 1 + b.length - 1)
}

const round2 = (x: number) => Math.round(x * 100) / 100

/** How alike a region label and an area's name are, 0–1, once the usual prefixes and suffixes are gone. */
export function nameScore(region: string, areaName: string): number {
  const a = stripAffixes(region)
  const b = stripAffixes(areaName)
  if (!a || !b) return 0
  if (a === b) {
    // Diacritics are compared loosely, but an exact spelling ranks first.
    const exactSpelling = region.toLocaleLowerCase('sv').includes(areaName.toLocaleLowerCase('sv'))
    return exactSpelling ? 0.95 : 0.9
  }
  const wa = a.split(' ')
  const wb = b.split(' ')
  // One name's words all within the other's ("Angered" in "Angered centrum"): close, but not the same.
  const within = wa.every((w) => wb.includes(w)) || wb.every((w) => wa.includes(w))
  return round2(Math.max(bigramSimilarity(a, b), within ? 0.75 : 0))
}

const SUGGEST_AT = 0.5

/**
 * Matches one region label against a layer's areas: an exact code (the whole label, or its first word, as
 * in "1480C1010 Centrum") or exact name is 'exact'; else names compared loosely give ranked suggestions;
 * a region that is no area ("Göteborg", "Riket", "Västra Götalands län") is 'not_area'.
 */
export function matchRegion(region: string, areas: AreaRef[], codes?: Map<string, AreaRef>): RegionMatch {
  const byCode = codes ?? new Map(areas.map((a) => [a.code.toLowerCase(), a]))
  const t = region.trim()
  const code = byCode.get(t.toLowerCase()) ?? byCode.get(t.split(/\s+/)[0]!.toLowerCase())
  if (code) return { region, status: 'exact', area: code, suggestions: [] }
  const lower = t.toLocaleLowerCase('sv')
  const named = areas.filter((a) => a.name.trim().toLocaleLowerCase('sv') === lower)
  if (named.length === 1) return { region, status: 'exact', area: named[0]!, suggestions: [] }
  if (isNotArea(t, new Set(areas.map((a) => a.code)))) return { region, status: 'not_area', area: null, suggestions: [] }
  const suggestions = areas
    .map((a) => ({ ...a, score: nameScore(t, a.name) }))
    .filter((s) => s.score >= SUGGEST_AT)
    .sort((x, y) => y.score - x.score || x.name.localeCompare(y.name, 'sv'))
    .slice(0, 5)
  return { region, status: suggestions.length ? 'suggested' : 'unmatched', area: null, suggestions }
}

export function matchRegions(regions: string[], areas: AreaRef[]): RegionMatch[] {
  const codes = new Map(areas.map((a) => [a.code.toLowerCase(), a]))
  return regions.map((r) => matchRegion(r, areas, codes))
}

/** How well a layer fits the regions: exact matches count whole, suggestions by their best score; regions that are no area do not count. */
export function layerFit(matches: RegionMatch[]): number {
  const counted = matches.filter((m) => m.status !== 'not_area')
  if (counted.length === 0) return 0
  const sum = counted.reduce((s, m) => s + (m.status === 'exact' ? 1 : m.status === 'suggested' ? 0.8 * m.suggestions[0]!.score : 0), 0)
  return sum / counted.length
}

// ---- series → indicators ----

const STOP = new Set(['och', 'i', 'av', 'pa', 'per', 'for', 'med', 'som', 'demo', 'andel', 'antal', 'procent', 'ar', 'efter', 'samt', 'the', 'of', 'totalt', 'alla'])

function words(s: string): string[] {
  return loose(s)
    .split(' ')
    .filter((w) => w.length > 1 && !STOP.has(w) && !/^\d+$/.test(w))
}

// Prefixes only: "brott" must not match "narkotikabrott", but "skadegorelse" matches "skadegorelsebrott".
const sameWord = (a: string, b: string) => a === b || (Math.min(a.length, b.length) >= 5 && (a.startsWith(b) || b.startsWith(a)))

/** Word overlap (Dice) between a series label and an indicator's name, prefix-tolerant ("otrygg" ~ "otrygghet"). */
export function labelScore(label: string, name: string): number {
  const a = words(label)
  const b = words(name)
  if (a.length === 0 || b.length === 0) return 0
  const common = a.filter((w) => b.some((v) => sameWord(w, v))).length
  // Dice, or most of it when every word of the name is in the label ("Skadegörelse, anmälda brott" ~ "Skadegörelse").
  const covered = b.filter((v) => a.some((w) => sameWord(w, v))).length / b.length
  return round2(Math.max((2 * common) / (a.length + b.length), 0.8 * covered))
}

export interface IndicatorRef {
  id: string
  name: string
}

/** Indicators whose id or name is like the label, best first. */
export function suggestIndicators(label: string, indicators: IndicatorRef[]): Array<{ indicatorId: string; name: string; score: number }> {
  const l = label.trim()
  return indicators
    .map((i) => ({ indicatorId: i.id, name: i.name, score: i.id === l ? 1 : Math.max(labelScore(l, i.name), labelScore(l, i.id.replace(/_/g, ' '))) }))
    .filter((s) => s.score >= 0.3)
    .sort((x, y) => y.score - x.score || x.name.localeCompare(y.name, 'sv'))
    .slice(0, 5)
}
