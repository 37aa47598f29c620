import type { Kysely, Transaction } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database, NewObservation } from '../../../db/schema'
import { INSIDE_SHARE, shareInsideStadsomrade } from '../../../db/scope'
import { FIELD_REPORT_INDICATOR, FIELD_REPORT_LAYER, FIELD_REPORT_PLACE_LAYER } from '../../core/field-report-indicator'
import { parsePeriod } from '../../core/period'
import { personalDataMessage } from '../../core/personal-data'
import { AppError, type ErrorDetail } from '../../errors'
import type { SessionUser } from '../../http/access'
import { parseBody } from '../../http/validate-body'
import * as repo from './field-reports.repository'
import {
  categoryInput,
  categoryPatch,
  reportInput,
  reportPatch,
  type FieldReportCategoryDto,
  type FieldReportDto,
  type ReportFilters,
  type ReportInput,
  type ReportableAreaDto,
  type ReportablePlaceDto,
} from './field-reports.schema'

export type Reporter = Actor & Pick<SessionUser, 'role' | 'stadsomradeCode'>

/** Today in Göteborg: a week that has not begun cannot be reported. */
const localToday = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date())

const invalid = (message: string, details: ErrorDetail[]) => new AppError(422, 'validation_failed', message, details)

type ReportRow = Awaited<ReturnType<typeof repo.reportRows>>[number]
const toDto = (r: ReportRow): FieldReportDto => ({
  id: r.id,
  areaId: r.area_id,
  areaCode: r.area_code,
  areaName: r.area_name,
  stadsomradeCode: r.stadsomrade_code,
  placeId: r.place_id,
  placeName: r.place_name,
  week: r.week,
  category: r.category,
  categoryName: r.category_name,
  count: r.count,
  text: r.text,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
})

/** Members: a local group sees its own stadsområde's reports only. */
export async function listReports(db: Kysely<Database>, user: Reporter, f: ReportFilters): Promise<FieldReportDto[]> {
  if (user.role === 'local' && !user.stadsomradeCode) return []
  // A local group sees its own stadsområde's reports only.
  if (user.role === 'local' && f.stadsomrade !== undefined && f.stadsomrade !== user.stadsomradeCode) return []
  const code = user.role === 'local' ? user.stadsomradeCode! : f.stadsomrade
  const rows = await repo.reportRows(db, { ...f, ...(code !== undefined ? { stadsomradeCode: code } : {}) })
  return rows.map(toDto)
}

/** The primärområden the caller may report for: a local group's own stadsområde's, everyone's for analysts. */
export async function reportableAreas(db: Kysely<Database>, user: Reporter): Promise<ReportableAreaDto[]> {
  if (user.role === 'local' && !user.stadsomradeCode) return []
  const rows = await repo.reportableAreas(db, FIELD_REPORT_LAYER, user.role === 'local' ? user.stadsomradeCode! : undefined)
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, stadsomradeCode: r.stadsomrade_code, stadsomradeName: r.stadsomrade_name }))
}

/**
 * The drawn places the caller may report on (a local group: those lying ≥ 99 % inside its stadsområde, as for
 * drawing them), each with the primärområde holding most of it; a place outside every primärområde is left out.
 */
export async function reportablePlaces(db: Kysely<Database>, user: Reporter): Promise<ReportablePlaceDto[]> {
  if (user.role === 'local' && !user.stadsomradeCode) return []
  const areas = new Map((await repo.reportableAreas(db, FIELD_REPORT_LAYER)).map((a) => [a.id, a]))
  let places = (await repo.placesWithArea(db, FIELD_REPORT_PLACE_LAYER, FIELD_REPORT_LAYER)).filter((p) => p.area_id !== null)
  if (user.role === 'local') {
    const share = await shareInsideStadsomrade(db, places.map((p) => p.id), user.stadsomradeCode!)
    places = places.filter((p) => (share.get(p.id) ?? 0) >= INSIDE_SHARE && areas.get(p.area_id!)?.stadsomrade_code === user.stadsomradeCode)
  }
  return places.map((p) => {
    const a = areas.get(p.area_id!)
    return { id: p.id, name: p.name, areaId: p.area_id!, areaName: a?.name ?? '', stadsomradeCode: a?.stadsomrade_code ?? null }
  })
}

