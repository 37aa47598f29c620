import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { checkPlace, circleCorners, formatArea, type LonLat } from '../../lib/places'
import { useSavePlace } from './queries'

export interface DrawPlaceProps {
  corners: ReadonlyArray<[number, number]> | null
  setCorners(c: Array<[number, number]> | null): void
}

const RADII = [25, 50, 100, 200, 300, 500]

/**
 * Draw a place (a square, a transport hub) by clicking its corners on the map — or its centre, with a radius —
 * name it and save it. Turf checks the shape before it is sent: no crossing edges, a place's size.
 */
export function DrawPlace({ corners, setCorners }: DrawPlaceProps) {
  const [name, setName] = useState('')
  const [shape, setShape] = useState<'corners' | 'circle'>('corners')
  const [radius, setRadius] = useState(100)
  const savePlace = useSavePlace()
  const problem = savePlace.error
  const saved = corners === null ? (savePlace.data ?? null) : null
  // In circle mode the map's clicks still arrive as corners: the last click is the centre, the rest is the
  // circle drawn for the previous one.
  const circleOf = useRef<{ centre: LonLat; count: number } | null>(null)
  useEffect(() => {
    if (shape !== 'circle' || corners === null || corners.length === 0) return
    const drawn = circleOf.current
    if (drawn && corners.length === drawn.count) return
    const centre = corners[corners.length - 1]!
    const ring = circleCorners([centre[0], centre[1]], radius)
    circleOf.current = { centre: [centre[0], centre[1]], count: ring.length }
    setCorners(ring)
  }, [shape, corners, radius, setCorners])
  const chooseRadius = (r: number) => {
    setRadius(r)
    const c = circleOf.current
    if (c) {
      const ring = circleCorners(c.centre, r)
      circleOf.current = { centre: c.centre, count: ring.length }
      setCorners(ring)
    }
  }
  const chooseShape = (s: 'corners' | 'circle') => {
    setShape(s)
    circleOf.current = null
    setCorners([])
  }

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
  const check = checkPlace(corners)
  const hasCircle = shape === 'circle' && circleOf.current !== null
  const save = () => {
    if (!check.ring || check.problems.length) return
    savePlace.mutate(
      { name: name.trim(), ring: check.ring },
      {
        onSuccess: () => {
          circleOf.current = null
          setCorners(null)
          setName('')
        },
      },
    )
  }
  const named = name.trim().length >= 2
  return (
    <div className="draw-place" data-testid="draw-place">
      <fieldset className="field">
        <legend>Form</legend>
        <label className="check">
          <input type="radio" name="place-shape" checked={shape === 'corners'} onChange={() => chooseShape('corners')} /> Klicka ut hörnen
        </label>
        <label className="check">
          <input type="radio" name="place-shape" checked={shape === 'circle'} onChange={() => chooseShape('circle')} /> Punkt med radie
        </label>
      </fieldset>
      {shape === 'circle' && (
        <div className="field">
          <label htmlFor="place-radius">Radie</label>
          <select id="place-radius" value={radius} onChange={(e) => chooseRadius(Number(e.target.value))}>
            {RADII.map((r) => (
              <option key={r} value={r}>
                {r} m
              </option>
            ))}
          </select>
        </div>
      )}
      <p role="status" data-testid="place-check">
        {shape === 'circle'
          ? hasCircle
            ? `En cirkel med radien ${radius} m, ${formatArea(check.areaM2 ?? 0)}. Klicka igen för att flytta den.`
            : 'Klicka platsens mittpunkt på kartan.'
          : check.areaM2 !== null
            ? `${corners.length} hörn, ${formatArea(check.areaM2)}.`
            : `Klicka platsens hörn på kartan (${corners.length} hittills).`}
      </p>
      {check.ring && check.problems.length > 0 && (
        <p role="alert" className="field-error" data-testid="place-problem">
          Platsen kan inte sparas: {check.problems.join('; ')}.
        </p>
      )}
      <div className="field">
        <label htmlFor="place-name">Platsens namn</label>
        <input id="place-name" type="text" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={named ? undefined : 'place-name-hint'} />
        {!named && (
          <span id="place-name-hint" className="muted small">
            Minst 2 tecken.
          </span>
        )}
      </div>
      {problem && (
        <p role="alert" className="field-error">
          {problem.message}
          {problem.details.length > 0 && `: ${problem.details.map((d) => d.message).join('; ')}`}
        </p>
      )}
      <div className="inline">
        <button type="button" className="primary" disabled={!check.ring || check.problems.length > 0 || !named || savePlace.isPending} onClick={save}>
          Spara platsen
        </button>
        {shape === 'corners' && (
          <button type="button" disabled={corners.length === 0} onClick={() => setCorners(corners.slice(0, -1))}>
            Ångra hörn
          </button>
        )}
        <button type="button" onClick={() => { circleOf.current = null; setCorners(null) }}>
          Avbryt
        </button>
      </div>
    </div>
  )
}
