import type { Kysely } from 'kysely'
import { recordAudit } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { AppError, type ErrorDetail } from '../../errors'
import { parseBody } from '../../http/validate-body'
import { addAffect } from './decisions.repository'
import { CITY_GROUP, LOCAL_PREFIX, type DecisionGroupDto } from './decisions.schema'
import { decisionGroups, groupNameIn, localToday, type ProcessEditor } from './decisions.service'
import {
  adoptDraft,
  bumpDraftRevision,
  causesOfProblemArea,
  decisionRow,
  deleteRows,
  deleteUnadoptedPlan,
  followUpRows,
  insertFollowUp,
  insertPlan,
  insertRows,
  insertVersion,
  measuresOfProblemArea,
  planOfProblemArea,
  planRows,
  problemAreaScopes,
  rowRows,
  versionRows,
  type PlanRowValues,
} from './plans.repository'
import { adoptInput, draftInput, followUpInput, planInput, type PlanDto, type PlanFollowUpDto, type PlanRowDto, type PlanVersionDto } from './plans.schema'

type Scope = Awaited<ReturnType<typeof problemAreaScopes>>[number]

/**
 * Whose decision adopts a plan: the city-wide ledningsgrupp always; for a stadsområde's problem area also
 * its local group; for a lokalpolisområde's (which crosses stadsområden) any local group.
 */
