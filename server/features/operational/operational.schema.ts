import { z } from 'zod'
import { isoDateText } from '../../http/validate'

const id = z.string({ error: 'krävs' }).min(1, 'krävs').max(64)

export const compareQuery = z.object({
  indicator: id,
  layer: id,
  /** The day the picture is for; weeks count when they had ended by it. Default: today. */
  end: isoDateText.optional(),
  window: z.enum(['28d', 'ytd'], { error: 'måste vara 28d (senaste 28 dagarna) eller ytd (hittills i år)' }).default('28d'),
})
export type CompareQuery = z.infer<typeof compareQuery>

export type OperationalVerdict = 'increase' | 'decrease' | 'no_change' | 'hidden' | 'not_testable'

export interface WindowTest {
  p: number | null
  /** Benjamini–Hochberg over the layer's areas tested in the same comparison. */
  pAdjusted: number | null
  /** Significant at 5 % after adjustment, or why there is no test. */
  verdict: OperationalVerdict
  /** Rate ratio: the window against the one compared with, per inhabitant-week. */
  ratio: number | null
}

export interface WindowSpan {
  weeks: string[]
  /** First day, inclusive, and last day, inclusive. */
  from: string
  to: string
}

export interface OperationalAreaDto {
  areaId: number
  code: string
  name: string
  /** Counts summed over the window's weeks; null where a week is missing, or hidden from this viewer. */
  current: number | null
  previous: number | null
  lastYear: number | null
  /** True where a window holds a week hidden from this viewer: its sum would give the week away. */
  hidden: boolean
  /** 28d: against the four weeks before; ytd: against the same weeks last year. */
  p: number | null
  pAdjusted: number | null
  verdict: OperationalVerdict
  /** 28d only: against the same four weeks a year earlier. */
  versusLastYear: WindowTest | null
}

export interface OperationalCompareDto {
  indicator: string
  name: string
  layer: string
  window: '28d' | 'ytd'
  end: string
  current: WindowSpan
  previous: WindowSpan | null
  lastYear: WindowSpan
  alpha: number
  method: string
  suppression: { threshold: number; internal: boolean }
  areas: OperationalAreaDto[]
}
