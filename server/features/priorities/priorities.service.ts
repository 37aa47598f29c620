import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { changedFields, FIELD_LABELS, stableJson } from '../../core/field-labels'
import { insertAt, moveTo, ordinalsOf } from '../../core/ordering'
import { AppError, type ErrorDetail } from '../../errors'
import type { SessionUser } from '../../http/access'
import { parseBody } from '../../http/validate-body'
import * as repo from './priorities.repository'
import {
  causeInput,
  causePatch,
  cycleInput,
  cyclePatch,
  PERSPECTIVE_LAYERS,
  problemAreaInput,
  problemAreaPatch,
  stepInput,
  stepPatch,
  type CauseDto,
  type CauseInput,
  type CycleDto,
  type FigureSource,
  type FigureViewer,
  type ProblemAreaContent,
  type ProblemAreaDto,
  type ProblemAreaVersionDto,
  type StepStatusDto,
  type StepStatusInput,
} from './priorities.schema'

/** Who writes: a signed-in user (a local group only in its own stadsområde). */
export type Editor = Actor & Pick<SessionUser, 'role' | 'stadsomradeCode'>

/** The Trygg i-hjulet's five steps as the 2024 cycle named them: a new cycle without a model starts from these. */
export const DEFAULT_STEPS = ['Kartläggning och lägesbild', 'Prioritering och orsaksanalys', 'Åtgärdsplan', 'Genomförande', 'Uppföljning'] as const

/** A problem area's versioned content: what a stale save reports and the history compares (cycleId never changes). */
const PROBLEM_AREA_FIELDS = ['title', 'parentId', 'areaId', 'analysis', 'goals', 'indicatorIds', 'targets', 'retiredAt'] as const
const CAUSE_FIELDS = ['kind', 'title', 'description', 'sources', 'evidence'] as const

const today = () => new Date().toISOString().slice(0, 10)
const invalid = (message: string, details: ErrorDetail[]) => new AppError(422, 'validation_failed', message, details)
const cycleNotFound = (id: number) => AppError.notFound(`Okänd cykel: ${id}`, [{ field: 'id', message: 'cykeln finns inte' }])
const problemAreaNotFound = (id: number) => AppError.notFound(`Okänt problemområde: ${id}`, [{ field: 'id', message: 'problemområdet finns inte' }])
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>

export const viewerOf = (user: Pick<SessionUser, 'role'>): FigureViewer => (user.role === 'admin' || user.role === 'analyst' ? 'internal' : 'outside')

/**
 * Analysts and admins write everything; a local group only what belongs to its own stadsområde (each
 * area given, before and after a change). null among the areas is the city as a whole: the analysts'.
 */
async function assertMayWrite(db: Kysely<Database>, user: Editor, what: string, ...areaIds: Array<number | null>) {
  if (user.role !== 'local') return
  const own = user.stadsomradeCode ? await repo.stadsomradeAreaId(db, user.stadsomradeCode) : null
  if (own !== null && areaIds.every((a) => a === own)) return
  const cityWide = areaIds.some((a) => a === null)
  throw AppError.forbidden(`En lokal ledningsgrupp kan bara ändra ${what} i sitt eget stadsområde`, [
    { field: 'areaId', message: cityWide ? 'det som gäller hela staden ändras av analytiker' : 'området är inte ditt stadsområde' },
  ])
}

// --- cycles --------------------------------------------------------------------------------------

export async function listCycles(db: Kysely<Database>): Promise<CycleDto[]> {
  const [cycles, steps] = await Promise.all([repo.listCycleRows(db), repo.listStepRows(db)])
  return cycles.map((c) => ({
    id: c.id,
    name: c.name,
    startYear: c.start_year,
    endYear: c.end_year,
    current: c.current,
    steps: steps.filter((s) => s.cycle_id === c.id).map((s) => ({ id: s.id, ordinal: s.ordinal, name: s.name })),
  }))
}

export async function getCycle(db: Kysely<Database>, id: number): Promise<CycleDto> {
  const cycle = (await listCycles(db)).find((c) => c.id === id)
  if (!cycle) throw cycleNotFound(id)
  return cycle
}

const contentOf = (p: ProblemAreaDto): ProblemAreaContent => ({
  cycleId: p.cycleId,
  parentId: p.parentId,
  areaId: p.areaId,
  title: p.title,
  analysis: p.analysis,
  goals: p.goals,
  indicatorIds: p.indicatorIds,
  targets: p.targets,
})

/** What a history row keeps of a version: its content, and a note where it came from elsewhere. */
const versionData = (p: ProblemAreaDto, note: string | null = null) => ({ ...contentOf(p), retiredAt: p.retiredAt, ...(note ? { note } : {}) })

