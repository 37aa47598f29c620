import { useState } from 'react'
import { usePublishSnapshot } from './queries'

/** Publishing cannot be undone: the button asks first, and says so. */
export function PublishButton({ id, title, onDone }: { id: number; title: string; onDone?(): void }) {
  const [asking, setAsking] = useState(false)
  const publish = usePublishSnapshot()
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Publicera…
      </button>
    )
  }
  return (
    <span role="group" aria-label={`Publicera ”${title}”`} className="confirm-publish" data-testid="confirm-publish">
      <span role="alert">
        Publicera ”{title}”? Det går inte att ångra: lägesbilden blir synlig för alla och kan aldrig ändras eller tas bort.
      </span>{' '}
      <button
        type="button"
        className="primary"
        disabled={publish.isPending}
        onClick={() => publish.mutate(id, { onSuccess: () => { setAsking(false); onDone?.() } })}
      >
        Ja, publicera
      </button>{' '}
      <button type="button" className="secondary" autoFocus onClick={() => setAsking(false)}>
        Avbryt
      </button>
      {publish.error && <span role="alert"> {publish.error.message}</span>}
    </span>
  )
}