async function getReport(db: Kysely<Database> | Transaction<Database>, id: number): Promise<FieldReportDto> {
  const [r] = await repo.reportRows(db, { id })
  if (!r) throw AppError.notFound(`Okänd trygghetsrapport: ${id}`, [{ field: 'id', message: 'rapporten finns inte' }])
  return toDto(r)
}

const mayWriteIn = (user: Reporter, stadsomradeCode: string | null) => user.role !== 'local' || (user.stadsomradeCode !== null && stadsomradeCode === user.stadsomradeCode)

const forbiddenArea = (user: Reporter) =>
  AppError.forbidden('En lokal ledningsgrupp rapporterar bara för primärområden i sitt eget stadsområde', [{ field: 'areaId', message: `välj ett primärområde i ${user.stadsomradeCode ?? 'ditt stadsområde'}` }])

const forbiddenPlace = (user: Reporter) =>
  AppError.forbidden('En lokal ledningsgrupp rapporterar bara på platser i sitt eget stadsområde', [{ field: 'placeId', message: `välj en plats i ${user.stadsomradeCode ?? 'ditt stadsområde'}` }])

/** A report's where: a primärområde, or a drawn place and the primärområde holding most of it. */
interface Where {
  areaId: number | undefined
  placeId: number | null
}
type Place = Awaited<ReturnType<typeof repo.placesWithArea>>[number]

/**
 * Everything but access: the area a current primärområde (derived from the place when one is named: the current
 * primärområde holding its largest part), the week begun, the category active, the text free of personal data.
 */
async function checkReport(db: Kysely<Database>, r: Omit<ReportInput, 'areaId' | 'placeId'> & Where, keepCategory?: string) {
  const details: ErrorDetail[] = []
  const message = personalDataMessage(r.text)
  if (message) details.push({ field: 'text', message })
  const p = parsePeriod(r.week)
  if (!p || p.kind !== 'week') details.push({ field: 'week', message: 'ange en vecka som 2026-W10' })
  else if (p.start > localToday()) details.push({ field: 'week', message: `veckan ${r.week} har inte börjat än` })
  let place: Place | null = null
  let areaId = r.areaId
  if (r.placeId !== null) {
    place = (await repo.placesWithArea(db, FIELD_REPORT_PLACE_LAYER, FIELD_REPORT_LAYER, [r.placeId]))[0] ?? null
    if (!place || place.layer_id !== FIELD_REPORT_PLACE_LAYER || place.valid_to !== null) details.push({ field: 'placeId', message: 'välj en av de inritade platserna' })
    else if (place.area_id === null) details.push({ field: 'placeId', message: `platsen ${place.name} ligger utanför alla primärområden` })
    else areaId = place.area_id
  }
  const area = areaId === undefined ? undefined : await repo.areaWithStadsomrade(db, areaId)
  if (r.placeId === null && areaId === undefined) details.push({ field: 'areaId', message: 'välj ett primärområde eller en inritad plats' })
  else if (r.placeId === null && (!area || area.layer_id !== FIELD_REPORT_LAYER || area.valid_to !== null)) details.push({ field: 'areaId', message: 'välj ett av de nuvarande primärområdena' })
  const category = await repo.categoryRow(db, r.category)
  if (!category) details.push({ field: 'category', message: `okänd kategori: ${r.category}` })
  else if (!category.active && category.id !== keepCategory) details.push({ field: 'category', message: `kategorin ${category.name} används inte längre` })
  if (details.length) {
    // The personal-data refusal is the one a writer must understand: it leads the message.
    throw invalid(message ?? 'Rapporten kan inte sparas: rätta de markerade fälten.', details)
  }
  return { area: area!, place }
}

/** A local group writes in its own stadsområde only: the place ≥ 99 % inside it (as for drawing one), and its primärområde. */
async function checkAccess(db: Kysely<Database>, user: Reporter, area: { stadsomrade_code: string | null }, place: Place | null) {
  if (place && user.role === 'local') {
    const share = (await shareInsideStadsomrade(db, [place.id], user.stadsomradeCode ?? '')).get(place.id) ?? 0
    if (share < INSIDE_SHARE) throw forbiddenPlace(user)
  }
  if (!mayWriteIn(user, area.stadsomrade_code)) throw place ? forbiddenPlace(user) : forbiddenArea(user)
}