/**
 * A new cycle: the steps of `copyFrom` (or the five default steps), and with `copyProblemAreas` the
 * problem areas still in force there — sub-areas, indicators, targets, causes and evidence — as new
 * rows at version 1. A sub-area of a retired problem area goes with it.
 */
export async function createCycle(db: Kysely<Database>, user: Editor, body: unknown): Promise<CycleDto> {
  const input = parseBody(cycleInput, body)
  const source = input.copyFrom === null ? null : await repo.findCycle(db, input.copyFrom)
  if (input.copyFrom !== null && !source) throw invalid('Cykeln att kopiera från finns inte', [{ field: 'copyFrom', message: `cykel ${input.copyFrom} finns inte` }])
  const taken = await repo.cycleStartingIn(db, input.startYear)
  if (taken) throw new AppError(409, 'conflict', `Det finns redan en cykel som börjar ${input.startYear}: ”${taken.name}”`, [{ field: 'startYear', message: `”${taken.name}” börjar redan ${input.startYear}` }])

  const id = await db.transaction().execute(async (trx) => {
    const cycleId = await repo.insertCycle(trx, input)
    const steps = source ? (await repo.stepsOf(trx, source.id)).map((s) => s.name) : [...DEFAULT_STEPS]
    for (const [i, name] of steps.entries()) await repo.insertStep(trx, cycleId, i + 1, name)
    if (input.makeCurrent) await repo.makeCurrent(trx, cycleId)
    const copied: Array<{ from: number; to: number }> = []
    if (source && input.copyProblemAreas) {
      const note = `Kopierat från ${source.name}`
      const all = await repo.loadProblemAreas(trx, { cycleId: source.id })
      const inForce = all.filter((p) => p.retiredAt === null && (p.parentId === null || all.some((q) => q.id === p.parentId && q.retiredAt === null)))
      const ids = new Map<number, number>()
      const ordinals = new Map<number | null, number>()
      // Top-level areas first (loadProblemAreas orders each parent before its sub-areas).
      for (const p of inForce) {
        const parentId = p.parentId === null ? null : ids.get(p.parentId)!
        const ordinal = (ordinals.get(parentId) ?? 0) + 1
        ordinals.set(parentId, ordinal)
        const newId = await repo.insertProblemArea(trx, { ...contentOf(p), cycleId, parentId }, ordinal)
        ids.set(p.id, newId)
        copied.push({ from: p.id, to: newId })
      }
      for (const cause of await repo.loadCauses(trx, { problemAreaIds: inForce.map((p) => p.id) })) {
        await repo.insertCause(trx, ids.get(cause.problemAreaId)!, await repo.nextCauseOrdinal(trx, ids.get(cause.problemAreaId)!), causeContent(cause))
      }
      for (const p of await repo.loadProblemAreas(trx, { ids: [...ids.values()] })) {
        await repo.saveProblemAreaHistory(trx, { problemAreaId: p.id, version: 1, data: versionData(p, note), decisionId: null, savedBy: user.email })
      }
    }
    const [cycle] = (await repo.listCycleRows(trx)).filter((c) => c.id === cycleId)
    await recordAudit(trx, user, {
      action: 'create',
      entity: 'cycle',
      entityId: cycleId,
      summary: `Cykel ”${input.name}” (${input.startYear}–${input.endYear}) skapad${source ? ` från ”${source.name}”` : ''}${copied.length ? `, ${copied.length} problemområden kopierade` : ''}`,
      after: { ...cycle, steps, copiedProblemAreas: copied },
    })
    return cycleId
  })
  return getCycle(db, id)
}

/** Renames a cycle, or makes it the current one (only one is). */
export async function updateCycle(db: Kysely<Database>, user: Editor, id: number, body: unknown): Promise<CycleDto> {
  const patch = parseBody(cyclePatch, body)
  const before = await getCycle(db, id)
  await db.transaction().execute(async (trx) => {
    if (patch.name !== undefined) await repo.renameCycle(trx, id, patch.name)
    if (patch.current) await repo.makeCurrent(trx, id)
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'cycle',
      entityId: id,
      summary: [patch.name !== undefined && patch.name !== before.name ? `Cykel ”${before.name}” heter nu ”${patch.name}”` : null, patch.current ? `”${patch.name ?? before.name}” är nu aktuell cykel` : null].filter(Boolean).join('; ') || `Cykel ”${before.name}” sparad`,
      before: { name: before.name, current: before.current },
      after: { name: patch.name ?? before.name, current: patch.current ?? before.current },
    })
  })
  return getCycle(db, id)
}

// --- steps ---------------------------------------------------------------------------------------

