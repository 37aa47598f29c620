import { useCallback, useEffect, useRef, useState } from 'react'
import { Link, useParams, useSearchParams } from 'react-router'
import type { DeckDto, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { clearApiCache, useGet, type IndicatorDto } from '../../lib/api'
import { periodLabel } from '../../lib/format'
import { isAnalyst, useSession } from '../../lib/session'
import { request, type MeasureDto } from '../measures/api'
import { snapshotPaths, type SnapshotDto } from '../snapshots/api'
import { DeckEditor } from './DeckEditor'
import { deckToPdf, download, exportFileName, mapToPng, type CapturedSlide } from './exportDeck'
import { MapSlide } from './MapSlide'
import './present.css'

interface FrozenProblemArea {
  id: number
  parentId: number | null
  title: string
  goals: string
}

/** Resolves when `ok()` holds, checking every frame; rejects after `ms`. */
function until(ok: () => boolean, ms = 45_000): Promise<void> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (ok()) resolve()
      else if (performance.now() - start > ms) reject(new Error('Bilden ritades inte klart'))
      else requestAnimationFrame(tick)
    }
    tick()
  })
}

/** Reads the slide on screen into what the exports draw: the painted map, its legend and texts. */
async function captureSlide(slide: Slide, index: number): Promise<CapturedSlide> {
  const el = () => document.querySelector<HTMLElement>('[data-testid=slide]')
  await until(() => Boolean(el()?.getAttribute('aria-label')?.startsWith(`Bild ${index + 1} av`)))
  if (slide.kind !== 'map') {
    const content = el()!.querySelector<HTMLElement>('h1')!.nextElementSibling as HTMLElement | null
    const lines = (content?.innerText ?? '').split('\n').map((l) => l.trim()).filter(Boolean)
    return { title: slide.title, lines }
  }
  const key = `slide|${slide.indicator}|${slide.layer}|${slide.period}|`
  await until(() => Boolean(document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.renderedKey?.startsWith(key)))
  const canvas = window.__lagesbildMap!.getCanvas()
  const legend = el()!.querySelector('[data-testid=legend]')
  return {
    title: slide.title,
    image: { dataUrl: canvas.toDataURL('image/png'), width: canvas.width, height: canvas.height },
    legend: legend
      ? {
          title: legend.querySelector('figcaption')?.textContent ?? '',
          items: [...legend.querySelectorAll<HTMLElement>('li')].map((li) => ({ color: li.dataset.kind === 'suppressed' ? null : (li.dataset.color ?? null), label: li.textContent?.trim() ?? '' })),
        }
      : undefined,
    lines: [...el()!.querySelectorAll<HTMLElement>('.slide-meta, .slide-note')].map((e) => e.innerText.trim()).filter(Boolean),
  }
}

const STATUS = { planerad: 'Planerad', pagaende: 'Pågående', avslutad: 'Avslutad' } as const

