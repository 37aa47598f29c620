import type { Kysely } from 'kysely'
import { recordAudit, type Actor } from '../../../db/audit'
import type { Database } from '../../../db/schema'
import { changedFields } from '../../core/field-labels'
import { AppError, type ErrorDetail } from '../../errors'
import { parseBody } from '../../http/validate-body'
import {
  crossCheck,
  DEFINITION_FIELDS,
  defaultPolarity,
  DEMO_PREFIX,
  indicatorInput,
  indicatorPatch,
  type IndicatorDefinition,
  type IndicatorInput,
  type IndicatorVersionDto,
} from './indicators.catalogue.schema'
import * as repo from './indicators.catalogue.repository'
import { findIndicator } from './indicators.repository'
import type { IndicatorDto } from './indicators.schema'
import { getIndicators } from './indicators.service'

const notFound = (id: string) => AppError.notFound(`Okänd indikator: ${id}`, [{ field: 'id', message: 'indikatorn finns inte' }])
const invalid = (details: ErrorDetail[]) => new AppError(422, 'validation_failed', `Uppgifterna är inte kompletta: ${details.length} fält behöver rättas.`, details)
const iso = (d: Date | string) => new Date(d).toISOString()

/** The indicator as the catalogue lists it (periods and layers included). */
async function indicatorDto(db: Kysely<Database>, id: string): Promise<IndicatorDto> {
  const dto = (await getIndicators(db)).find((i) => i.id === id)
  if (!dto) throw notFound(id)
  return dto
}

/** The rules of a new indicator that the field checks cannot see: the demo's prefix and the cross-field rules. */
function newIndicatorRules(raw: Record<string, unknown>): ErrorDetail[] {
  const out: ErrorDetail[] = []
  if (typeof raw.id === 'string' && raw.id.startsWith(DEMO_PREFIX)) out.push({ field: 'id', message: `id som börjar med ${DEMO_PREFIX} är reserverade för demodata` })
  const category = raw.category as IndicatorDefinition['category']
  return [...out, ...crossCheck({ unit: raw.unit as IndicatorDefinition['unit'], category, polarity: (raw.polarity ?? defaultPolarity(category)) as IndicatorDefinition['polarity'], survey: raw.survey === true })]
}

/** Field checks and the other rules together, so one 422 names every problem. */
function validateNew(body: unknown): IndicatorDefinition {
  const rules = body && typeof body === 'object' ? newIndicatorRules(body as Record<string, unknown>) : []
  let input: IndicatorInput
  try {
    input = parseBody(indicatorInput, body)
  } catch (err) {
    if (err instanceof AppError && err.status === 422) {
      const fields = new Set(err.details.map((d) => d.field))
      throw invalid([...err.details, ...rules.filter((r) => !fields.has(r.field))])
    }
    throw err
  }
  if (rules.length) throw invalid(rules)
  return { ...input, polarity: input.polarity ?? defaultPolarity(input.category) }
}

export async function createIndicator(db: Kysely<Database>, actor: Actor, body: unknown): Promise<IndicatorDto> {
  const d = validateNew(body)
  const taken = () => new AppError(409, 'conflict', `Id:t ${d.id} används redan av en annan indikator`, [{ field: 'id', message: `${d.id} finns redan: välj ett annat id` }])
  if (await repo.indicatorExists(db, d.id)) throw taken()
  try {
    await db.transaction().execute(async (trx) => {
      const row = await repo.insertIndicator(trx, d)
      await repo.saveHistory(trx, d, 1, row.updated_at, actor.email)
      await recordAudit(trx, actor, { action: 'create', entity: 'indicator', entityId: d.id, summary: `Indikator ”${d.name}” (${d.id}) skapad`, after: { ...d, version: 1 } })
    })
  } catch (err) {
    // Two analysts creating the same id at once: the primary key refuses the second.
    if ((err as { code?: string }).code === '23505') throw taken()
    throw err
  }
  return indicatorDto(db, d.id)
}