async function stepOrThrow(db: Kysely<Database>, cycleId: number, stepId: number) {
  if (!(await repo.cycleExists(db, cycleId))) throw cycleNotFound(cycleId)
  const step = await repo.findStep(db, stepId, cycleId)
  if (!step) throw AppError.notFound(`Steget ${stepId} finns inte i cykeln`, [{ field: 'stepId', message: 'steget finns inte i cykeln' }])
  return step
}

/** A new step, at `ordinal` (the others move down) or last. */
export async function addStep(db: Kysely<Database>, user: Editor, cycleId: number, body: unknown): Promise<CycleDto> {
  const input = parseBody(stepInput, body)
  if (!(await repo.cycleExists(db, cycleId))) throw cycleNotFound(cycleId)
  await db.transaction().execute(async (trx) => {
    const steps = await repo.stepsOf(trx, cycleId)
    // Placed beyond the end first, then the whole order written at once.
    const id = await repo.insertStep(trx, cycleId, steps.length + 1, input.name)
    const order = insertAt(
      steps.map((s) => s.id),
      id,
      input.ordinal,
    )
    await repo.setStepOrdinals(trx, cycleId, ordinalsOf(order))
    await recordAudit(trx, user, { action: 'create', entity: 'cycle_step', entityId: id, summary: `Steg ”${input.name}” tillagt i cykel ${cycleId} (plats ${order.indexOf(id) + 1})`, after: { cycleId, name: input.name, ordinal: order.indexOf(id) + 1 } })
  })
  return getCycle(db, cycleId)
}

/** Renames a step and/or moves it to `ordinal`; the others close up, so the ordinals stay 1..n. */
export async function updateStep(db: Kysely<Database>, user: Editor, cycleId: number, stepId: number, body: unknown): Promise<CycleDto> {
  const patch = parseBody(stepPatch, body)
  const step = await stepOrThrow(db, cycleId, stepId)
  await db.transaction().execute(async (trx) => {
    if (patch.name !== undefined) await repo.renameStep(trx, stepId, patch.name)
    let ordinal = step.ordinal
    if (patch.ordinal !== undefined) {
      const order = moveTo(
        (await repo.stepsOf(trx, cycleId)).map((s) => s.id),
        stepId,
        patch.ordinal,
      )
      await repo.setStepOrdinals(trx, cycleId, ordinalsOf(order))
      ordinal = order.indexOf(stepId) + 1
    }
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'cycle_step',
      entityId: stepId,
      summary: `Steg ”${patch.name ?? step.name}” i cykel ${cycleId}${patch.name !== undefined && patch.name !== step.name ? ` (hette ”${step.name}”)` : ''}${ordinal !== step.ordinal ? `: plats ${step.ordinal} → ${ordinal}` : ''}`,
      before: { name: step.name, ordinal: step.ordinal },
      after: { name: patch.name ?? step.name, ordinal },
    })
  })
  return getCycle(db, cycleId)
}

/** Removes a step nobody has started in any perspective (a recorded status is part of the record). */
export async function deleteStep(db: Kysely<Database>, user: Editor, cycleId: number, stepId: number): Promise<CycleDto> {
  const step = await stepOrThrow(db, cycleId, stepId)
  const recorded = await repo.recordedStatusesOf(db, stepId)
  if (recorded.length) {
    const names = await repo.areasByIds(
      db,
      recorded.map((r) => r.perspective_area_id).filter((a) => a > 0),
    )
    throw new AppError(
      409,
      'conflict',
      `Steget ”${step.name}” kan inte tas bort: det har status i ${recorded.length} perspektiv`,
      recorded.map((r) => ({ field: 'status', message: `${r.perspective_area_id ? (names.get(r.perspective_area_id)?.name ?? `område ${r.perspective_area_id}`) : 'Staden'}: ${r.status === 'klar' ? 'klar' : 'pågår'}` })),
    )
  }
  const steps = await repo.stepsOf(db, cycleId)
  if (steps.length <= 1) throw new AppError(409, 'conflict', 'En cykel behöver minst ett steg', [{ field: 'stepId', message: 'det sista steget kan inte tas bort' }])
  await db.transaction().execute(async (trx) => {
    await repo.deleteStepRow(trx, stepId)
    await repo.setStepOrdinals(trx, cycleId, ordinalsOf((await repo.stepsOf(trx, cycleId)).map((s) => s.id)))
    await recordAudit(trx, user, { action: 'delete', entity: 'cycle_step', entityId: stepId, summary: `Steg ”${step.name}” borttaget ur cykel ${cycleId}`, before: { cycleId, name: step.name, ordinal: step.ordinal } })
  })
  return getCycle(db, cycleId)
}

// --- step status ---------------------------------------------------------------------------------

