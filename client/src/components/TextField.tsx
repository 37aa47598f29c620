import type { ComponentProps, ReactNode } from 'react'
import { FieldError } from './FieldError'

export interface TextFieldProps extends ComponentProps<'input'> {
  id: string
  label: ReactNode
  /** The field's error, shown below it and linked to it. */
  error?: string
}

/** A labelled input with its error: works with react-hook-form's register() spread onto it. */
export function TextField({ id, label, error, ...rest }: TextFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...(error ? { 'aria-invalid': true, 'aria-describedby': `${id}-err` } : {})} {...rest} />
      <FieldError id={`${id}-err`} field={rest.name} message={error} />
    </div>
  )
}
