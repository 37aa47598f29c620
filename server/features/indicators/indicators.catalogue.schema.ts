import { z } from 'zod'
import type { IndicatorCategory, IndicatorUnit, Polarity } from '../../../db/schema'

export const UNITS = ['count', 'rate_per_1000', 'percent', 'index'] as const satisfies readonly IndicatorUnit[]
export const CATEGORIES = ['brott', 'otrygghet', 'riskfaktor', 'skyddsfaktor', 'aktivitet'] as const satisfies readonly IndicatorCategory[]
export const POLARITIES = ['higher_is_worse', 'higher_is_better', 'neutral'] as const satisfies readonly Polarity[]

/** The demo's indicators are named demo_…: a real one never is, so the demo can be told apart and removed. */
export const DEMO_PREFIX = 'demo_'

export const indicatorId = z
  .string({ error: 'ett id krävs' })
  .max(64, 'id:t får ha högst 64 tecken')
  .regex(/^[a-z][a-z0-9_]*$/, 'id:t får bara ha små bokstäver a–z, siffror och _, och börjar med en bokstav')

const fields = {
  name: z.string({ error: 'ett namn krävs' }).trim().min(2, 'namnet behöver minst 2 tecken').max(200, 'namnet får ha högst 200 tecken'),
  description: z.string({ error: 'beskrivningen ska vara text' }).max(5000, 'beskrivningen får ha högst 5 000 tecken'),
  unit: z.enum(UNITS, { error: 'ange enhet: count (antal), rate_per_1000 (per 1 000 invånare), percent (andel) eller index' }),
  category: z.enum(CATEGORIES, { error: 'ange kategori: brott, otrygghet, riskfaktor, skyddsfaktor eller aktivitet' }),
  polarity: z.enum(POLARITIES, { error: 'ange riktning: higher_is_worse (högre är sämre), higher_is_better (högre är bättre) eller neutral' }),
  source: z.string({ error: 'ange källan' }).trim().min(2, 'ange källan: vem som tar fram siffrorna').max(300, 'källan får ha högst 300 tecken'),
  licence: z.string({ error: 'licensen ska vara text' }).trim().max(200, 'licensen får ha högst 200 tecken'),
  minPublishCount: z
    .number({ error: 'publiceringsgränsen ska vara ett heltal, minst 1' })
    .int('publiceringsgränsen ska vara ett heltal')
    .min(1, 'publiceringsgränsen ska vara minst 1')
    .max(1000, 'publiceringsgränsen får vara högst 1 000'),
  survey: z.boolean({ error: 'ange ja eller nej (true/false)' }),
}

/** A new indicator. Polarity may be left out: neutral for an aktivitet, else higher is worse (better for a skyddsfaktor). */
export const indicatorInput = z.object({
  id: indicatorId,
  ...fields,
  description: fields.description.default(''),
  polarity: fields.polarity.optional(),
  licence: fields.licence.default(''),
  minPublishCount: fields.minPublishCount.default(5),
  survey: fields.survey.default(false),
})
export type IndicatorInput = z.infer<typeof indicatorInput>

/** A change: the version that was read and only the fields that change. The id is the indicator's name in links and files: it never changes. */
export const indicatorPatch = z
  .object({ version: z.number({ error: 'versionen du läste krävs' }).int().positive(), id: z.string().optional() })
  .extend(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v as z.ZodType).optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> })

export const deleteQuery = z.object({ version: z.coerce.number({ error: 'ange versionen du läste (version)' }).int().positive() })

/** An indicator as an analyst defines it: what a version holds. */
export interface IndicatorDefinition {
  id: string
  name: string
  description: string
  unit: IndicatorUnit
  category: IndicatorCategory
  polarity: Polarity
  source: string
  licence: string
  minPublishCount: number
  survey: boolean
}

export const DEFINITION_FIELDS = ['name', 'description', 'unit', 'category', 'polarity', 'source', 'licence', 'minPublishCount', 'survey'] as const satisfies ReadonlyArray<keyof IndicatorDefinition>

/** One version of an indicator's definition, newest first in the history. */
export interface IndicatorVersionDto {
  version: number
  current: boolean
  /** When this version was saved, and by whom (null: the first start or the demo). */
  savedAt: string
  savedBy: string | null
  definition: IndicatorDefinition
}

/**
 * Rules that span fields, on the definition as it would be saved: each named by its field. An aktivitet
 * counts effort (controls, drug seizures): more is neither better nor worse, so it is neutral.
 */
export function crossCheck(d: Pick<IndicatorDefinition, 'unit' | 'category' | 'polarity' | 'survey'>): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = []
  if (d.survey && d.unit !== 'percent') out.push({ field: 'survey', message: 'en urvalsundersökning (skattning med intervall) anges som andel: välj enheten percent' })
  if (d.category === 'aktivitet' && d.polarity !== 'neutral') {
    out.push({ field: 'polarity', message: 'en aktivitetsindikator räknar insatser, där fler varken är bättre eller sämre: riktningen ska vara neutral' })
  }
  return out
}

export function defaultPolarity(category: IndicatorCategory): Polarity {
  return category === 'aktivitet' ? 'neutral' : category === 'skyddsfaktor' ? 'higher_is_better' : 'higher_is_worse'
}