const statusDto = (r: Awaited<ReturnType<typeof repo.listStepStatusRows>>[number]): StepStatusDto => ({
  stepId: r.step_id,
  areaId: r.perspective_area_id || null,
  status: r.status,
  date: r.date,
  responsible: r.responsible,
  note: r.note,
  updatedAt: new Date(r.updated_at).toISOString(),
})

export async function listStepStatus(db: Kysely<Database>, cycleId: number): Promise<StepStatusDto[]> {
  return (await repo.listStepStatusRows(db, cycleId)).map(statusDto)
}

/**
 * A step's status for the city (areaId null) or one stadsområde or lokalpolisområde, with its date,
 * responsible function and note (absent: kept). A local group sets its own stadsområde's only. Audited.
 */
export async function setStepStatus(db: Kysely<Database>, user: Editor, cycleId: number, input: StepStatusInput): Promise<StepStatusDto> {
  if (!(await repo.cycleExists(db, cycleId))) throw cycleNotFound(cycleId)
  if (!(await repo.stepInCycle(db, input.stepId, cycleId))) {
    throw invalid('Steget finns inte i cykeln', [{ field: 'stepId', message: `steg ${input.stepId} finns inte i cykel ${cycleId}` }])
  }
  if (input.areaId !== null) {
    const layer = await repo.areaLayerId(db, input.areaId)
    if (!layer || !(PERSPECTIVE_LAYERS as readonly string[]).includes(layer)) {
      throw invalid('Perspektivet måste vara staden, ett stadsområde eller ett lokalpolisområde', [{ field: 'areaId', message: 'inte ett stadsområde eller lokalpolisområde' }])
    }
  }
  await assertMayWrite(db, user, 'stegens status', input.areaId)
  const perspective = input.areaId ?? 0
  await db.transaction().execute(async (trx) => {
    const before = await repo.findStepStatus(trx, input.stepId, perspective)
    const after = {
      status: input.status,
      date: input.date === undefined ? (before?.date ?? null) : input.date,
      responsible: input.responsible ?? before?.responsible ?? '',
      note: input.note ?? before?.note ?? '',
    }
    await repo.upsertStepStatus(trx, input.stepId, perspective, after)
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'step_status',
      entityId: `${input.stepId}/${input.areaId ?? 'staden'}`,
      summary: `Steg ${input.stepId} (${input.areaId ? `område ${input.areaId}` : 'staden'}): ${before?.status ?? 'ej_paborjad'} → ${input.status}`,
      before: before ?? null,
      after,
    })
  })
  const row = (await repo.listStepStatusRows(db, cycleId)).find((r) => r.step_id === input.stepId && r.perspective_area_id === perspective)!
  return statusDto(row)
}

// --- problem areas -------------------------------------------------------------------------------

/** A cycle's problem areas, retired ones included (with retiredAt), each parent before its sub-areas. */
export async function listProblemAreas(db: Kysely<Database>, cycleId: number): Promise<ProblemAreaDto[]> {
  if (!(await repo.cycleExists(db, cycleId))) throw cycleNotFound(cycleId)
  return repo.loadProblemAreas(db, { cycleId })
}

export async function getProblemArea(db: Kysely<Database>, id: number): Promise<ProblemAreaDto> {
  const [p] = await repo.loadProblemAreas(db, { ids: [id] })
  if (!p) throw problemAreaNotFound(id)
  return p
}

/**
 * References checked against the database, each missing one named by its field: the cycle, a parent in
 * the same cycle that is itself top-level (two levels), an area that is a stadsområde or
 * lokalpolisområde, the indicators, the decision.
 */
async function checkProblemArea(db: Kysely<Database>, p: ProblemAreaContent, decisionId: number | null, self: { id: number; hasChildren: boolean } | null) {
  const details: ErrorDetail[] = []
  if (!(await repo.cycleExists(db, p.cycleId))) details.push({ field: 'cycleId', message: `cykel ${p.cycleId} finns inte` })
  if (p.parentId !== null) {
    const parent = await repo.findProblemAreaRow(db, p.parentId)
    if (!parent) details.push({ field: 'parentId', message: `problemområde ${p.parentId} finns inte` })
    else if (self && parent.id === self.id) details.push({ field: 'parentId', message: 'ett problemområde kan inte ligga under sig självt' })
    else if (parent.cycle_id !== p.cycleId) details.push({ field: 'parentId', message: `”${parent.title}” hör till en annan cykel` })
    else if (parent.parent_id !== null) details.push({ field: 'parentId', message: `”${parent.title}” är själv ett delområde: problemområden har två nivåer` })
    else if (self?.hasChildren) details.push({ field: 'parentId', message: 'problemområdet har egna delområden och kan inte bli ett delområde' })
  }
  if (p.areaId !== null) {
    const layer = await repo.areaLayerId(db, p.areaId)
    if (!layer) details.push({ field: 'areaId', message: `område ${p.areaId} finns inte` })
    else if (!(PERSPECTIVE_LAYERS as readonly string[]).includes(layer)) details.push({ field: 'areaId', message: 'välj hela staden, ett stadsområde eller ett lokalpolisområde' })
  }
  const indicators = await repo.existingIndicatorIds(db, [...p.indicatorIds, ...p.targets.map((t) => t.indicatorId)])
  p.indicatorIds.forEach((id, i) => !indicators.has(id) && details.push({ field: `indicatorIds.${i}`, message: `indikatorn ${id} finns inte` }))
  p.targets.forEach((t, i) => !indicators.has(t.indicatorId) && details.push({ field: `targets.${i}.indicatorId`, message: `indikatorn ${t.indicatorId} finns inte` }))
  if (decisionId !== null && !(await repo.decisionExists(db, decisionId))) details.push({ field: 'decisionId', message: `beslut ${decisionId} finns inte` })
  if (details.length) throw invalid('Problemområdet hänvisar till sådant som inte finns eller inte passar', details)
}

