/**
 * What a presentation shows: the stored deck's slides, and the slides a meeting pack is made of (built in
 * the browser from the meeting's figures, never stored). Also reads a slide on screen into what the
 * exports draw.
 */
import type { MeetingDto, MeetingHotspots, Slide } from '../../../../server/features/snapshots/snapshots.schema'
import { pdfText, type CapturedSlide } from './exportDeck'

export type MeasuresSlide = Extract<Slide, { kind: 'measures' }> & {
  /** A meeting's measures: only these (those in the meeting's area). */
  measureIds?: number[]
  emptyText?: string
}

export type PresentSlide =
  | Exclude<Slide, { kind: 'measures' }>
  | MeasuresSlide
  /** Some of the meeting's indicators (a projector holds about six rows). */
  | { kind: 'keyfigures'; title: string; meeting: MeetingDto; indicators: string[] }
  | { kind: 'hotspots'; title: string; meeting: MeetingDto; hotspots: MeetingHotspots }

/** What a drawn map slide writes to the map's data-rendered-key (so exports wait for the right frame). */
export function mapKeyOf(slide: PresentSlide): string | null {
  if (slide.kind === 'map') return `slide|${slide.indicator}|${slide.layer}|${slide.period}|${slide.method}|${slide.classes}`
  if (slide.kind === 'hotspots') return `hotspots|${slide.hotspots.indicator}|${slide.hotspots.layer}|${slide.hotspots.period}|${slide.meeting.area.id}`
  return null
}

/** Resolves when `ok()` holds, checking every frame; rejects after `ms`. */
export function until(ok: () => boolean, ms = 45_000): Promise<void> {
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

const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline'] as const

/**
 * A chart for the PDF: a copy with the style sheet's effect written onto each element (svg2pdf reads
 * attributes, not CSS), screen-reader-only parts dropped, and text the PDF's fonts can show.
 */
function chartForPdf(svg: SVGSVGElement): { svg: SVGSVGElement; width: number; height: number } {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const live = [svg, ...svg.querySelectorAll('*')]
  const copies = [copy, ...copy.querySelectorAll('*')]
  live.forEach((el, i) => {
    const style = getComputedStyle(el)
    const target = copies[i]!
    for (const prop of STYLE_PROPS) {
      const v = style.getPropertyValue(prop)
      if (v && v !== 'normal' && v !== 'auto') target.setAttribute(prop, v)
    }
  })
  // The PDF's standard sans-serif; the screen's system font is unknown to it.
  copy.setAttribute('font-family', 'helvetica')
  copy.querySelectorAll('title, desc').forEach((e) => e.remove())
  copy.querySelectorAll('text, tspan').forEach((t) => {
    if (t.childElementCount === 0 && t.textContent) t.textContent = pdfText(t.textContent)
  })
  return { svg: copy, width: Number(svg.getAttribute('width')) || svg.clientWidth, height: Number(svg.getAttribute('height')) || svg.clientHeight }
}

const cellText = (el: Element) => (el as HTMLElement).innerText.replace(/\s*\n\s*/g, ' · ').trim()

/** Reads the slide on screen into what the exports draw: the painted map, its legend, tables, charts and texts. */
export async function captureSlide(slide: PresentSlide, index: number): Promise<CapturedSlide> {
  const el = () => document.querySelector<HTMLElement>('[data-testid=slide]')
  await until(() => Boolean(el()?.getAttribute('aria-label')?.startsWith(`Bild ${index + 1} av`)))
  const key = mapKeyOf(slide)
  if (key === null) {
    // Follow-up charts load on their own: wait until none is still loading.
    await until(() => !el()!.querySelector('[data-state=loading]'))
    const out: CapturedSlide = { title: slide.title, lines: [] }
    for (const part of el()!.querySelectorAll<HTMLElement>('.slide-body > *')) {
      if (part.matches('table.slide-table')) {
        out.table = {
          head: [...part.querySelectorAll('thead th')].map(cellText),
          rows: [...part.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map(cellText)),
        }
      } else if (part.querySelector('svg.chart-svg')) {
        out.charts = [...part.querySelectorAll<SVGSVGElement>('svg.chart-svg')].map(chartForPdf)
        out.chartTitles = [...part.querySelectorAll('.chart-title')].map((t) => t.textContent ?? '')
      } else {
        const lines = part.innerText.split('\n').map((l) => l.trim()).filter(Boolean)
        if (out.table || out.charts) out.after = [...(out.after ?? []), ...lines]
        else out.lines.push(...lines)
      }
    }
    return out
  }
  await until(() => document.querySelector<HTMLElement>('[data-testid=map]')?.dataset.renderedKey === key)
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
