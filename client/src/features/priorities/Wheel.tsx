import { useEffect, useRef, useState } from 'react'
import type { CycleDto, StepStatusDto } from '../../lib/api'
import { STEP_STATUS_LABELS } from '../../lib/labels'
import { WHEEL, wheelSegments, wrapLabel } from './wheel'

type Status = StepStatusDto['status']

/** Fill and text colour per status: grey, amber, green (text contrast ≥ 4.5:1 on each). */
export const STATUS_COLOURS: Record<Status, { fill: string; text: string }> = {
  ej_paborjad: { fill: '#e4e8ec', text: '#1b1f24' },
  pagar: { fill: '#f2c94c', text: '#1b1f24' },
  klar: { fill: '#1a7f37', text: '#ffffff' },
}

// Wide enough for two 16-character lines on either side of the ring; compact: the ring alone.
const VIEW = { x: -235, y: -165, w: 470, h: 330 }
const COMPACT = { x: -115, y: -115, w: 230, h: 230 }
/** Below this width (px) the names outside the ring would be too small to read: the table beside names the steps. */
const NARROW = 420

/**
 * The status as a shape as well as a colour, so it reads without colour vision and in greyscale print:
 * an open ring (ej påbörjad), a half-filled ring (pågår), a tick (klar). Centred on 0,0, about 11 units wide.
 */
function StatusMark({ status, colour }: { status: Status; colour: string }) {
  if (status === 'klar') return <path d="M-5 0.5L-1.5 4L5 -3.5" fill="none" stroke={colour} strokeWidth={2.2} strokeLinecap="round" strokeLinejoin="round" />
  return (
    <g>
      <circle r={5} fill="none" stroke={colour} strokeWidth={1.5} />
      {status === 'pagar' && <path d="M0 -5A5 5 0 0 1 0 5Z" fill={colour} />}
    </g>
  )
}

/** Whether the element is narrower than `px` (re-measured as it resizes). */
function useNarrow(px: number) {
  const ref = useRef<HTMLElement>(null)
  const [narrow, setNarrow] = useState(false)
  useEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(([entry]) => setNarrow((entry?.contentRect.width ?? px) < px))
    observer.observe(el)
    return () => observer.disconnect()
  }, [px])
  return { ref, narrow }
}

/** The Trygg i-hjulet as a picture: each step a segment in order, coloured by its status for one perspective. */
export function Wheel({ steps, statusOf, perspective }: { steps: CycleDto['steps']; statusOf(stepId: number): Status; perspective: string }) {
  const segments = wheelSegments(steps.length)
  const done = steps.filter((s) => statusOf(s.id) === 'klar').length
  const description = steps.map((s) => `${s.ordinal}. ${s.name}: ${STEP_STATUS_LABELS[statusOf(s.id)].toLowerCase()}`).join('; ')
  const { ref, narrow } = useNarrow(NARROW)
  const view = narrow ? COMPACT : VIEW
  return (
    <figure className={`wheel${narrow ? ' compact' : ''}`} data-testid="cycle-wheel" ref={ref}>
      <svg viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`} role="img" aria-labelledby="wheel-title wheel-desc">
        <title id="wheel-title">Trygg i-hjulet, {perspective}</title>
        <desc id="wheel-desc">{description}</desc>
        {segments.map((g) => {
          const step = steps[g.index]!
          const status = statusOf(step.id)
          const colour = STATUS_COLOURS[status]
          const lines = wrapLabel(step.name)
          // Names above the ring grow upwards, below it downwards, beside it around their middle.
          const first = g.label.y < -WHEEL.outer * 0.6 ? -(lines.length - 1) * 1.1 : g.label.y > WHEEL.outer * 0.6 ? 0.8 : 0.35 - (lines.length - 1) * 0.55
          return (
            <g key={step.id} data-step={step.id} data-status={status}>
              <path d={g.path} fill={colour.fill} stroke="#57606a" strokeWidth={1}>
                <title>{`${step.ordinal}. ${step.name}: ${STEP_STATUS_LABELS[status]}`}</title>
              </path>
              {/* The number above its status mark, both in the middle of the segment. */}
              <text x={g.number.x} y={g.number.y - 6} dy="0.35em" textAnchor="middle" className="wheel-number" fill={colour.text} aria-hidden="true">
                {step.ordinal}
              </text>
              <g transform={`translate(${g.number.x} ${g.number.y + 13})`} aria-hidden="true" data-mark={status}>
                <StatusMark status={status} colour={colour.text} />
              </g>
              {!narrow && (
                <text x={g.label.x} y={g.label.y} textAnchor={g.label.anchor} className="wheel-label" aria-hidden="true">
                  {lines.map((line, i) => (
                    <tspan key={i} x={g.label.x} dy={`${i === 0 ? first : 1.1}em`}>
                      {line}
                    </tspan>
                  ))}
                </text>
              )}
            </g>
          )
        })}
        <text y={-6} textAnchor="middle" className="wheel-centre" aria-hidden="true">
          {perspective.length > 14 ? `${perspective.slice(0, 13)}…` : perspective}
        </text>
        <text y={14} textAnchor="middle" className="wheel-centre-sub" aria-hidden="true">
          {done} av {steps.length} klara
        </text>
      </svg>
      <figcaption>
        <ul className="wheel-legend" aria-label="Teckenförklaring">
          {(Object.keys(STATUS_COLOURS) as Status[]).map((s) => (
            <li key={s}>
              <svg className="wheel-swatch" viewBox="-11 -8 22 16" aria-hidden="true">
                <rect x={-10.5} y={-7.5} width={21} height={15} rx={2} fill={STATUS_COLOURS[s].fill} stroke="#57606a" />
                <StatusMark status={s} colour={STATUS_COLOURS[s].text} />
              </svg>{' '}
              {STEP_STATUS_LABELS[s]}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  )
}