export async function createProblemArea(db: Kysely<Database>, user: Editor, body: unknown): Promise<ProblemAreaDto> {
  const { decisionId, ...content } = parseBody(problemAreaInput, body)
  await checkProblemArea(db, content, decisionId, null)
  await assertMayWrite(db, user, 'problemområden', content.areaId)
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertProblemArea(trx, content, await repo.nextProblemAreaOrdinal(trx, content.cycleId, content.parentId))
    const [saved] = await repo.loadProblemAreas(trx, { ids: [newId] })
    await repo.saveProblemAreaHistory(trx, { problemAreaId: newId, version: 1, data: versionData(saved!), decisionId, savedBy: user.email })
    if (decisionId !== null) await repo.linkDecision(trx, decisionId, newId)
    await recordAudit(trx, user, { action: 'create', entity: 'problem_area', entityId: newId, summary: `Problemområde ”${saved!.title}” skapat${decisionId ? ` (beslut ${decisionId})` : ''}`, after: { ...saved, decisionId } })
    return newId
  })
  return getProblemArea(db, id)
}

/**
 * A change at the version read (stale: 409 with what changed since); `retired` retires it today or
 * restores it; `decisionId` names the decision that made the change. A save that changes nothing and
 * names no decision is no new version.
 */
export async function updateProblemArea(db: Kysely<Database>, user: Editor, id: number, body: unknown): Promise<ProblemAreaDto> {
  const current = await getProblemArea(db, id)
  await assertMayWrite(db, user, 'problemområden', current.areaId)
  const { version, retired, decisionId = null, ...fields } = parseBody(problemAreaPatch, body)
  if (fields.cycleId !== undefined && fields.cycleId !== current.cycleId) {
    throw invalid('Ett problemområde kan inte flyttas till en annan cykel', [{ field: 'cycleId', message: 'starta en ny cykel med kopierade problemområden i stället' }])
  }
  if (version !== current.version) {
    const seen = await repo.problemAreaHistoryAt(db, id, version)
    throw new AppError(
      409,
      'conflict',
      `Problemområdet har ändrats av någon annan sedan du öppnade det (version ${version}, nu ${current.version}). Läs in det igen.`,
      changedFields<Record<string, unknown>>(PROBLEM_AREA_FIELDS, seen, versionData(current)),
    )
  }
  const merged: ProblemAreaContent = { ...contentOf(current), ...defined(fields), cycleId: current.cycleId }
  const children = await repo.childProblemAreas(db, id)
  await checkProblemArea(db, merged, decisionId, { id, hasChildren: children.length > 0 })
  await assertMayWrite(db, user, 'problemområden', merged.areaId)
  const retiredAt = retired === true ? (current.retiredAt ?? today()) : retired === false ? null : current.retiredAt
  const next = { ...merged, retiredAt }
  const now = versionData(current)
  if (decisionId === null && PROBLEM_AREA_FIELDS.every((k) => stableJson(now[k]) === stableJson(next[k]))) return current

  const row = (await repo.findProblemAreaRow(db, id))!
  const ordinal = merged.parentId === current.parentId ? row.ordinal : await repo.nextProblemAreaOrdinal(db, current.cycleId, merged.parentId)
  await db.transaction().execute(async (trx) => {
    // A problem area from before versions were kept (the agreement's, seeded) keeps its first version too.
    await repo.saveProblemAreaHistory(trx, { problemAreaId: id, version: current.version, data: now, decisionId: null, savedBy: '', savedAt: current.updatedAt })
    if (!(await repo.writeProblemAreaAt(trx, id, current.version, merged, retiredAt, ordinal))) {
      throw new AppError(409, 'conflict', 'Problemområdet ändrades samtidigt av någon annan. Läs in det igen.')
    }
    const [saved] = await repo.loadProblemAreas(trx, { ids: [id] })
    await repo.saveProblemAreaHistory(trx, { problemAreaId: id, version: saved!.version, data: versionData(saved!), decisionId, savedBy: user.email })
    if (decisionId !== null) await repo.linkDecision(trx, decisionId, id)
    const what = retired === true && !current.retiredAt ? 'avslutat' : retired === false && current.retiredAt ? 'återupptaget' : 'ändrat'
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'problem_area',
      entityId: id,
      summary: `Problemområde ”${saved!.title}” ${what} (version ${saved!.version})${decisionId ? `, beslut ${decisionId}` : ''}`,
      before: current,
      after: { ...saved, decisionId },
    })
  })
  return getProblemArea(db, id)
}

