import { describe, expect, it } from 'vitest'
import { discloseFollowUp, targetWithheld, withholdRow, WITHHELD_HIDDEN_BASELINE, WITHHELD_SMALL_TARGET } from '../../server/disclosure/follow-up'

describe('a follow-up target outside the analyst role', () => {
  it('is withheld when the baseline is hidden in any of the areas, whatever the target', () => {
    expect(targetWithheld('count', 5, 70, [{ suppressed: false }, { suppressed: true }])).toBe(WITHHELD_HIDDEN_BASELINE)
    expect(targetWithheld('percent', 5, 12.5, [{ suppressed: true }])).toBe(WITHHELD_HIDDEN_BASELINE)
  })
  it('is withheld when it is itself a count below the threshold (0 included), shown from the threshold up', () => {
    expect(targetWithheld('count', 5, 4, [{ suppressed: false }])).toBe(WITHHELD_SMALL_TARGET)
    expect(targetWithheld('count', 5, 0, [])).toBe(WITHHELD_SMALL_TARGET)
    expect(targetWithheld('count', 5, 5, [{ suppressed: false }])).toBeNull()
    expect(targetWithheld('count', 10, 7, [])).toBe(WITHHELD_SMALL_TARGET)
  })
  it('is shown when it is a rate or a share on shown baselines: it is no count', () => {
    expect(targetWithheld('rate_per_1000', 5, 1.2, [{ suppressed: false }])).toBeNull()
    expect(targetWithheld('percent', 5, 3, [{ suppressed: false }])).toBeNull()
  })
  it('takes the target, the direction and the status off a row, and says why', () => {
    const f = discloseFollowUp({ indicatorId: 'x', target: 2 as number | null }, WITHHELD_SMALL_TARGET)
    expect(f).toEqual({ indicatorId: 'x', target: null, targetWithheld: WITHHELD_SMALL_TARGET })
    expect(discloseFollowUp({ target: 7 as number | null }, null)).toEqual({ target: 7 })
    expect(withholdRow({ target: 2, direction: 'down', status: 'gron', reason: null, p: 0.01 }, WITHHELD_SMALL_TARGET)).toEqual({
      target: null,
      targetWithheld: WITHHELD_SMALL_TARGET,
      direction: null,
      status: null,
      reason: WITHHELD_SMALL_TARGET,
      p: 0.01,
    })
  })
})
