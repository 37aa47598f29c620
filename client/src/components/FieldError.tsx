/** One field's error beside its input; `id` is what the input's aria-describedby names. Nothing without a message. */
export function FieldError({ id, message, field }: { id?: string; message?: string | null; field?: string }) {
  if (!message) return null
  return (
    <span className="field-error" id={id} role="alert" data-field={field}>
      {message}
    </span>
  )
}