/** A value in a history line: short text as it is, long text only said to have changed. */
function historyChanges(prev: Record<string, unknown>, next: Record<string, unknown>, names: { areas: Map<number, string>; problemAreas: Map<number, string>; indicators: Map<string, string> }) {
  const out: Array<{ field: string; message: string }> = []
  const label = (k: string) => FIELD_LABELS[k] ?? k
  for (const k of PROBLEM_AREA_FIELDS) {
    const a = prev[k] ?? null
    const b = next[k] ?? null
    if (stableJson(a) === stableJson(b)) continue
    if (k === 'retiredAt') out.push({ field: k, message: b ? `avslutat ${b}` : 'återupptaget' })
    else if (k === 'areaId') out.push({ field: k, message: `${label(k)}: ${a === null ? 'hela staden' : (names.areas.get(a as number) ?? a)} → ${b === null ? 'hela staden' : (names.areas.get(b as number) ?? b)}` })
    else if (k === 'parentId') out.push({ field: k, message: `${label(k)}: ${a === null ? 'inget' : `”${names.problemAreas.get(a as number) ?? a}”`} → ${b === null ? 'inget' : `”${names.problemAreas.get(b as number) ?? b}”`}` })
    else if (k === 'indicatorIds') {
      const before = new Set(a as string[])
      const after = new Set(b as string[])
      const name = (i: string) => names.indicators.get(i) ?? i
      const added = [...after].filter((i) => !before.has(i)).map((i) => `+ ${name(i)}`)
      const removed = [...before].filter((i) => !after.has(i)).map((i) => `− ${name(i)}`)
      out.push({ field: k, message: `${label(k)}: ${[...added, ...removed].join(', ')}` })
    } else if (k === 'targets') {
      const list = (b as Array<{ indicatorId: string; target: number; targetPeriod: string }>).map((t) => `${names.indicators.get(t.indicatorId) ?? t.indicatorId} ${t.target} (${t.targetPeriod})`)
      out.push({ field: k, message: `${label(k)}: ${list.length ? list.join('; ') : 'inga'}` })
    } else if (typeof b === 'string' && b.length <= 80 && typeof a === 'string' && a.length <= 80) out.push({ field: k, message: `${label(k)}: ”${a}” → ”${b}”` })
    else out.push({ field: k, message: `${label(k)} ändrad` })
  }
  return out
}

/** Every kept version, newest first, each with the decision that made it and what it changed. */
export async function problemAreaHistory(db: Kysely<Database>, id: number): Promise<ProblemAreaVersionDto[]> {
  const current = await getProblemArea(db, id)
  const rows = await repo.problemAreaHistoryRows(db, id)
  const versions = rows.map((r) => ({
    version: r.version,
    data: r.data as Record<string, unknown>,
    savedAt: new Date(r.saved_at).toISOString(),
    savedBy: r.saved_by,
    decision: r.decision_id === null ? null : { id: r.decision_id, date: r.decision_date ?? '', text: r.decision_text ?? '' },
  }))
  // Never edited since before versions were kept: the version as it is.
  if (!versions.some((v) => v.version === current.version)) {
    versions.push({ version: current.version, data: versionData(current), savedAt: current.updatedAt, savedBy: '', decision: null })
  }
  const areaIds = versions.map((v) => v.data.areaId).filter((a): a is number => typeof a === 'number')
  const parentIds = versions.map((v) => v.data.parentId).filter((a): a is number => typeof a === 'number')
  const areas = new Map([...(await repo.areasByIds(db, areaIds))].map(([k, v]) => [k, v.name]))
  const problemAreas = new Map((await repo.loadProblemAreas(db, { ids: [...new Set(parentIds)] })).map((p) => [p.id, p.title]))
  const indicators = await repo.indicatorNames(
    db,
    versions.flatMap((v) => [...((v.data.indicatorIds as string[] | undefined) ?? []), ...((v.data.targets as Array<{ indicatorId: string }> | undefined) ?? []).map((t) => t.indicatorId)]),
  )
  return versions
    .map((v, i) => ({
      version: v.version,
      savedAt: v.savedAt,
      savedBy: v.savedBy,
      decision: v.decision,
      note: typeof v.data.note === 'string' ? v.data.note : null,
      changes: i === 0 ? [] : historyChanges(versions[i - 1]!.data, v.data, { areas, problemAreas, indicators }),
      current: v.version === current.version,
    }))
    .reverse()
}