/**
 * Rewrites the indicator's observations for the weeks from the reports, in the write's transaction: every
 * current primärområde (and any area holding a report) gets a row for every week that has a report, zero
 * included, so the one derivation sums them upwards; a week with no report left has none. The import_log row
 * versions the data (every cache keys on its id).
 */
async function rewriteWeeks(trx: Transaction<Database>, user: Reporter, weeks: string[], what: { reportId: number; action: string }) {
  const list = [...new Set(weeks)].sort()
  await repo.ensureIndicator(trx, FIELD_REPORT_INDICATOR, user.email)
  const sums = await repo.weekSums(trx, list)
  const areas = await repo.currentAreaIds(trx, FIELD_REPORT_LAYER)
  const reports = sums.reduce((n, s) => n + Number(s.reports), 0)
  const importId = await repo.insertImportLog(trx, {
    fileName: `Trygghetsrapporter ${list.join(', ')}`,
    rows: reports,
    details: { ...what, weeks: list, by: user.email },
  })
  const rows: NewObservation[] = []
  for (const week of list) {
    const inWeek = sums.filter((s) => s.week === week)
    if (inWeek.length === 0) continue
    const p = parsePeriod(week)!
    const total = new Map(inWeek.map((s) => [s.area_id, Number(s.total)]))
    for (const areaId of new Set([...areas, ...total.keys()])) {
      const v = total.get(areaId) ?? 0
      rows.push({ indicator_id: FIELD_REPORT_INDICATOR.id, area_id: areaId, period: week, period_start: p.start, period_end: p.end, value: v, numerator: v, denominator: null, import_id: importId })
    }
  }
  await repo.replaceObservations(trx, FIELD_REPORT_INDICATOR.id, list, rows)
  await repo.markRewrittenReplaced(trx, importId)
}

const auditable = (r: FieldReportDto) => ({ areaId: r.areaId, areaName: r.areaName, placeId: r.placeId, placeName: r.placeName, week: r.week, category: r.category, count: r.count, text: r.text })

export async function createReport(db: Kysely<Database>, user: Reporter, body: unknown): Promise<FieldReportDto> {
  const input = parseBody(reportInput, body)
  const { area, place } = await checkReport(db, { ...input, areaId: input.areaId, placeId: input.placeId ?? null })
  await checkAccess(db, user, area, place)
  const r = { ...input, areaId: area.id, placeId: place?.id ?? null }
  const id = await db.transaction().execute(async (trx) => {
    await repo.lockReports(trx)
    const newId = await repo.insertReport(trx, { ...r, createdBy: user.id })
    await rewriteWeeks(trx, user, [r.week], { reportId: newId, action: 'create' })
    const at = place ? `${place.name} (${area.name})` : area.name
    await recordAudit(trx, user, { action: 'create', entity: 'field_report', entityId: newId, summary: `Trygghetsrapport ${r.week} i ${at}: ${r.count} (${r.category})`, after: { ...r, areaName: area.name, placeName: place?.name ?? null } })
    return newId
  })
  return getReport(db, id)
}

const stale = (read: number, now: number) =>
  new AppError(409, 'conflict', `Rapporten har ändrats av någon annan sedan du öppnade den (version ${read}, nu ${now}). Läs in den igen.`, [{ field: 'version', message: `du läste version ${read}, nu gäller ${now}` }])

export async function updateReport(db: Kysely<Database>, user: Reporter, id: number, body: unknown): Promise<FieldReportDto> {
  const p = parseBody(reportPatch, body)
  const before = await getReport(db, id)
  if (!mayWriteIn(user, before.stadsomradeCode)) throw forbiddenArea(user)
  // A new area without a place moves the report off its place; a place decides the area.
  const placeId = p.placeId !== undefined ? p.placeId : p.areaId !== undefined ? null : before.placeId
  const asked = { areaId: p.areaId ?? before.areaId, placeId, week: p.week ?? before.week, category: p.category ?? before.category, count: p.count ?? before.count, text: p.text ?? before.text }
  const { area, place } = await checkReport(db, asked, before.category)
  await checkAccess(db, user, area, place)
  const next = { ...asked, areaId: area.id }
  if (p.version !== before.version) throw stale(p.version, before.version)
  await db.transaction().execute(async (trx) => {
    await repo.lockReports(trx)
    if (!(await repo.updateReportAt(trx, id, p.version, next))) throw stale(p.version, p.version + 1)
    await rewriteWeeks(trx, user, [before.week, next.week], { reportId: id, action: 'update' })
    await recordAudit(trx, user, { action: 'update', entity: 'field_report', entityId: id, summary: `Trygghetsrapport ${next.week} i ${area.name} ändrad`, before: auditable(before), after: { ...next, areaName: area.name, placeName: place?.name ?? null } })
  })
  return getReport(db, id)
}

