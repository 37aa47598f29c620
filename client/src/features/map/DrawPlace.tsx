import { useState } from 'react'
import { Link } from 'react-router'
import { useSavePlace } from './queries'

export interface DrawPlaceProps {
  corners: ReadonlyArray<[number, number]> | null
  setCorners(c: Array<[number, number]> | null): void
}

/** Draw a place (a square, a transport hub) by clicking its corners on the map, name it and save it. */
export function DrawPlace({ corners, setCorners }: DrawPlaceProps) {
  const [name, setName] = useState('')
  const savePlace = useSavePlace()
  const problem = savePlace.error
  const saved = corners === null ? (savePlace.data ?? null) : null

  if (corners === null) {
    return (
      <div className="draw-place">
        <button type="button" onClick={() => { setCorners([]); savePlace.reset() }}>
          Rita en plats
        </button>
        {saved && (
          <p role="status" className="success" data-testid="place-saved">
            Platsen ”{saved.name}” är sparad{saved.repaired ? ` (ytan lagades: ${saved.repaired})` : ''}.{' '}
            <Link to={`/atgarder?ny=${saved.id}`}>Ny åtgärd på platsen</Link>
          </p>
        )}
      </div>
    )
  }
  const save = () => {
    const ring: Array<[number, number]> = [...corners.map((c): [number, number] => [c[0], c[1]]), [corners[0]![0], corners[0]![1]]]
    savePlace.mutate(
      { name, ring },
      {
        onSuccess: () => {
          setCorners(null)
          setName('')
        },
      },
    )
  }
  return (
    <div className="draw-place" data-testid="draw-place">
      <p role="status">Klicka platsens hörn på kartan ({corners.length} hittills).</p>
      <div className="field">
        <label htmlFor="place-name">Platsens namn</label>
        <input id="place-name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      {problem && (
        <p role="alert" className="field-error">
          {problem.message}
          {problem.details.length > 0 && `: ${problem.details.map((d) => d.message).join('; ')}`}
        </p>
      )}
      <div className="inline">
        <button type="button" className="primary" disabled={corners.length < 3 || name.trim().length < 2} onClick={save}>
          Spara platsen
        </button>
        <button type="button" disabled={corners.length === 0} onClick={() => setCorners(corners.slice(0, -1))}>
          Ångra hörn
        </button>
        <button type="button" onClick={() => setCorners(null)}>
          Avbryt
        </button>
      </div>
    </div>
  )
}