/** Refused (409, naming each) while measures, sub-areas, a plan or measures linked to its causes hold it. */
export async function deleteProblemArea(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  const area = await repo.findProblemArea(db, id)
  if (!area) throw problemAreaNotFound(id)
  const [measures, children, plan, linked] = await Promise.all([repo.measuresOfProblemArea(db, id), repo.childProblemAreas(db, id), repo.planOfProblemArea(db, id), repo.measuresLinkedToCausesOf(db, id)])
  if (measures.length || children.length || plan || linked.length) {
    throw new AppError(409, 'conflict', `”${area.title}” kan inte tas bort: ${measures.length} åtgärder och ${children.length} delområden hör till det.`, [
      ...measures.map((m) => ({ field: 'measures', message: `åtgärd ${m.id}: ${m.title}` })),
      ...children.map((c) => ({ field: 'children', message: `delområde ${c.id}: ${c.title}` })),
      ...(plan ? [{ field: 'plan', message: `åtgärdsplan ${plan.id}: ${plan.title} (avsluta problemområdet i stället)` }] : []),
      ...linked.map((m) => ({ field: 'measures', message: `åtgärd ${m.id}: ${m.title} angriper orsaken ”${m.cause}”` })),
    ])
  }
  await db.transaction().execute(async (trx) => {
    await repo.deleteProblemAreaRow(trx, id)
    await recordAudit(trx, actor, { action: 'delete', entity: 'problem_area', entityId: id, summary: `Problemområde ”${area.title}” borttaget`, before: area })
  })
}

// --- causes (orsaksanalys) -----------------------------------------------------------------------

const causeContent = (c: { kind: CauseInput['kind']; title: string; description: string; sources: string; evidence: CauseInput['evidence'] }): CauseInput => ({
  kind: c.kind,
  title: c.title,
  description: c.description,
  sources: c.sources,
  evidence: c.evidence,
})

/** The causes with their evidence's figures derived now, as this viewer may see them. */
async function withFigures(db: Kysely<Database>, figures: FigureSource, viewer: FigureViewer, causes: repo.CauseRecord[]): Promise<CauseDto[]> {
  const areas = await repo.areasByIds(
    db,
    causes.flatMap((c) => c.evidence.map((e) => e.areaId)).filter((a): a is number => a !== null),
  )
  const cache = new Map<string, Promise<CauseDto['evidence'][number]['figure']>>()
  const figure = (indicatorId: string, areaId: number | null, period: string) => {
    const key = `${indicatorId}|${areaId}|${period}`
    if (!cache.has(key)) {
      // The city's figure is the same whichever partition it is read beside.
      const layer = areaId === null ? 'stadsomrade' : areas.get(areaId)?.layer
      cache.set(key, layer ? figures.figure(viewer, indicatorId, layer, areaId, period).catch(() => null) : Promise.resolve(null))
    }
    return cache.get(key)!
  }
  return Promise.all(
    causes.map(async (c) => ({
      ...c,
      evidence: await Promise.all(c.evidence.map(async (e) => ({ ...e, figure: await figure(e.indicatorId, e.areaId, e.period) }))),
    })),
  )
}

export async function listCauses(db: Kysely<Database>, figures: FigureSource, viewer: FigureViewer, problemAreaId: number): Promise<CauseDto[]> {
  if (!(await repo.findProblemArea(db, problemAreaId))) throw problemAreaNotFound(problemAreaId)
  return withFigures(db, figures, viewer, await repo.loadCauses(db, { problemAreaIds: [problemAreaId] }))
}

async function causeOrThrow(db: Kysely<Database>, problemAreaId: number, causeId: number) {
  const [cause] = await repo.loadCauses(db, { ids: [causeId] })
  if (!cause || cause.problemAreaId !== problemAreaId) throw AppError.notFound(`Orsaken ${causeId} finns inte i problemområdet`, [{ field: 'causeId', message: 'orsaken finns inte' }])
  return cause
}

