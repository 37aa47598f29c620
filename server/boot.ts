import { createDb, migrateToLatest, type Db, type DbConfig } from '../db/connect'
import { assertNotHeld } from '../db/data-dir-lock'
import { refreshStaleDisplayGeometry } from '../db/display-geometry'
import { ensureAgreementGroups } from '../db/organisation'
import { addMissingDerivedLayers, hasDemoData, linkDemoIndicators, seedIfEmpty } from '../geodata/seed'
import type { Role } from '../db/schema'
import type { Config } from './config'
import { ensureDemoAccounts, retireDefaultPasswords } from './features/auth/auth.service'
import { displayGeometries } from './spatial/display-geometry'
import { createDemoContent } from './demo-content'
import { evidenceFigures, snapshotSources } from './sources'

/**
 * Opens the database, applies migrations and, on an empty database, loads boundaries and demo data —
 * and demo accounts while there are no accounts and no real data.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Omit<DbConfig, 'databaseUrl' | 'dataDir'> & { demo?: boolean },
  log: (msg: string) => void = () => {},
  options: { demoAccounts?: boolean } = {},
): Promise<Db & { demoAccounts: Array<{ email: string; role: Role }> }> {
  // A running server holds the embedded directory: a second process opening it would corrupt it.
  if (!config.databaseUrl) await assertNotHeld(config.dataDir)
  // Migrations and the first load are long by nature: they run without the server's request timeouts.
  const db = await createDb({ ...config, statementTimeoutMs: undefined, lockTimeoutMs: undefined })
  try {
    const applied = await migrateToLatest(db.kysely)
    if (applied.length) log(`Migreringar körda: ${applied.join(', ')}`)
    const started = Date.now()
    const demo = config.demo ?? true
    const report = await seedIfEmpty(db.kysely, undefined, { demo })
    if (report) {
      log(
        `Första start: läste in ${Object.entries(report.areas).map(([l, n]) => `${n} ${l}`).join(', ')} ` +
          (demo ? `och ${report.observations} demovärden (syntetiska) ` : 'och befolkningen, utan demodata (DEMO=false), ') +
          `på ${((Date.now() - started) / 1000).toFixed(1)} s`,
      )
      for (const r of report.repaired) log(`Geometri reparerad: ${r.layer} ${r.code}: ${r.reason}`)
      for (const n of report.nesting.filter((x) => !x.nested)) log(`${n.child} ryms inte helt i ${n.parent}: ${n.orphans.join(', ')}`)
    }
    // A database whose display geometry an older version made (each polygon simplified alone) gets it anew.
    const redone = await refreshStaleDisplayGeometry(db.kysely, displayGeometries)
    if (redone.length) log(`Visningsgeometri omgjord med delade gränser: ${redone.map((r) => `${r.areas} ${r.layer} (från ${r.validFrom})`).join(', ')}`)
    for (const d of [...(report?.display ?? []), ...redone]) {
      for (const u of d.unresolved) log(`Visningsgeometri ${d.layer}: ${u}`)
    }
    const added = await addMissingDerivedLayers(db.kysely)
    if (added.length) log(`Nya indelningar byggda av primärområden: ${added.join(', ')}`)
    const groups = await ensureAgreementGroups(db.kysely)
    if (groups.length) log(`Lokala ledningsgrupper: ${groups.join(', ')}`)
    await linkDemoIndicators(db.kysely)
    if (report && demo) {
      const content = await createDemoContent(db.kysely, snapshotSources(db), evidenceFigures(db))
      log(`Demoinnehåll: ${content.measures} åtgärder och en publicerad lägesbild (/lagesbilder/${content.snapshotId})`)
    }
    for (const a of await retireDefaultPasswords(db.kysely)) {
      log(`Kontot ${a.email} (${a.role}) hade demolösenordet i en databas med riktiga data och har stängts av.`)
    }
    // Demo accounts only where the demo set was loaded: a database started without it never gets them.
    const withDemo = options.demoAccounts !== false && (await hasDemoData(db.kysely))
    const demoAccounts = withDemo ? await ensureDemoAccounts(db.kysely) : []
    if (db.engine === 'postgresql' && (config.statementTimeoutMs || config.lockTimeoutMs)) {
      await db.close()
      return Object.assign(await createDb(config), { demoAccounts })
    }
    return Object.assign(db, { demoAccounts })
  } catch (err) {
    await db.close()
    throw err
  }
}
