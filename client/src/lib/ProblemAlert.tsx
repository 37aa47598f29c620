/** A refused request: the server's message and each problem with the field it is in. */
export function ProblemAlert({ problem, id }: { problem: { message: string; details: ReadonlyArray<{ field?: string; message: string }> } | null; id?: string }) {
  if (!problem) return null
  return (
    <div role="alert" id={id} className="error">
      <p>{problem.message}</p>
      {problem.details.length > 0 && (
        <ul>
          {problem.details.map((d, i) => (
            <li key={i}>
              {d.field ? `${d.field}: ` : ''}
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