/** The evidence's indicators and areas, each missing one named by its field. */
async function checkEvidence(db: Kysely<Database>, c: CauseInput) {
  const details: ErrorDetail[] = []
  const indicators = await repo.existingIndicatorIds(
    db,
    c.evidence.map((e) => e.indicatorId),
  )
  const areas = await repo.areasByIds(
    db,
    c.evidence.map((e) => e.areaId).filter((a): a is number => a !== null),
  )
  c.evidence.forEach((e, i) => {
    if (!indicators.has(e.indicatorId)) details.push({ field: `evidence.${i}.indicatorId`, message: `indikatorn ${e.indicatorId} finns inte` })
    if (e.areaId !== null && !areas.has(e.areaId)) details.push({ field: `evidence.${i}.areaId`, message: `område ${e.areaId} finns inte` })
  })
  if (details.length) throw invalid('Beläggen hänvisar till sådant som inte finns', details)
}

async function problemAreaForWrite(db: Kysely<Database>, user: Editor, problemAreaId: number) {
  const row = await repo.findProblemAreaRow(db, problemAreaId)
  if (!row) throw problemAreaNotFound(problemAreaId)
  await assertMayWrite(db, user, 'orsaksanalyser', row.area_id)
  return row
}

export async function createCause(db: Kysely<Database>, figures: FigureSource, user: Editor, problemAreaId: number, body: unknown): Promise<CauseDto> {
  const pa = await problemAreaForWrite(db, user, problemAreaId)
  const input = parseBody(causeInput, body)
  await checkEvidence(db, input)
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertCause(trx, problemAreaId, await repo.nextCauseOrdinal(trx, problemAreaId), input)
    await recordAudit(trx, user, { action: 'create', entity: 'cause', entityId: newId, summary: `Orsak ”${input.title}” tillagd i ”${pa.title}”`, after: { problemAreaId, ...input, version: 1 } })
    return newId
  })
  return (await withFigures(db, figures, viewerOf(user), [await causeOrThrow(db, problemAreaId, id)]))[0]!
}

export async function updateCause(db: Kysely<Database>, figures: FigureSource, user: Editor, problemAreaId: number, causeId: number, body: unknown): Promise<CauseDto> {
  const pa = await problemAreaForWrite(db, user, problemAreaId)
  const current = await causeOrThrow(db, problemAreaId, causeId)
  const { version, ...fields } = parseBody(causePatch, body)
  if (version !== current.version) {
    // No history of causes is kept: the fields as they are now.
    throw new AppError(409, 'conflict', `Orsaken har ändrats av någon annan sedan du öppnade den (version ${version}, nu ${current.version}). Läs in den igen.`, changedFields(CAUSE_FIELDS, null, current))
  }
  const merged: CauseInput = { ...causeContent(current), ...defined(fields) }
  await checkEvidence(db, merged)
  await db.transaction().execute(async (trx) => {
    if (!(await repo.writeCauseAt(trx, causeId, current.version, merged))) throw new AppError(409, 'conflict', 'Orsaken ändrades samtidigt av någon annan. Läs in den igen.')
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'cause',
      entityId: causeId,
      summary: `Orsak ”${merged.title}” i ”${pa.title}” ändrad (version ${current.version + 1})`,
      before: current,
      after: { ...merged, problemAreaId, version: current.version + 1 },
    })
  })
  return (await withFigures(db, figures, viewerOf(user), [await causeOrThrow(db, problemAreaId, causeId)]))[0]!
}

/** Refused (409) at a stale version, or while measures address the cause (named). */
export async function deleteCause(db: Kysely<Database>, user: Editor, problemAreaId: number, causeId: number, version: number): Promise<void> {
  const pa = await problemAreaForWrite(db, user, problemAreaId)
  const current = await causeOrThrow(db, problemAreaId, causeId)
  if (version !== current.version) {
    throw new AppError(409, 'conflict', `Orsaken har ändrats sedan du öppnade den (version ${version}, nu ${current.version}).`, changedFields(CAUSE_FIELDS, null, current))
  }
  const measures = await repo.measuresOfCause(db, causeId)
  if (measures.length) {
    throw new AppError(
      409,
      'conflict',
      `Orsaken ”${current.title}” kan inte tas bort: ${measures.length === 1 ? 'en åtgärd angriper' : `${measures.length} åtgärder angriper`} den`,
      measures.map((m) => ({ field: 'measures', message: `åtgärd ${m.id}: ${m.title}` })),
    )
  }
  await db.transaction().execute(async (trx) => {
    if (!(await repo.deleteCauseAt(trx, causeId, version))) throw new AppError(409, 'conflict', 'Orsaken ändrades samtidigt av någon annan. Läs in den igen.')
    await recordAudit(trx, user, { action: 'delete', entity: 'cause', entityId: causeId, summary: `Orsak ”${current.title}” borttagen ur ”${pa.title}”`, before: current })
  })
}