/** One slide, full size. */
function SlideView({ snapshot, slide }: { snapshot: SnapshotDto; slide: Slide }) {
  const problemAreas = (snapshot.priorities.problemAreas ?? []) as FrozenProblemArea[]
  const measures = (snapshot.priorities.measures ?? []) as MeasureDto[]
  if (slide.kind === 'map') {
    const indicator = snapshot.indicatorInfo.find((i) => i.id === slide.indicator) as unknown as IndicatorDto | undefined
    return <MapSlide snapshotId={snapshot.id} slide={slide} indicator={indicator} />
  }
  if (slide.kind === 'priorities') {
    return (
      <ol className="slide-list">
        {problemAreas
          .filter((p) => p.parentId === null)
          .map((p) => (
            <li key={p.id}>
              <strong>{p.title}</strong>
              {p.goals && <p>{p.goals}</p>}
              <ul>
                {problemAreas
                  .filter((c) => c.parentId === p.id)
                  .map((c) => (
                    <li key={c.id}>{c.title}</li>
                  ))}
              </ul>
            </li>
          ))}
      </ol>
    )
  }
  if (slide.kind === 'measures') {
    const shown = measures.filter((m) => slide.problemAreaId === null || m.problemAreaId === slide.problemAreaId)
    return (
      <table className="slide-table">
        <thead>
          <tr>
            <th scope="col">Åtgärd</th>
            <th scope="col">Status</th>
            <th scope="col">Uppföljning</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.title}</th>
              <td>{STATUS[m.status]}</td>
              <td>
                {m.followUp.map((f) => (
                  <div key={f.indicatorId}>
                    {snapshot.indicatorInfo.find((i) => i.id === f.indicatorId)?.name as string ?? f.indicatorId}: {f.baselineValue} ({periodLabel(f.baselinePeriod)}) → mål {f.target} (
                    {periodLabel(f.targetPeriod)})
                  </div>
                ))}
              </td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={3}>Inga åtgärder.</td>
            </tr>
          )}
        </tbody>
      </table>
    )
  }
  return (
    <div className="slide-text">
      {slide.body.split(/\n{2,}/).map((para, i) => (
        <p key={i}>{para}</p>
      ))}
    </div>
  )
}

/**
 * A deck built on a published snapshot, for the strategic forum and the management groups: full screen,
 * arrow keys and clickers (PageUp/PageDown), large type. Analysts edit the deck beside it.
 */