function adoptionGroups(scope: Scope, groups: DecisionGroupDto[]): string[] {
  const locals = groups.filter((g) => g.id.startsWith(LOCAL_PREFIX)).map((g) => g.id)
  if (scope.area_id === null) return [CITY_GROUP]
  const code = scope.layer_id === 'stadsomrade' ? scope.code : scope.layer_id === 'lokalpolisomrade' ? null : scope.parent_code
  return [CITY_GROUP, ...(code ? [`${LOCAL_PREFIX}${code}`] : locals)]
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

async function loadPlans(db: Kysely<Database>, f: Parameters<typeof planRows>[1]): Promise<PlanDto[]> {
  const plans = await planRows(db, f)
  if (plans.length === 0) return []
  const ids = plans.map((p) => p.id)
  const [scopes, groups, versions, rows] = await Promise.all([problemAreaScopes(db, [...new Set(plans.map((p) => p.problem_area_id))]), decisionGroups(db), versionRows(db, ids), rowRows(db, ids)])
  const followUps = await followUpRows(db, rows.map((r) => r.id))
  return plans.map((p) => {
    const scope = scopes.find((s) => s.id === p.problem_area_id)!
    const own = versions.filter((v) => v.plan_id === p.id)
    const current = Math.max(0, ...own.filter((v) => v.decision_id !== null).map((v) => v.version))
    return {
      id: p.id,
      problemAreaId: p.problem_area_id,
      problemAreaTitle: scope.title,
      cycleId: scope.cycle_id,
      areaId: scope.area_id,
      areaName: scope.name,
      title: p.title,
      adoptionGroups: adoptionGroups(scope, groups),
      createdAt: iso(p.created_at)!,
      versions: own.map(
        (v): PlanVersionDto => ({
          version: v.version,
          revision: v.revision,
          status: v.decision_id === null ? 'utkast' : 'antagen',
          current: v.version === current,
          decision:
            v.decision_id === null
              ? null
              : { id: v.decision_id, date: v.decision_date!, group: v.decision_group!, groupName: groupNameIn(groups, v.decision_group!), text: v.decision_text! },
          adoptedAt: iso(v.adopted_at),
          createdAt: iso(v.created_at)!,
          updatedAt: iso(v.updated_at)!,
          rows: rows
            .filter((r) => r.plan_id === p.id && r.version === v.version)
            .map((r): PlanRowDto => {
              const list = followUps
                .filter((x) => x.row_id === r.id)
                .map((x): PlanFollowUpDto => ({ id: x.id, status: x.status, date: x.date, comment: x.comment, createdBy: x.created_by, createdAt: iso(x.created_at)! }))
              return {
                id: r.id,
                ordinal: r.ordinal,
                causeId: r.cause_id,
                cause: r.cause_text,
                measureId: r.measure_id,
                action: r.action,
                goal: r.goal,
                timing: r.timing,
                responsible: r.responsible,
                followup: r.followup,
                followUps: list,
                latest: list.at(-1)?.status ?? null,
              }
            }),
        }),
      ),
    }
  })
}

export const listPlans = (db: Kysely<Database>, f: { problemAreaId?: number; cycleId?: number }) => loadPlans(db, f)

export async function getPlan(db: Kysely<Database>, id: number): Promise<PlanDto> {
  const [p] = await loadPlans(db, { ids: [id] })
  if (!p) throw AppError.notFound(`Okänd åtgärdsplan: ${id}`, [{ field: 'id', message: 'planen finns inte' }])
  return p
}

function versionOf(plan: PlanDto, v: number): PlanVersionDto {
  const found = plan.versions.find((x) => x.version === v)
  if (!found) throw AppError.notFound(`Åtgärdsplanen har ingen version ${v}`, [{ field: 'version', message: `finns inte; planen har version ${plan.versions.map((x) => x.version).join(', ')}` }])
  return found
}

/**
 * Analysts and admins edit every plan; a local group only the plans of problem areas of its own
 * stadsområde (city-wide and lokalpolisområde priorities are decided above it).
 */
async function assertMayEdit(db: Kysely<Database>, user: ProcessEditor, problemAreaId: number) {
  if (user.role !== 'local') return
  const [scope] = await problemAreaScopes(db, [problemAreaId])
  if (scope && scope.layer_id === 'stadsomrade' && user.stadsomradeCode !== null && scope.code === user.stadsomradeCode) return
  throw AppError.forbidden('En lokal ledningsgrupp kan bara ändra åtgärdsplaner för sitt eget stadsområdes problemområden', [
    { field: 'problemAreaId', message: scope?.area_id === null ? 'problemområdet gäller hela staden' : 'problemområdet hör inte till ditt stadsområde' },
  ])
}

export async function createPlan(db: Kysely<Database>, user: ProcessEditor, body: unknown): Promise<PlanDto> {
  const input = parseBody(planInput, body)
  const [scope] = await problemAreaScopes(db, [input.problemAreaId])
  if (!scope) throw new AppError(422, 'validation_failed', 'Problemområdet finns inte', [{ field: 'problemAreaId', message: `problemområde ${input.problemAreaId} finns inte` }])
  await assertMayEdit(db, user, input.problemAreaId)
  const existing = await planOfProblemArea(db, input.problemAreaId)
  if (existing) {
    throw new AppError(409, 'conflict', `Problemområdet ”${scope.title}” har redan en åtgärdsplan: ”${existing.title}”. Ändra den i stället (ny version).`, [
      { field: 'problemAreaId', message: `har redan plan ${existing.id}` },
    ])
  }
  const id = await db.transaction().execute(async (trx) => {
    const planId = await insertPlan(trx, input.problemAreaId, input.title)
    await insertVersion(trx, planId, 1)
    await recordAudit(trx, user, { action: 'create', entity: 'plan', entityId: planId, summary: `Åtgärdsplan ”${input.title}” för ${scope.title} skapad (version 1, utkast)`, after: input })
    return planId
  })
  return getPlan(db, id)
}

/** A draft's rows, their causes and measures checked against the plan's problem area; every problem named by row and field. */
async function resolveRows(db: Kysely<Database>, plan: PlanDto, rows: ReturnType<typeof draftInput.parse>['rows']): Promise<PlanRowValues[]> {
  const wantedCauses = [...new Set(rows.flatMap((r) => (r.causeId ? [r.causeId] : [])))]
  const wantedMeasures = [...new Set(rows.flatMap((r) => (r.measureId ? [r.measureId] : [])))]
  const [causes, measures] = await Promise.all([causesOfProblemArea(db, plan.problemAreaId, wantedCauses), measuresOfProblemArea(db, plan.problemAreaId, wantedMeasures)])
  const details: ErrorDetail[] = []
  const out = rows.map((r, i): PlanRowValues => {
    const cause = r.causeId ? causes.find((c) => c.id === r.causeId) : undefined
    if (r.causeId && !cause) details.push({ field: `rows.${i}.causeId`, message: `orsak ${r.causeId} hör inte till orsaksanalysen för ${plan.problemAreaTitle}` })
    if (r.measureId && !measures.some((m) => m.id === r.measureId)) details.push({ field: `rows.${i}.measureId`, message: `åtgärd ${r.measureId} hör inte till problemområdet ${plan.problemAreaTitle}` })
    const causeText = r.cause || cause?.title || ''
    if (!causeText && !(r.causeId && !cause)) details.push({ field: `rows.${i}.cause`, message: 'ange orsaken: välj en ur orsaksanalysen eller skriv den' })
    return {
      ordinal: i + 1,
      cause_id: r.causeId ?? null,
      cause_text: causeText,
      measure_id: r.measureId ?? null,
      action: r.action,
      goal: r.goal,
      timing: r.timing,
      responsible: r.responsible,
      followup: r.followup,
    }
  })
  if (details.length) throw new AppError(422, 'validation_failed', `Planens rader är inte kompletta: ${details.length} fält behöver rättas.`, details)
  return out
}

const frozen = (v: number) => new AppError(409, 'conflict', `Version ${v} är antagen och därmed fryst (antagen version är fryst). Skapa en ny version för att ändra planen.`, [{ field: 'version', message: 'antagen version är fryst' }])
const stale = (read: number, now: number) =>
  new AppError(409, 'conflict', `Utkastet har sparats av någon annan sedan du öppnade det (revision ${read}, nu ${now}). Läs in det igen; dina ändringar sparades inte.`, [
    { field: 'revision', message: `du läste revision ${read}, den sparade är ${now}` },
  ])
const raced = () => new AppError(409, 'conflict', 'Utkastet ändrades eller antogs samtidigt av någon annan. Läs in planen igen.')

export async function saveDraft(db: Kysely<Database>, user: ProcessEditor, id: number, v: number, body: unknown): Promise<PlanDto> {
  const input = parseBody(draftInput, body)
  const plan = await getPlan(db, id)
  const version = versionOf(plan, v)
  await assertMayEdit(db, user, plan.problemAreaId)
  if (version.status === 'antagen') throw frozen(v)
  if (input.revision !== version.revision) throw stale(input.revision, version.revision)
  const rows = await resolveRows(db, plan, input.rows)
  await db.transaction().execute(async (trx) => {
    if (!(await bumpDraftRevision(trx, id, v, version.revision))) throw raced()
    await deleteRows(trx, id, v)
    await insertRows(trx, id, v, rows)
    await recordAudit(trx, user, {
      action: 'update',
      entity: 'plan',
      entityId: id,
      summary: `Åtgärdsplan ”${plan.title}” version ${v} sparad (${rows.length} rader, revision ${version.revision + 1})`,
      before: version.rows.map(({ followUps: _f, latest: _l, id: _id, ...r }) => r),
      after: rows,
    })
  })
  return getPlan(db, id)
}

export async function newVersion(db: Kysely<Database>, user: ProcessEditor, id: number): Promise<PlanDto> {
  const plan = await getPlan(db, id)
  await assertMayEdit(db, user, plan.problemAreaId)
  const draft = plan.versions.find((x) => x.status === 'utkast')
  if (draft) throw new AppError(409, 'conflict', `Planen har redan ett utkast (version ${draft.version}): ändra det i stället för att börja en ny version.`, [{ field: 'version', message: `version ${draft.version} är ett utkast` }])
  const latest = plan.versions.at(-1)!
  const next = latest.version + 1
  await db.transaction().execute(async (trx) => {
    await insertVersion(trx, id, next)
    await insertRows(
      trx,
      id,
      next,
      latest.rows.map((r, i) => ({ ordinal: i + 1, cause_id: r.causeId, cause_text: r.cause, measure_id: r.measureId, action: r.action, goal: r.goal, timing: r.timing, responsible: r.responsible, followup: r.followup })),
    )
    await recordAudit(trx, user, { action: 'create', entity: 'plan', entityId: id, summary: `Åtgärdsplan ”${plan.title}”: version ${next} påbörjad från version ${latest.version}` })
  })
  return getPlan(db, id)
}

export async function adoptVersion(db: Kysely<Database>, user: ProcessEditor, id: number, v: number, body: unknown): Promise<PlanDto> {
  const input = parseBody(adoptInput, body)
  const plan = await getPlan(db, id)
  const version = versionOf(plan, v)
  await assertMayEdit(db, user, plan.problemAreaId)
  if (version.status === 'antagen') throw new AppError(409, 'conflict', `Version ${v} är redan antagen (beslut ${version.decision!.date}).`, [{ field: 'version', message: 'redan antagen' }])
  if (input.revision !== undefined && input.revision !== version.revision) throw stale(input.revision, version.revision)
  if (version.rows.length === 0) throw new AppError(409, 'conflict', `Version ${v} har inga rader: ett tomt utkast kan inte antas.`, [{ field: 'rows', message: 'lägg till minst en rad' }])
  const decision = await decisionRow(db, input.decisionId)
  if (!decision) throw new AppError(422, 'validation_failed', 'Beslutet finns inte', [{ field: 'decisionId', message: `beslut ${input.decisionId} finns inte` }])
  const groups = await decisionGroups(db)
  // A decision of the wrong group is a wrong choice in the request (422), not a clash with stored state.
  if (!plan.adoptionGroups.includes(decision.group_id)) {
    throw new AppError(422, 'validation_failed', `Beslutet är fattat av ${groupNameIn(groups, decision.group_id)}, som inte antar den här planen.`, [
      { field: 'decisionId', message: `välj ett beslut av ${plan.adoptionGroups.map((g) => groupNameIn(groups, g)).join(' eller ')}` },
    ])
  }
  await db.transaction().execute(async (trx) => {
    if (!(await adoptDraft(trx, id, v, version.revision, decision.id))) throw raced()
    await addAffect(trx, decision.id, 'plan', String(id))
    await recordAudit(trx, user, {
      action: 'adopt',
      entity: 'plan',
      entityId: id,
      summary: `Åtgärdsplan ”${plan.title}” version ${v} antagen genom beslut ${decision.date} av ${groupNameIn(groups, decision.group_id)}`,
      after: { version: v, decisionId: decision.id },
    })
  })
  return getPlan(db, id)
}

export async function addFollowUp(db: Kysely<Database>, user: ProcessEditor, id: number, rowId: number, body: unknown): Promise<PlanFollowUpDto> {
  const input = parseBody(followUpInput(localToday), body)
  const plan = await getPlan(db, id)
  const version = plan.versions.find((x) => x.rows.some((r) => r.id === rowId))
  if (!version) throw AppError.notFound(`Åtgärdsplanen har ingen rad ${rowId}`, [{ field: 'rowId', message: 'raden finns inte i planen' }])
  await assertMayEdit(db, user, plan.problemAreaId)
  if (version.status === 'utkast') throw new AppError(409, 'conflict', `Version ${version.version} är ett utkast: uppföljning förs på en antagen version.`, [{ field: 'rowId', message: 'raden hör till ett utkast' }])
  if (!version.current) {
    const current = plan.versions.find((x) => x.current)!
    throw new AppError(409, 'conflict', `Version ${version.version} har ersatts av version ${current.version}: följ upp den gällande versionen.`, [{ field: 'rowId', message: 'raden hör till en ersatt version' }])
  }
  const row = version.rows.find((r) => r.id === rowId)!
  const followUpId = await db.transaction().execute(async (trx) => {
    const newId = await insertFollowUp(trx, rowId, { ...input, createdBy: user.email })
    await recordAudit(trx, user, {
      action: 'create',
      entity: 'plan',
      entityId: id,
      summary: `Åtgärdsplan ”${plan.title}” version ${version.version}, rad ${row.ordinal}: uppföljning ${input.date} (${{ gron: 'grön', gul: 'gul', rod: 'röd' }[input.status]})`,
      after: { rowId, ...input },
    })
    return newId
  })
  const saved = (await getPlan(db, id)).versions.flatMap((x) => x.rows).find((r) => r.id === rowId)!.followUps.find((x) => x.id === followUpId)!
  return saved
}

export async function deletePlan(db: Kysely<Database>, user: ProcessEditor, id: number) {
  const plan = await getPlan(db, id)
  await assertMayEdit(db, user, plan.problemAreaId)
  const adopted = plan.versions.filter((x) => x.status === 'antagen')
  if (adopted.length) {
    throw new AppError(409, 'conflict', `Åtgärdsplanen ”${plan.title}” har antagna versioner och kan inte tas bort; den ersätts med nya versioner.`, adopted.map((x) => ({ field: 'version', message: `version ${x.version} antogs ${x.decision!.date}` })))
  }
  await db.transaction().execute(async (trx) => {
    if (!(await deleteUnadoptedPlan(trx, id))) throw raced()
    await recordAudit(trx, user, { action: 'delete', entity: 'plan', entityId: id, summary: `Åtgärdsplan ”${plan.title}” borttagen (inget antaget)`, before: plan })
  })
}
