import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { INSIDE_SHARE, shareInsideStadsomrade } from '../../../db/scope'
import type { SessionUser } from '../../http/access'

/** Who edits a measure: a signed-in user, or the demo start (no account). */
export type MeasureEditor = Actor & Pick<SessionUser, 'role' | 'stadsomradeCode'>
import { changedFields } from '../../core/field-labels'
import { AppError, type ErrorDetail } from '../../errors'
import { parseBody } from '../../http/validate-body'
import {
  areaWithParentsAndChildren,
  bumpVersion,
  causeIdsOf,
  deleteMeasureAt,
  existingAreaIds,
  existingIndicatorIds,
  historyAt,
  loadMeasures,
  problemAreaExists,
  saveHistory,
  writeMeasure,
} from './measures.repository'
import { crossCheck, measureInput, measurePatch, type MeasureDto, type MeasureInput } from './measures.schema'

/** The fields a stale save reports as changed (labels in server/core/field-labels.ts). */
const MEASURE_FIELDS = ['title', 'description', 'problemAreaId', 'purpose', 'prevention', 'level', 'owners', 'samverkansform', 'areaIds', 'status', 'startDate', 'endDate', 'followUp', 'causeIds', 'comparisonAreaId', 'displacementBufferM'] as const

/** References to other rows, checked against the database: each missing one named by its field. */
async function checkReferences(db: Kysely<Database>, m: MeasureInput) {
  const details: ErrorDetail[] = []
  if (!(await problemAreaExists(db, m.problemAreaId))) details.push({ field: 'problemAreaId', message: `problemområde ${m.problemAreaId} finns inte` })
  const areas = new Set(await existingAreaIds(db, m.areaIds))
  m.areaIds.forEach((id, i) => !areas.has(id) && details.push({ field: `areaIds.${i}`, message: `område ${id} finns inte` }))
  const wanted = m.followUp.map((f) => f.indicatorId)
  const indicators = new Set(await existingIndicatorIds(db, wanted))
  m.followUp.forEach((f, i) => !indicators.has(f.indicatorId) && details.push({ field: `followUp.${i}.indicatorId`, message: `indikatorn ${f.indicatorId} finns inte` }))
  const causes = new Set(await causeIdsOf(db, m.problemAreaId, m.causeIds))
  m.causeIds.forEach((id, i) => !causes.has(id) && details.push({ field: `causeIds.${i}`, message: `orsak ${id} hör inte till åtgärdens problemområde` }))
  if (m.comparisonAreaId !== null && (await existingAreaIds(db, [m.comparisonAreaId])).length === 0) {
    details.push({ field: 'comparisonAreaId', message: `område ${m.comparisonAreaId} finns inte` })
  }
  if (details.length) throw new AppError(422, 'validation_failed', 'Åtgärden hänvisar till sådant som inte finns', details)
}

/** Field checks and cross-field rules together, so one 422 names every problem. */
function validate(body: unknown): MeasureInput {
  const rules = crossCheck(body)
  let parsed: MeasureInput
  try {
    parsed = parseBody(measureInput, body)
  } catch (err) {
    if (err instanceof AppError && err.status === 422) {
      const fields = new Set(err.details.map((d) => d.field))
      throw new AppError(422, err.code, err.message, [...err.details, ...rules.filter((r) => !fields.has(r.field))])
    }
    throw err
  }
  if (rules.length) throw new AppError(422, 'validation_failed', `Uppgifterna motsäger varandra: ${rules.map((r) => r.field).join(', ')}`, rules)
  return parsed
}

const toInput = (m: MeasureDto): MeasureInput => ({
  title: m.title,
  description: m.description,
  problemAreaId: m.problemAreaId,
  purpose: m.purpose,
  prevention: m.prevention,
  level: m.level,
  owners: m.owners,
  samverkansform: m.samverkansform,
  areaIds: m.areaIds,
  status: m.status,
  startDate: m.startDate,
  endDate: m.endDate,
  // Stored measures always hold their targets; only a disclosed copy has null ones.
  followUp: m.followUp.map(({ indicatorId, baselinePeriod, target, targetPeriod }) => ({ indicatorId, baselinePeriod, target: target!, targetPeriod })),
  causeIds: m.causeIds,
  comparisonAreaId: m.comparisonAreaId,
  displacementBufferM: m.displacementBufferM,
})

export async function getMeasure(db: Kysely<Database>, id: number): Promise<MeasureDto> {
  const [m] = await loadMeasures(db, [id])
  if (!m) throw AppError.notFound(`Okänd åtgärd: ${id}`, [{ field: 'id', message: 'åtgärden finns inte' }])
  return m
}

export async function listMeasures(db: Kysely<Database>, f: Partial<Record<string, string | number>>): Promise<MeasureDto[]> {
  let areaSet: Set<number> | null = null
  if (f.areaId !== undefined) {
    // An area's measures include those in the areas it holds and the areas holding it (a primärområde's stadsområde).
    areaSet = new Set(await areaWithParentsAndChildren(db, Number(f.areaId)))
  }
  const owner = typeof f.owner === 'string' ? f.owner.toLowerCase() : null
  return (await loadMeasures(db)).filter(
    (m) =>
      (f.problemAreaId === undefined || m.problemAreaId === f.problemAreaId) &&
      (f.purpose === undefined || m.purpose === f.purpose) &&
      (f.prevention === undefined || m.prevention === f.prevention) &&
      (f.level === undefined || m.level === f.level) &&
      (f.samverkansform === undefined || m.samverkansform === f.samverkansform) &&
      (f.status === undefined || m.status === f.status) &&
      (owner === null || m.owners.some((o) => o.toLowerCase() === owner)) &&
      (areaSet === null || m.areaIds.some((a) => areaSet!.has(a))),
  )
}

