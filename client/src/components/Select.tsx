import type { ComponentProps, ReactNode } from 'react'
import { FieldError } from './FieldError'

export interface Option {
  value: string | number
  label: ReactNode
}

export interface SelectProps extends ComponentProps<'select'> {
  id: string
  /** A visible label, in a `.field` wrapper; without one the select stands alone (give it an aria-label). */
  label?: ReactNode
  options?: readonly Option[]
  /** Options under headings (<optgroup>), after `options`. */
  groups?: ReadonlyArray<{ label: string; options: readonly Option[] }>
  /** The field's error, shown below it and linked to it. */
  error?: string
}

/** A native select with its options, label and error: works controlled and with react-hook-form's register(). */
export function Select({ id, label, options = [], groups = [], error, children, ...rest }: SelectProps) {
  const select = (
    <select id={id} {...(error ? { 'aria-invalid': true, 'aria-describedby': `${id}-err` } : {})} {...rest}>
      {children}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
      {groups.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {g.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  )
  if (label === undefined) return select
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {select}
      <FieldError id={`${id}-err`} message={error} field={rest.name} />
    </div>
  )
}

/** Label → option list for Select, from a Record of labels (the Swedish labels in lib/labels). */
export const optionsOf = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([value, label]) => ({ value, label }))