export async function updateIndicator(db: Kysely<Database>, actor: Actor, id: string, body: unknown): Promise<IndicatorDto> {
  const patch = parseBody(indicatorPatch, body)
  const { version, id: newId, ...fields } = patch
  const row = await findIndicator(db, id)
  if (!row) throw notFound(id)
  if (newId !== undefined && newId !== id) {
    throw invalid([{ field: 'id', message: 'id:t kan inte ändras: värden, filer och länkar hänvisar till det. Skapa en ny indikator i stället.' }])
  }
  const current = repo.definitionOf(row)
  const merged: IndicatorDefinition = { ...current, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) }
  const rules = crossCheck(merged)
  if (rules.length) throw invalid(rules)

  await db.transaction().execute(async (trx) => {
    const locked = await repo.lockIndicator(trx, id)
    if (!locked) throw notFound(id)
    const now = repo.definitionOf(locked)
    if (locked.version !== version) {
      throw new AppError(
        409,
        'conflict',
        `Indikatorn har ändrats av någon annan sedan du öppnade den (version ${version}, nu ${locked.version}). Läs in den igen.`,
        changedFields(DEFINITION_FIELDS, await repo.historyAt(trx, id, version), now),
      )
    }
    if (merged.unit !== now.unit) {
      const values = await repo.observationCount(trx, id)
      if (values > 0) {
        throw new AppError(409, 'conflict', 'Enheten kan inte ändras medan indikatorn har värden', [
          { field: 'unit', message: `indikatorn har ${values} värden i enheten ${now.unit}: ta bort dem (importen) eller skapa en ny indikator` },
        ])
      }
    }
    // Saving what is already there is no new version.
    if (DEFINITION_FIELDS.every((k) => now[k] === merged[k])) return
    // A definition from before the catalogue (the first start) is kept too, before it is replaced.
    await repo.saveHistory(trx, now, locked.version, locked.updated_at, null)
    const saved = await repo.updateIndicatorAt(trx, merged, locked.version)
    if (!saved) throw new AppError(409, 'conflict', 'Indikatorn ändrades samtidigt av någon annan. Läs in den igen.')
    await repo.saveHistory(trx, merged, saved.version, saved.updated_at, actor.email)
    await recordAudit(trx, actor, {
      action: 'update',
      entity: 'indicator',
      entityId: id,
      summary: `Indikator ”${merged.name}” (${id}) ändrad (version ${saved.version})`,
      before: { ...now, version: locked.version },
      after: { ...merged, version: saved.version },
    })
  })
  return indicatorDto(db, id)
}

export async function deleteIndicator(db: Kysely<Database>, actor: Actor, id: string, version: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const locked = await repo.lockIndicator(trx, id)
    if (!locked) throw notFound(id)
    const now = repo.definitionOf(locked)
    if (locked.version !== version) {
      throw new AppError(409, 'conflict', `Indikatorn har ändrats sedan du öppnade den (version ${version}, nu ${locked.version}).`, changedFields(DEFINITION_FIELDS, await repo.historyAt(trx, id, version), now))
    }
    // Values and problem areas' links would go with it (their keys cascade); targets, follow-ups and evidence would refuse: say which hold it.
    const values = await repo.observationCount(trx, id)
    const refs = await repo.referencesTo(trx, id)
    const holders: ErrorDetail[] = [
      ...(values > 0 ? [{ field: 'values', message: `indikatorn har ${values} värden` }] : []),
      ...refs.problemAreas.map((p) => ({ field: 'problemAreas', message: `problemområdet ”${p.title}” följer indikatorn` })),
      ...refs.measures.map((m) => ({ field: 'measures', message: `åtgärden ”${m.title}” följs upp med indikatorn` })),
      ...refs.causes.map((c) => ({ field: 'causes', message: `orsaken ”${c.title}” har indikatorn som belägg` })),
    ]
    if (holders.length) throw new AppError(409, 'conflict', `”${now.name}” kan inte tas bort: den används`, holders)
    if (!(await repo.deleteIndicatorAt(trx, id, version))) throw new AppError(409, 'conflict', 'Indikatorn ändrades samtidigt av någon annan. Läs in den igen.')
    await recordAudit(trx, actor, { action: 'delete', entity: 'indicator', entityId: id, summary: `Indikator ”${now.name}” (${id}) borttagen`, before: { ...now, version } })
  })
}

/** Every version of an indicator's definition, newest first; one made before the catalogue kept versions is read from the row. */
export async function indicatorHistory(db: Kysely<Database>, id: string): Promise<IndicatorVersionDto[]> {
  const row = await findIndicator(db, id)
  if (!row) throw notFound(id)
  const rows = await repo.historyOf(db, id)
  const out: IndicatorVersionDto[] = rows.map((r) => ({ version: r.version, current: r.version === row.version, savedAt: iso(r.saved_at), savedBy: r.saved_by, definition: r.data as unknown as IndicatorDefinition }))
  if (!rows.some((r) => r.version === row.version)) out.unshift({ version: row.version, current: true, savedAt: iso(row.updated_at), savedBy: null, definition: repo.definitionOf(row) })
  return out
}
