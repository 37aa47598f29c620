import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { useSearchParams } from 'react-router'
import type { SnapshotDto } from '../../lib/snapshots'
import { deckToPdf, download, exportFileName, mapToPng } from './exportDeck'
import { captureSlide, type PresentSlide } from './slides'
import { SlideView } from './SlideView'
import './present.css'

/** The slide number lives in the address (`?bild=3`), so a reload or a shared link opens the same slide. */
export function useSlideIndex(count: number) {
  const [params, setParams] = useSearchParams()
  const index = Math.min(Math.max(0, Number(params.get('bild') ?? 1) - 1), Math.max(0, count - 1))
  const go = useCallback((i: number) => setParams((p) => ({ ...Object.fromEntries(p), bild: String(i + 1) }), { replace: true }), [setParams])
  return { index, go, params }
}

/**
 * Slides on a published snapshot, for the strategic forum and the management groups: full screen, arrow
 * keys and clickers (PageUp/PageDown), large type, and export to PDF and PNG composed in the browser.
 */
export function Presentation(p: {
  snapshot: SnapshotDto
  slides: PresentSlide[]
  /** What the deck is, for the footer and the PDF's file name ("Presentation", "Mötesunderlag Nordost …"). */
  what: string
  empty: ReactNode
  /** Beside the slides (the deck editor); the keys are left to it while it is open. */
  editor?: ReactNode
  actions?: ReactNode
}) {
  const { snapshot, slides } = p
  const { index, go } = useSlideIndex(slides.length)
  const stage = useRef<HTMLDivElement>(null)
  const editing = Boolean(p.editor)
  const date = new Date(snapshot.publishedAt ?? snapshot.createdAt).toLocaleDateString('sv-SE')

  // Full screen is the stage with its controls; the button leaves it again (Esc does too).
  const [fullscreen, setFullscreen] = useState(false)
  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement !== null && document.fullscreenElement === stage.current)
    document.addEventListener('fullscreenchange', onChange)
    return () => document.removeEventListener('fullscreenchange', onChange)
  }, [])
  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
    else void stage.current?.requestFullscreen?.().catch(() => {})
  }, [])

  // Steps count from the slide last asked for, not the one last drawn: two quick clicker presses move two
  // slides even when the second comes before the page has redrawn.
  const target = useRef(index)
  useEffect(() => {
    target.current = index
  }, [index])
  const step = useCallback(
    (to: number) => {
      target.current = Math.min(Math.max(to, 0), Math.max(0, slides.length - 1))
      go(target.current)
    },
    [go, slides.length],
  )

  useEffect(() => {
    if (editing) return
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return
      const next = ['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(e.key)
      const prev = ['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(e.key)
      if (next) step(target.current + 1)
      else if (prev) step(target.current - 1)
      else if (e.key === 'Home') step(0)
      else if (e.key === 'End') step(slides.length - 1)
      else if (e.key === 'f') toggleFullscreen()
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editing, step, slides.length, toggleFullscreen])

  const [exporting, setExporting] = useState<string | null>(null)
  const exportPdf = async () => {
    const started = performance.now()
    const back = index
    try {
      const captured = []
      for (let i = 0; i < slides.length; i++) {
        setExporting(`Förbereder bild ${i + 1} av ${slides.length}…`)
        go(i)
        captured.push(await captureSlide(slides[i]!, i))
      }
      const doc = await deckToPdf(captured, `${p.what} · ${snapshot.title} · ögonblicksbild ${date} · Lägesbild`, {
        title: `${p.what}: ${snapshot.title}`,
        subject: `Bilder ur lägesbilden ”${snapshot.title}”, ögonblicksbild ${date}`,
      })
      download(doc.output('blob'), exportFileName(`${p.what} ${snapshot.title}`, 'pdf'))
      performance.mark('lagesbild:pdf-exported', { detail: performance.now() - started })
      setExporting(null)
    } catch (err) {
      setExporting(`Exporten misslyckades: ${(err as Error).message}`)
    } finally {
      go(back)
    }
  }
  const current = slides[index]
  const exportPng = async () => {
    if (current?.kind !== 'map' && current?.kind !== 'hotspots') return
    try {
      const blob = await mapToPng(await captureSlide(current, index))
      const name = current.kind === 'map' ? `karta ${current.indicator} ${current.layer} ${current.period}` : `hot spots ${current.hotspots.indicator} ${current.meeting.area.name} ${current.hotspots.period}`
      download(blob, exportFileName(name, 'png'))
    } catch (err) {
      setExporting(`Exporten misslyckades: ${(err as Error).message}`)
    }
  }

  return (
    <main id="main" className={`present${editing ? ' editing' : ''}`}>
      {p.editor}
      <div className="stage" ref={stage} tabIndex={-1} aria-roledescription="bildspel" aria-label={`${p.what}: ${snapshot.title}`}>
        {current ? (
          <section className={`slide slide-${current.kind}`} aria-roledescription="bild" aria-label={`Bild ${index + 1} av ${slides.length}: ${current.title}`} data-testid="slide">
            <h1>{current.title}</h1>
            <SlideView snapshot={snapshot} slide={current} />
          </section>
        ) : (
          <section className="slide">
            <h1>{snapshot.title}</h1>
            {p.empty}
          </section>
        )}
        <footer className="present-bar">
          <span data-testid="slide-counter">
            {slides.length ? index + 1 : 0} / {slides.length}
          </span>
          <span className="muted">
            {snapshot.title} · ögonblicksbild {date}
          </span>
          <span className="present-actions">
            <button type="button" onClick={() => step(target.current - 1)} disabled={index === 0} aria-label="Föregående bild">
              ←
            </button>
            <button type="button" onClick={() => step(target.current + 1)} disabled={index >= slides.length - 1} aria-label="Nästa bild">
              →
            </button>
            <button type="button" onClick={toggleFullscreen}>
              {fullscreen ? 'Lämna helskärm (f)' : 'Helskärm (f)'}
            </button>
            <button type="button" onClick={() => void exportPdf()} disabled={!slides.length || exporting !== null}>
              Exportera PDF
            </button>
            {(current?.kind === 'map' || current?.kind === 'hotspots') && (
              <button type="button" onClick={() => void exportPng()}>
                Spara kartan som PNG
              </button>
            )}
            {exporting && (
              <span role="status" data-testid="export-status">
                {exporting}
              </span>
            )}
            <span className="present-extra">{p.actions}</span>
          </span>
        </footer>
      </div>
    </main>
  )
}
