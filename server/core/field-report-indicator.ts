/**
 * The indicator that field reports (trygghetsrapporter) become: its figures are only ever the sums of the
 * reports, written by the field-reports feature; imports leave it alone. Pure: no db, no http.
 */
export const FIELD_REPORT_INDICATOR = {
  id: 'trygghetsrapporter',
  name: 'Trygghetsrapporter',
  description:
    'Antal händelser som de lokala ledningsgruppernas samordnare rapporterat per vecka och primärområde (skadegörelse, nedskräpning, oro i grupp m.m.): händelser som påverkar tryggheten men inte är polisanmälningar. Summerat till större områden.',
  unit: 'count',
  category: 'otrygghet',
  polarity: 'higher_is_worse',
  source: 'Trygghetsrapporter från lokala ledningsgrupper (Lägesbild)',
  licence: '',
  minPublishCount: 5,
  survey: false,
} as const

/** The layer reports are kept on; the one derivation sums it to stadsområden, lokalpolisområden and the city. */
export const FIELD_REPORT_LAYER = 'primaromrade'

/** The layer of drawn places (the areas feature's PLACE_LAYER): a report may name one, its primärområde derived. */
export const FIELD_REPORT_PLACE_LAYER = 'plats'
