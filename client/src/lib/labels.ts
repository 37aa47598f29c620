/** The measures' and the priorities' enumerations in Swedish, for pages and forms. */
import type { IndicatorDto, MeasureDto } from './api'

export const PURPOSE_LABELS: Record<MeasureDto['purpose'], string> = {
  brottsforebyggande: 'Brottsförebyggande',
  trygghetsskapande: 'Trygghetsskapande',
  bada: 'Båda',
}
export const PREVENTION_LABELS: Record<MeasureDto['prevention'], string> = {
  social_universell: 'Social, universell',
  social_selektiv: 'Social, selektiv',
  social_indikerad: 'Social, indikerad',
  situationell: 'Situationell',
}
export const LEVEL_LABELS: Record<MeasureDto['level'], string> = { strategisk: 'Strategisk', operativ: 'Operativ' }
export const STATUS_LABELS: Record<MeasureDto['status'], string> = { planerad: 'Planerad', pagaende: 'Pågående', avslutad: 'Avslutad' }
/** Indicator categories in the order the pickers list them. */
export const CATEGORY_LABELS: Record<IndicatorDto['category'], string> = {
  brott: 'Brott',
  otrygghet: 'Otrygghet',
  riskfaktor: 'Riskfaktorer',
  skyddsfaktor: 'Skyddsfaktorer',
  aktivitet: 'Aktivitet (insatser)',
}
/** Indicator units as the catalogue names them. */
export const UNIT_LABELS: Record<IndicatorDto['unit'], string> = {
  count: 'Antal',
  rate_per_1000: 'Per 1 000 invånare',
  percent: 'Andel (%)',
  index: 'Index',
}
/** Which way is worse: an aktivitet (police or city effort) is neither. */
export const POLARITY_LABELS: Record<IndicatorDto['polarity'], string> = {
  higher_is_worse: 'Högre är sämre',
  higher_is_better: 'Högre är bättre',
  neutral: 'Neutral (aktivitet)',
}
export const STEP_STATUS_LABELS = { ej_paborjad: 'Ej påbörjad', pagar: 'Pågår', klar: 'Klar' } as const

/** The API's field names in Swedish, for messages that name a field (a refused form, the audit log's changes). */
export const FIELD_LABELS: Record<string, string> = {
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
  indicatorId: 'indikator',
  baselinePeriod: 'basperiod',
  baselineValue: 'utgångsvärde',
  target: 'mål',
  targetPeriod: 'målperiod',
  email: 'e-post',
  password: 'lösenord',
  name: 'namn',
  role: 'roll',
  stadsomrade: 'stadsområde',
  disabled: 'avstängt',
  version: 'version',
  slides: 'bilder',
  note: 'anteckning',
  geometry: 'geometri',
  radius: 'radie',
  layer: 'indelning',
  indicator: 'indikator',
  period: 'period',
  published: 'publicerad',
  id: 'id',
  unit: 'enhet',
  category: 'kategori',
  polarity: 'riktning',
  source: 'källa',
  licence: 'licens',
  minPublishCount: 'publiceringsgräns',
  survey: 'urvalsundersökning',
  values: 'värden',
  problemAreas: 'problemområden',
  measures: 'åtgärder',
  // Cycles, problem areas and causes
  startYear: 'startår',
  endYear: 'slutår',
  copyFrom: 'steg från',
  copyProblemAreas: 'kopiera problemområden',
  makeCurrent: 'gör aktuell',
  current: 'aktuell',
  ordinal: 'plats i ordningen',
  stepId: 'steg',
  areaId: 'område',
  date: 'datum',
  responsible: 'ansvarig',
  cycleId: 'cykel',
  parentId: 'del av',
  analysis: 'analys',
  goals: 'målsättning',
  indicatorIds: 'indikatorer',
  targets: 'mätbara mål',
  retiredAt: 'avslutat',
  retired: 'avslutat',
  decisionId: 'beslut',
  kind: 'slag',
  sources: 'källor',
  evidence: 'belägg',
  causes: 'orsaker',
  plan: 'åtgärdsplan',
  children: 'delområden',
  agreement: 'avtalstext',
  agreementRef: 'avtalsreferens',
  parties: 'parter',
}

/**
 * A field's path (followUp.0.target) in Swedish ("uppföljning 1, mål"); null when a part has no
 * Swedish name, so that a raw name is never shown.
 */
export function fieldLabel(path: string): string | null {
  const parts: string[] = []
  for (const key of path.split('.')) {
    if (/^\d+$/.test(key) && parts.length) parts[parts.length - 1] += ` ${Number(key) + 1}`
    else if (FIELD_LABELS[key]) parts.push(FIELD_LABELS[key])
    else return null
  }
  return parts.length ? parts.join(', ') : null
}
