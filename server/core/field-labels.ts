/**
 * The API's field names in Swedish, for the server's own messages that name a field (a refused stale
 * save lists what changed). One server copy for every feature; the client keeps its own in
 * client/src/lib/labels.ts, as it may import only types from the server. Pure: no db, no http.
 */
export const FIELD_LABELS: Record<string, string> = {
  // Measures
  title: 'titel',
  description: 'beskrivning',
  problemAreaId: 'problemområde',
  purpose: 'syfte',
  prevention: 'preventionstyp',
  level: 'nivå',
  owners: 'ägare',
  samverkansform: 'samverkansform',
  areaIds: 'områden',
  status: 'status',
  startDate: 'startdatum',
  endDate: 'slutdatum',
  followUp: 'uppföljning',
  causeIds: 'orsaker',
  comparisonAreaId: 'jämförelseområde',
  displacementBufferM: 'buffert (meter)',
  // Indicators
  id: 'id',
  name: 'namn',
  unit: 'enhet',
  category: 'kategori',
  polarity: 'riktning',
  source: 'källa',
  licence: 'licens',
  minPublishCount: 'publiceringsgräns',
  survey: 'urvalsundersökning',
  // Cycles, problem areas and causes
  startYear: 'startår',
  endYear: 'slutår',
  copyFrom: 'kopiera från',
  copyProblemAreas: 'kopiera problemområden',
  makeCurrent: 'gör aktuell',
  current: 'aktuell',
  ordinal: 'plats i ordningen',
  stepId: 'steg',
  areaId: 'område',
  date: 'datum',
  responsible: 'ansvarig',
  note: 'anteckning',
  cycleId: 'cykel',
  parentId: 'överordnat problemområde',
  analysis: 'analys',
  goals: 'målsättning',
  indicatorIds: 'indikatorer',
  targets: 'mätbara mål',
  indicatorId: 'indikator',
  target: 'målvärde',
  targetPeriod: 'målperiod',
  retiredAt: 'avslutat',
  retired: 'avslutat',
  decisionId: 'beslut',
  kind: 'slag',
  sources: 'källor',
  evidence: 'belägg',
  period: 'period',
  // Samverkansformer
  agreement: 'avtal',
  agreementRef: 'avtalsreferens',
  parties: 'parter',
}

/** JSON with sorted keys: jsonb hands objects back in its own key order. */
export const stableJson = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(stableJson).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(v)

/**
 * What differs between the version a user read and the one now stored, for a refused stale save: each
 * changed field named, with its new and old value. `before` null (the version read is unknown): every field, as it is now.
 */
export function changedFields<T extends object>(keys: ReadonlyArray<keyof T & string>, before: T | null, now: T): Array<{ field: string; message: string }> {
  return keys
    .filter((k) => !before || stableJson(before[k]) !== stableJson(now[k]))
    .map((k) => ({ field: k, message: `${FIELD_LABELS[k] ?? k} har ändrats: nu ${JSON.stringify(now[k])}${before ? ` (var ${JSON.stringify(before[k])})` : ''}` }))
}
