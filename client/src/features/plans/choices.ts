import { useCycles, useProblemAreas } from '../../lib/queries'
import type { AffectChoices } from './DecisionForm'
import { useAllPlans, useMeasureTitles, useSamverkansformer, type AffectKind } from './queries'

/** What a decision may name: the current cycle's problem areas, the plans, measures, samverkansformer and cycles. */
export function useAffectChoices(): AffectChoices {
  const cycles = useCycles().data ?? []
  const cycle = cycles.find((c) => c.current) ?? cycles[0]
  const problemAreas = useProblemAreas(cycle?.id ?? null).data ?? []
  const plans = useAllPlans().data ?? []
  const measures = useMeasureTitles().data ?? []
  const forms = useSamverkansformer().data ?? []
  return {
    problem_area: problemAreas.map((p) => ({ id: p.id, label: p.title })),
    plan: plans.map((p) => ({ id: p.id, label: p.title })),
    measure: measures.map((m) => ({ id: m.id, label: m.title })),
    samverkansform: forms.map((f) => ({ id: f.id, label: f.name })),
    cycle: cycles.map((c) => ({ id: c.id, label: c.name })),
  }
}

/** Where the app shows what a decision names. */
export function affectHref(kind: AffectKind, id: number | string): string {
  if (kind === 'plan') return `/atgardsplaner/${id}`
  if (kind === 'measure') return `/?atgard=${id}`
  if (kind === 'samverkansform') return `/atgarder?samverkansform=${encodeURIComponent(String(id))}`
  return '/prioriteringar'
}