export async function deleteReport(db: Kysely<Database>, user: Reporter, id: number, version: number | undefined): Promise<void> {
  const before = await getReport(db, id)
  if (!mayWriteIn(user, before.stadsomradeCode)) throw forbiddenArea(user)
  if (version !== undefined && version !== before.version) throw stale(version, before.version)
  await db.transaction().execute(async (trx) => {
    await repo.lockReports(trx)
    const [now] = await repo.reportRows(trx, { id })
    if (!now) throw AppError.notFound(`Okänd trygghetsrapport: ${id}`, [{ field: 'id', message: 'rapporten finns inte' }])
    if (version !== undefined && now.version !== version) throw stale(version, now.version)
    await repo.deleteReport(trx, id)
    await rewriteWeeks(trx, user, [before.week], { reportId: id, action: 'delete' })
    await recordAudit(trx, user, { action: 'delete', entity: 'field_report', entityId: id, summary: `Trygghetsrapport ${before.week} i ${before.areaName} borttagen`, before: auditable(before) })
  })
}

const categoryDto = (c: Awaited<ReturnType<typeof repo.categoryRows>>[number]): FieldReportCategoryDto => ({ id: c.id, name: c.name, active: c.active, inUse: Boolean(c.in_use) })

export async function listCategories(db: Kysely<Database>): Promise<FieldReportCategoryDto[]> {
  return (await repo.categoryRows(db)).map(categoryDto)
}

async function getCategory(db: Kysely<Database>, id: string): Promise<FieldReportCategoryDto> {
  const c = await repo.categoryRow(db, id)
  if (!c) throw AppError.notFound(`Okänd kategori: ${id}`, [{ field: 'id', message: 'kategorin finns inte' }])
  return categoryDto(c)
}

export async function createCategory(db: Kysely<Database>, user: Actor, body: unknown): Promise<FieldReportCategoryDto> {
  const c = parseBody(categoryInput, body)
  if (await repo.categoryRow(db, c.id)) throw new AppError(409, 'conflict', `Kategorin ${c.id} finns redan`, [{ field: 'id', message: 'id:t är upptaget' }])
  await db.transaction().execute(async (trx) => {
    await repo.insertCategory(trx, c)
    await recordAudit(trx, user, { action: 'create', entity: 'field_report_category', entityId: c.id, summary: `Rapportkategorin ${c.name} skapad`, after: c })
  })
  return getCategory(db, c.id)
}

export async function updateCategory(db: Kysely<Database>, user: Actor, id: string, body: unknown): Promise<FieldReportCategoryDto> {
  const p = parseBody(categoryPatch, body)
  const before = await getCategory(db, id)
  await db.transaction().execute(async (trx) => {
    await repo.updateCategory(trx, id, p)
    const what = p.active === false ? 'avaktiverad' : p.active === true && !before.active ? 'aktiverad' : 'ändrad'
    await recordAudit(trx, user, { action: 'update', entity: 'field_report_category', entityId: id, summary: `Rapportkategorin ${p.name ?? before.name} ${what}`, before, after: p })
  })
  return getCategory(db, id)
}

/** A category no report uses; one in use is deactivated instead (409). */
export async function deleteCategory(db: Kysely<Database>, user: Actor, id: string): Promise<void> {
  const before = await getCategory(db, id)
  if (before.inUse) {
    throw new AppError(409, 'conflict', `Kategorin ${before.name} används av rapporter och kan inte tas bort. Avaktivera den i stället.`, [{ field: 'id', message: 'används av rapporter: avaktivera den (active: false)' }])
  }
  await db.transaction().execute(async (trx) => {
    await repo.deleteCategory(trx, id)
    await recordAudit(trx, user, { action: 'delete', entity: 'field_report_category', entityId: id, summary: `Rapportkategorin ${before.name} borttagen`, before })
  })
}
