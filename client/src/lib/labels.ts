/** The measures' and the priorities' enumerations in Swedish, for pages and forms. */
import type { MeasureDto } from './api'

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
export const STEP_STATUS_LABELS = { ej_paborjad: 'Ej påbörjad', pagar: 'Pågår', klar: 'Klar' } as const
