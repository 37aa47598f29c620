import { useState } from 'react'
import type { Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { periodLabel } from '../../lib/format'
import { FormProblem } from '../../components/FormProblem'
import type { ApiError } from '../../lib/apiError'
import type { SnapshotDto } from '../../lib/snapshots'

const KIND_LABELS: Record<Slide['kind'], string> = { map: 'Karta', priorities: 'Prioriteringar', measures: 'Åtgärder och uppföljning', text: 'Text' }

type Info = SnapshotDto['indicatorInfo'][number] & { name?: string }

/** Builds a deck from what the snapshot holds: slides are added, edited, moved and removed, then saved. */
export function DeckEditor(p: { snapshot: SnapshotDto; slides: Slide[]; current: number; onSelect(i: number): void; onSave(slides: Slide[]): Promise<ApiError | null> }) {
  const [draft, setDraft] = useState<Slide[]>(p.slides)
  const [problem, setProblem] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState(false)
  const indicators = p.snapshot.indicatorInfo as Info[]
  const [kind, setKind] = useState<Slide['kind']>('map')
  const [indicatorId, setIndicatorId] = useState(indicators[0]?.id ?? '')
  const indicator = indicators.find((i) => i.id === indicatorId)
  const [layer, setLayer] = useState(indicator?.layers[0]?.layer ?? '')
  const periods = indicator?.layers.find((l) => l.layer === layer)?.periods ?? []
  const [period, setPeriod] = useState('')
  const chosenPeriod = periods.includes(period) ? period : (periods.at(-1) ?? '')
  const layerName = (id: string) => (p.snapshot.layerInfo.find((l) => l.id === id)?.name as string | undefined) ?? id

  const change = (next: Slide[]) => {
    setDraft(next)
    setSaved(false)
  }
  const add = () => {
    const title = kind === 'map' ? `${indicator?.name ?? indicatorId}, ${layerName(layer).toLowerCase()}, ${periodLabel(chosenPeriod)}` : KIND_LABELS[kind]
    const slide: Slide =
      kind === 'map'
        ? { kind, title, indicator: indicatorId, layer, period: chosenPeriod, method: 'quantile', classes: 5, palette: null, measure: 'value', per: 1000, note: '' }
        : kind === 'text'
          ? { kind, title: 'Rubrik', body: '' }
          : kind === 'measures'
            ? { kind, title, problemAreaId: null }
            : { kind, title }
    change([...draft, slide])
    p.onSelect(draft.length)
  }
  const move = (i: number, by: number) => {
    const next = [...draft]
    const [s] = next.splice(i, 1)
    next.splice(i + by, 0, s!)
    change(next)
    p.onSelect(i + by)
  }
  const edit = (i: number, patch: Partial<Slide>) => change(draft.map((s, j) => (j === i ? ({ ...s, ...patch } as Slide) : s)))
  const save = async () => {
    const r = await p.onSave(draft)
    setProblem(r)
    setSaved(r === null)
  }
  const cur = draft[p.current]

  return (
    <aside className="deck-editor" aria-label="Redigera presentationen">
      <h2>Bilder</h2>
      <ol className="deck-slides">
        {draft.map((s, i) => (
          <li key={i} className={i === p.current ? 'current' : undefined}>
            <button type="button" className="link" onClick={() => p.onSelect(i)}>
              {i + 1}. {KIND_LABELS[s.kind]}: {s.title}
            </button>{' '}
            <button type="button" aria-label={`Flytta bild ${i + 1} upp`} disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" aria-label={`Flytta bild ${i + 1} ned`} disabled={i === draft.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
            <button type="button" aria-label={`Ta bort bild ${i + 1}`} onClick={() => change(draft.filter((_, j) => j !== i))}>
              ×
            </button>
          </li>
        ))}
      </ol>
      {cur && (
        <fieldset className="field">
          <legend>Bild {p.current + 1}</legend>
          <label htmlFor="slide-title">Rubrik</label>
          <input id="slide-title" value={cur.title} onChange={(e) => edit(p.current, { title: e.target.value })} />
          {cur.kind === 'text' && (
            <>
              <label htmlFor="slide-body">Text</label>
              <textarea id="slide-body" rows={6} value={cur.body} onChange={(e) => edit(p.current, { body: e.target.value })} />
            </>
          )}
          {cur.kind === 'map' && (
            <>
              <label htmlFor="slide-note">Kommentar</label>
              <textarea id="slide-note" rows={3} value={cur.note} onChange={(e) => edit(p.current, { note: e.target.value })} />
            </>
          )}
        </fieldset>
      )}
      <fieldset className="field">
        <legend>Lägg till en bild</legend>
        <label htmlFor="add-kind">Sort</label>
        <select id="add-kind" value={kind} onChange={(e) => setKind(e.target.value as Slide['kind'])}>
          {Object.entries(KIND_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        {kind === 'map' && (
          <>
            <label htmlFor="add-indicator">Indikator</label>
            <select id="add-indicator" value={indicatorId} onChange={(e) => setIndicatorId(e.target.value)}>
              {indicators.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name ?? i.id}
                </option>
              ))}
            </select>
            <label htmlFor="add-layer">Indelning</label>
            <select id="add-layer" value={layer} onChange={(e) => setLayer(e.target.value)}>
              {(indicator?.layers ?? []).map((l) => (
                <option key={l.layer} value={l.layer}>
                  {layerName(l.layer)}
                </option>
              ))}
            </select>
            <label htmlFor="add-period">Period</label>
            <select id="add-period" value={chosenPeriod} onChange={(e) => setPeriod(e.target.value)}>
              {periods.map((x) => (
                <option key={x} value={x}>
                  {periodLabel(x)}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="button" onClick={add} disabled={kind === 'map' && !chosenPeriod}>
          Lägg till
        </button>
      </fieldset>
      <button type="button" onClick={() => void save()}>
        Spara presentationen
      </button>
      {saved && <p role="status">Sparad.</p>}
      <FormProblem problem={problem} />
    </aside>
  )
}
