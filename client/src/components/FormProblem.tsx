import type { ApiDetail } from '../lib/apiError'
import { fieldLabel } from '../lib/labels'

/**
 * A refused request, for the form as a whole: the server's message and the problems no field showed
 * (`details`; by default all of them, each with its field).
 */
export function FormProblem({ problem, details, id, testId }: { problem: { message: string; details?: readonly ApiDetail[] } | null | undefined; details?: readonly ApiDetail[]; id?: string; testId?: string }) {
  if (!problem) return null
  const list = details ?? problem.details ?? []
  return (
    <div role="alert" id={id} className="import-error" data-testid={testId}>
      <strong>{problem.message}</strong>
      {list.length > 0 && (
        <ul>
          {list.map((d, i) => (
            <li key={i}>
              {d.row !== undefined ? `Rad ${d.row}: ` : ''}
              {d.field && !details && fieldLabel(d.field) ? `${fieldLabel(d.field)}: ` : ''}
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