/**
 * A local group edits only measures wholly in its own stadsområde: every area of the measure, before and
 * after the change, must lie inside it. City-wide measures (no areas) are the analysts'.
 */
async function assertMayEdit(db: Kysely<Database>, user: MeasureEditor, ...areaLists: number[][]) {
  if (user.role !== 'local') return
  const ids = [...new Set(areaLists.flat())]
  const denied = () =>
    AppError.forbidden('En lokal ledningsgrupp kan bara ändra åtgärder i sitt eget stadsområde', [
      { field: 'areaIds', message: ids.length ? 'minst ett område ligger utanför ditt stadsområde' : 'en åtgärd utan område gäller hela staden' },
    ])
  if (ids.length === 0 || !user.stadsomradeCode) throw denied()
  const shares = await shareInsideStadsomrade(db, ids, user.stadsomradeCode)
  if (ids.some((id) => (shares.get(id) ?? 0) < INSIDE_SHARE)) throw denied()
}

export async function createMeasure(db: Kysely<Database>, user: MeasureEditor, body: unknown): Promise<MeasureDto> {
  const m = validate(body)
  await checkReferences(db, m)
  await assertMayEdit(db, user, m.areaIds)
  const id = await db.transaction().execute(async (trx) => {
    const newId = await writeMeasure(trx, m, null, 1)
    const [saved] = await loadMeasures(trx, [newId])
    await saveHistory(trx, newId, 1, saved!)
    await recordAudit(trx, user, { action: 'create', entity: 'measure', entityId: newId, summary: `Åtgärd ”${saved!.title}” skapad`, after: saved })
    return newId
  })
  return getMeasure(db, id)
}

/** Measures as the caller may see them (measures.evaluation.ts discloseMeasures, bound to the caller); identity for analysts. */
export type DiscloseMeasures = (measures: MeasureDto[]) => Promise<MeasureDto[]>
const asStored: DiscloseMeasures = async (ms) => ms

/** What differs between two versions of a measure, for a refused stale save, as the caller may see both. */
async function changes(disclose: DiscloseMeasures, before: MeasureDto | null, now: MeasureDto): Promise<ErrorDetail[]> {
  const [b, n] = before ? await disclose([before, now]) : [null, ...(await disclose([now]))]
  return changedFields(MEASURE_FIELDS, b ?? null, n!)
}

/**
 * A follow-up sent back with the target null, as the caller read it withheld, keeps the stored target of
 * the same follow-up (indicator, baseline and target period): a local group can save a measure whose
 * target it may not see. A null with no such follow-up stays null and is refused as a missing target.
 */
function keepWithheldTargets(body: unknown, current: MeasureDto): unknown {
  const b = body as Record<string, unknown> | null
  if (!b || typeof b !== 'object' || !Array.isArray(b.followUp)) return body
  return {
    ...b,
    followUp: b.followUp.map((f: unknown) => {
      const r = f as Record<string, unknown> | null
      if (!r || typeof r !== 'object' || r.target !== null) return f
      const { targetWithheld: _why, ...rest } = r
      const stored = current.followUp.find((x) => x.indicatorId === r.indicatorId && x.baselinePeriod === r.baselinePeriod && x.targetPeriod === r.targetPeriod)
      return stored ? { ...rest, target: stored.target } : rest
    }),
  }
}

export async function updateMeasure(db: Kysely<Database>, user: SessionUser, id: number, raw: unknown, disclose: DiscloseMeasures = asStored): Promise<MeasureDto> {
  const current = await getMeasure(db, id)
  const body = keepWithheldTargets(raw, current)
  const patch = parseBody(measurePatch, body)
  const { version, ...fields } = patch
  const merged = validate({ ...toInput(current), ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) })
  if (version !== current.version) {
    const seen = await historyAt(db, id, version)
    throw new AppError(409, 'conflict', `Åtgärden har ändrats av någon annan sedan du öppnade den (version ${version}, nu ${current.version}). Läs in den igen.`, await changes(disclose, seen, current))
  }
  await checkReferences(db, merged)
  await assertMayEdit(db, user, current.areaIds, merged.areaIds)
  await db.transaction().execute(async (trx) => {
    // The version check again inside the write: two saves racing past the first check cannot both land.
    if (!(await bumpVersion(trx, id, current.version))) throw new AppError(409, 'conflict', 'Åtgärden ändrades samtidigt av någon annan. Läs in den igen.')
    await writeMeasure(trx, merged, id, current.version + 1)
    const [saved] = await loadMeasures(trx, [id])
    await saveHistory(trx, id, current.version + 1, saved!)
    await recordAudit(trx, user, { action: 'update', entity: 'measure', entityId: id, summary: `Åtgärd ”${saved!.title}” ändrad (version ${current.version + 1})`, before: current, after: saved })
  })
  return getMeasure(db, id)
}

export async function deleteMeasure(db: Kysely<Database>, user: SessionUser, id: number, version: number, disclose: DiscloseMeasures = asStored) {
  const current = await getMeasure(db, id)
  await assertMayEdit(db, user, current.areaIds)
  if (current.version !== version) {
    throw new AppError(409, 'conflict', `Åtgärden har ändrats sedan du öppnade den (version ${version}, nu ${current.version}).`, await changes(disclose, await historyAt(db, id, version), current))
  }
  await db.transaction().execute(async (trx) => {
    if (!(await deleteMeasureAt(trx, id, version))) throw new AppError(409, 'conflict', 'Åtgärden ändrades samtidigt av någon annan. Läs in den igen.')
    await recordAudit(trx, user, { action: 'delete', entity: 'measure', entityId: id, summary: `Åtgärd ”${current.title}” borttagen`, before: current })
  })
}