export function PresentPage() {
  const id = Number(useParams().snapshotId)
  const { user } = useSession()
  const [params, setParams] = useSearchParams()
  const [reload, setReload] = useState(0)
  const snapshotLoad = useGet<SnapshotDto>(Number.isInteger(id) ? snapshotPaths.one(id) : null)
  const deckLoad = useGet<DeckDto>(Number.isInteger(id) ? `${snapshotPaths.one(id)}/deck${reload ? `?v=${reload}` : ''}` : null)
  const snapshot = snapshotLoad.state === 'ok' ? snapshotLoad.data : null
  // The last deck stays on screen while a saved one is fetched again, so the editor keeps its state.
  const [lastDeck, setLastDeck] = useState<DeckDto | null>(null)
  useEffect(() => {
    if (deckLoad.state === 'ok') setLastDeck(deckLoad.data)
  }, [deckLoad])
  const deck = deckLoad.state === 'ok' ? deckLoad.data : lastDeck
  const slides = deck?.slides ?? []
  const index = Math.min(Math.max(0, Number(params.get('bild') ?? 1) - 1), Math.max(0, slides.length - 1))
  const go = useCallback((i: number) => setParams((p) => ({ ...Object.fromEntries(p), bild: String(i + 1) }), { replace: true }), [setParams])
  const editing = params.get('redigera') === '1' && isAnalyst(user)
  const stage = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (editing) return
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return
      const next = ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(e.key)
      const prev = ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(e.key)
      if (next) go(Math.min(index + 1, slides.length - 1))
      else if (prev) go(Math.max(index - 1, 0))
      else if (e.key === 'Home') go(0)
      else if (e.key === 'End') go(slides.length - 1)
      else if (e.key === 'f') void stage.current?.requestFullscreen?.().catch(() => {})
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editing, go, index, slides.length])

  const [exporting, setExporting] = useState<string | null>(null)
  const exportPdf = async () => {
    const started = performance.now()
    const back = index
    try {
      const captured: CapturedSlide[] = []
      for (let i = 0; i < slides.length; i++) {
        setExporting(`Förbereder bild ${i + 1} av ${slides.length}…`)
        go(i)
        captured.push(await captureSlide(slides[i]!, i))
      }
      const date = new Date(snapshot!.publishedAt ?? snapshot!.createdAt).toLocaleDateString('sv-SE')
      const doc = deckToPdf(captured, `${snapshot!.title} · ögonblicksbild ${date} · Lägesbild`)
      download(doc.output('blob'), exportFileName(`presentation ${snapshot!.title}`, 'pdf'))
      performance.mark('lagesbild:pdf-exported', { detail: performance.now() - started })
      setExporting(null)
    } catch (err) {
      setExporting(`Exporten misslyckades: ${(err as Error).message}`)
    } finally {
      go(back)
    }
  }
  const exportPng = async () => {
    const current = slides[index]
    if (current?.kind !== 'map') return
    try {
      const blob = await mapToPng(await captureSlide(current, index))
      download(blob, exportFileName(`karta ${current.indicator} ${current.layer} ${current.period}`, 'png'))
    } catch (err) {
      setExporting(`Exporten misslyckades: ${(err as Error).message}`)
    }
  }

  const save = async (next: Slide[]) => {
    const r = await request<DeckDto>('PUT', `${snapshotPaths.one(id)}/deck`, { version: deck?.version ?? 0, slides: next })
    if (!r.ok) return r.problem
    clearApiCache()
    setReload((n) => n + 1)
    return null
  }

  if (snapshotLoad.state === 'error' || deckLoad.state === 'error') {
    return (
      <main className="page" id="main">
        <h1>Presentationen finns inte</h1>
        <p role="alert">{snapshotLoad.state === 'error' ? snapshotLoad.message : deckLoad.state === 'error' ? deckLoad.message : ''}</p>
        <Link to="/lagesbilder">Publicerade lägesbilder</Link>
      </main>
    )
  }
  if (!snapshot || !deck) return <p className="map-loading">Hämtar presentationen…</p>
  const slide = slides[index]

  return (
    <main id="main" className={`present${editing ? ' editing' : ''}`}>
      {editing && <DeckEditor snapshot={snapshot} slides={slides} current={index} onSelect={go} onSave={save} />}
      <div className="stage" ref={stage} tabIndex={-1} aria-roledescription="bildspel" aria-label={`Presentation: ${snapshot.title}`}>
        {slide ? (
          <section className={`slide slide-${slide.kind}`} aria-roledescription="bild" aria-label={`Bild ${index + 1} av ${slides.length}: ${slide.title}`} data-testid="slide">
            <h1>{slide.title}</h1>
            <SlideView snapshot={snapshot} slide={slide} />
          </section>
        ) : (
          <section className="slide">
            <h1>{snapshot.title}</h1>
            <p>Presentationen har inga bilder ännu.{isAnalyst(user) && !editing ? ' Välj ”Redigera” för att bygga den.' : ''}</p>
          </section>
        )}
        <footer className="present-bar">
          <span data-testid="slide-counter">
            {slides.length ? index + 1 : 0} / {slides.length}
          </span>
          <span className="muted">
            {snapshot.title} · ögonblicksbild {new Date(snapshot.publishedAt ?? snapshot.createdAt).toLocaleDateString('sv-SE')}
          </span>
          <span className="present-actions">
            <button type="button" onClick={() => go(Math.max(index - 1, 0))} disabled={index === 0} aria-label="Föregående bild">
              ←
            </button>
            <button type="button" onClick={() => go(Math.min(index + 1, slides.length - 1))} disabled={index >= slides.length - 1} aria-label="Nästa bild">
              →
            </button>
            <button type="button" onClick={() => void stage.current?.requestFullscreen?.().catch(() => {})}>
              Helskärm (f)
            </button>
            <button type="button" onClick={() => void exportPdf()} disabled={!slides.length || exporting !== null}>
              Exportera PDF
            </button>
            {slide?.kind === 'map' && (
              <button type="button" onClick={() => void exportPng()}>
                Spara kartan som PNG
              </button>
            )}
            {exporting && (
              <span role="status" data-testid="export-status">
                {exporting}
              </span>
            )}
            {isAnalyst(user) && (
              <Link to={`/present/${id}?${new URLSearchParams({ bild: String(index + 1), ...(editing ? {} : { redigera: '1' }) })}`}>{editing ? 'Visa' : 'Redigera'}</Link>
            )}
          </span>
        </footer>
      </div>
    </main>
  )
}
