import { useId } from 'react'
import { PERIOD_KIND_LABELS, type PeriodKind } from '../../lib/periods'

export interface PeriodKindPickerProps {
  /** The kinds there are, coarsest first; with fewer than two there is nothing to choose and nothing shows. */
  kinds: readonly PeriodKind[]
  /** The kind asked for (null: none). */
  chosen: PeriodKind | null
  /** The kind the trend shows: checked unless one of `kinds` was chosen (and is on its way). */
  shown: PeriodKind | null
  onChange(kind: PeriodKind): void
  testId?: string
}

/** År / Halvår / Kvartal / Månad as a radio group: arrow keys move between them, the legend names the group. */
export function PeriodKindPicker({ kinds, chosen, shown, onChange, testId }: PeriodKindPickerProps) {
  const name = useId()
  if (kinds.length < 2) return null
  const value = chosen && kinds.includes(chosen) ? chosen : shown
  return (
    <fieldset className="period-kinds" data-testid={testId}>
      <legend>Tidsserie per</legend>
      {kinds.map((k) => (
        <label key={k}>
          <input type="radio" name={name} value={k} checked={value === k} onChange={() => onChange(k)} />
          {PERIOD_KIND_LABELS[k]}
        </label>
      ))}
    </fieldset>
  )
}
