/**
 * What the demo start shows beyond its synthetic figures: a handful of measures with follow-up and a
 * published lägesbild, so every page has something to show on a fresh clone. Made through the features'
 * own services (validation, history, audit), once, right after the first-start load of demo data.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { getValues } from './features/indicators/indicators.service'
import { createMeasure, type MeasureEditor } from './features/measures/measures.service'
import { createDecision } from './features/plans/decisions.service'
import { createCause } from './features/priorities/priorities.service'
import type { CauseInput, FigureSource } from './features/priorities/priorities.schema'
import { addFollowUp, adoptVersion, createPlan, saveDraft } from './features/plans/plans.service'
import { createSnapshot, publishSnapshot, type SnapshotSources } from './features/snapshots/snapshots.service'

/** The demo's author in the audit log: no account, like the command line. */
const DEMO_EDITOR: MeasureEditor = { id: null, email: 'demo (första start)', role: 'admin', stadsomradeCode: null }

export const DEMO_SNAPSHOT_TITLE = 'Lägesbild 2025 (demo)'

interface DemoMeasure {
  title: string
  description: string
  problemArea: string
  purpose: 'brottsforebyggande' | 'trygghetsskapande' | 'bada'
  prevention: 'social_universell' | 'social_selektiv' | 'social_indikerad' | 'situationell'
  level: 'strategisk' | 'operativ'
  owners: string[]
  samverkansform: string | null
  areas: { layer: string; names: string[] }
  status: 'planerad' | 'pagaende' | 'avslutad'
  startDate: string
  endDate: string | null
  /** Follow-up on one area's count (of the measure's layer): the baseline is read from the data, the target a share of it. */
  followUp?: { indicatorId: string; area: string; baselinePeriod: string; targetPeriod: string; targetShare: number }
  /** Titles of the orsaksanalys' causes (DEMO_CAUSES) the measure addresses. */
  causes?: string[]
  /** A place-based measure's comparison area (same layer) and displacement buffer, for WDQ/WDD. */
  displacement?: { comparisonArea: string; bufferM: number }
}

/** The orsaksanalys of Särskilt utsatta områden/platser: causes with the figures they rest on (derived when read). */
const DEMO_CAUSES: Array<Omit<CauseInput, 'evidence'> & { evidence: Array<{ indicatorId: string; area: { layer: string; name: string } | null; period: string }> }> = [
  {
    kind: 'plats',
    title: 'Rån samlas vid några torg och hållplatser',
    description: 'Rånen i Nordost sker till stor del kvällstid vid torg och hållplatser med många förbipasserande och dålig sikt. (Demo)',
    sources: 'Anmälda brott per område (demodata); platsbesök vid trygghetsvandringar 2024.',
    evidence: [
      { indicatorId: 'demo_ran', area: { layer: 'stadsomrade', name: 'Nordost' }, period: '2024' },
      { indicatorId: 'demo_ran', area: null, period: '2024' },
    ],
  },
  {
    kind: 'plats',
    title: 'Mörka och otrygga platser kvällstid kring torg och hållplatser',
    description: 'Boende undviker vissa platser kvällstid; belysning och skymd sikt återkommer i trygghetsvandringarna. (Demo)',
    sources: 'Trygghetsmätningen (demodata).',
    evidence: [{ indicatorId: 'demo_otrygg_kvall', area: { layer: 'stadsomrade', name: 'Nordost' }, period: '2023' }],
  },
  {
    kind: 'garningsperson',
    title: 'Unga rekryteras till kriminella nätverk',
    description: 'Rekryteringen sker tidigt, ofta i grupper där äldre förebilder redan är kriminellt aktiva. (Demo)',
    sources: 'Polisens och socialtjänstens gemensamma bild i ledningsgruppen (demo).',
    evidence: [],
  },
  {
    kind: 'skyddsfaktor',
    title: 'Skolgång som leder vidare',
    description: 'Behörighet till gymnasiet skyddar mot att dras in i kriminalitet; andelen är lägre i de utsatta områdena. (Demo)',
    sources: 'Skolans statistik (demodata).',
    evidence: [{ indicatorId: 'demo_behoriga_gymnasiet', area: { layer: 'stadsomrade', name: 'Nordost' }, period: '2025' }],
  },
]

export const DEMO_MEASURES: DemoMeasure[] = [
  {
    title: 'Trygghetsvandringar och belysning i Bergsjön',
    description: 'Boende, bostadsbolag, staden och polisen går området kvällstid, pekar ut mörka och otrygga platser och åtgärdar dem. (Demo)',
    problemArea: 'Särskilt utsatta områden/platser',
    purpose: 'trygghetsskapande',
    prevention: 'situationell',
    level: 'operativ',
    owners: ['staden', 'polisen', 'Bostadsbolaget'],
    samverkansform: null,
    areas: { layer: 'utsatt_omrade', names: ['Bergsjön'] },
    status: 'pagaende',
    startDate: '2024-03-01',
    endDate: null,
    causes: ['Mörka och otrygga platser kvällstid kring torg och hållplatser'],
  },
  {
    title: 'Platssamverkan mot rån i Nordost',
    description: 'Riktad närvaro och kameraövervakning vid torg och hållplatser där rånen samlas. (Demo)',
    problemArea: 'Särskilt utsatta områden/platser',
    purpose: 'brottsforebyggande',
    prevention: 'situationell',
    level: 'operativ',
    owners: ['polisen', 'staden'],
    samverkansform: null,
    areas: { layer: 'stadsomrade', names: ['Nordost'] },
    status: 'pagaende',
    startDate: '2023-01-15',
    endDate: null,
    followUp: { indicatorId: 'demo_ran', area: 'Nordost', baselinePeriod: '2022', targetPeriod: '2025', targetShare: 0.8 },
    causes: ['Rån samlas vid några torg och hållplatser'],
  },
  {
    title: 'Kameraövervakning och närvaro vid Hjällbo torg',
    description: 'Kameror och riktad närvaro på torget; rånen följs i Hjällbo, i området runt omkring (förskjutning) och i Norra Biskopsgården som jämförelse. (Demo)',
    problemArea: 'Särskilt utsatta områden/platser',
    purpose: 'brottsforebyggande',
    prevention: 'situationell',
    level: 'operativ',
    owners: ['polisen', 'staden'],
    samverkansform: null,
    areas: { layer: 'primaromrade', names: ['Hjällbo'] },
    status: 'pagaende',
    startDate: '2023-03-01',
    endDate: null,
    followUp: { indicatorId: 'demo_ran', area: 'Hjällbo', baselinePeriod: '2022', targetPeriod: '2025', targetShare: 0.7 },
    causes: ['Rån samlas vid några torg och hållplatser'],
    displacement: { comparisonArea: 'Norra Biskopsgården', bufferM: 1500 },
  },
  {
    title: 'SSPF för unga i riskzon på Hisingen',
    description: 'Skola, socialtjänst, polis och fritid samarbetar kring unga som riskerar att dras in i kriminalitet. (Demo)',
    problemArea: 'Barn och unga i riskzon för kriminalitet',
    purpose: 'brottsforebyggande',
    prevention: 'social_indikerad',
    level: 'operativ',
    owners: ['staden', 'polisen'],
    samverkansform: 'SSPF',
    areas: { layer: 'stadsomrade', names: ['Hisingen'] },
    status: 'pagaende',
    startDate: '2023-08-21',
    endDate: null,
    followUp: { indicatorId: 'demo_misshandel_utomhus', area: 'Hisingen', baselinePeriod: '2022', targetPeriod: '2025', targetShare: 0.9 },
  },
  {
    title: 'Inbrottsförebyggande grannsamverkan i Sydväst',
    description: 'Grannsamverkan, märkning och information om lås och larm i villa- och radhusområden. (Demo)',
    problemArea: 'Särskilt utsatta områden/platser',
    purpose: 'brottsforebyggande',
    prevention: 'situationell',
    level: 'operativ',
    owners: ['polisen', 'staden', 'Samverkan mot brott'],
    samverkansform: null,
    areas: { layer: 'stadsomrade', names: ['Sydväst'] },
    status: 'avslutad',
    startDate: '2022-02-01',
    endDate: '2025-06-30',
    followUp: { indicatorId: 'demo_bostadsinbrott', area: 'Sydväst', baselinePeriod: '2021', targetPeriod: '2025', targetShare: 0.85 },
  },
  {
    title: 'Kartläggning av våld i nära relationer',
    description: 'Gemensam kartläggning av stöd och anmälningsvägar inför nästa åtgärdsplan. (Demo)',
    problemArea: 'Våld i nära relationer',
    purpose: 'bada',
    prevention: 'social_selektiv',
    level: 'strategisk',
    owners: ['staden', 'polisen'],
    samverkansform: null,
    areas: { layer: 'stadsomrade', names: ['Centrum', 'Hisingen', 'Nordost', 'Sydväst'] },
    status: 'planerad',
    startDate: '2026-02-01',
    endDate: null,
  },
]

async function areaIds(db: Kysely<Database>, layer: string, names: string[]): Promise<number[]> {
  const rows = await db.selectFrom('areas').select(['id', 'name']).where('layer_id', '=', layer).where('name', 'in', names).where('valid_to', 'is', null).execute()
  const missing = names.filter((n) => !rows.some((r) => r.name === n))
  if (missing.length) throw new Error(`Demoåtgärd: okänt område i ${layer}: ${missing.join(', ')}`)
  return rows.map((r) => r.id)
}

async function countIn(db: Kysely<Database>, indicatorId: string, layer: string, area: string, period: string): Promise<number> {
  const values = await getValues(db, 'internal', indicatorId, layer, period)
  const v = values.values.find((x) => x.name === area)?.value
  if (v === null || v === undefined) throw new Error(`Demoåtgärd: inget värde för ${indicatorId} i ${area} ${period}`)
  return v
}

/**
 * The demo's åtgärdsplan: Trygg i Göteborg's decision adopting version 1 for the city-wide problem area
 * Särskilt utsatta områden/platser, its rows linked to the demo measures, with one follow-up.
 */
async function createDemoPlan(db: Kysely<Database>, problemAreas: Array<{ id: number; title: string }>, causeIds: Map<string, number>) {
  const problemAreaId = problemAreas.find((p) => p.title === 'Särskilt utsatta områden/platser')?.id
  if (problemAreaId === undefined) throw new Error('Demoplan: problemområdet Särskilt utsatta områden/platser saknas')
  const measureId = async (title: string) => (await db.selectFrom('measures').select('id').where('problem_area_id', '=', problemAreaId).where('title', '=', title).executeTakeFirst())?.id ?? null
  const plan = await createPlan(db, DEMO_EDITOR, { problemAreaId, title: 'Åtgärdsplan särskilt utsatta områden 2025–2026 (demo)' })
  const saved = await saveDraft(db, DEMO_EDITOR, plan.id, 1, {
    revision: 1,
    rows: [
      {
        causeId: causeIds.get('Mörka och otrygga platser kvällstid kring torg och hållplatser') ?? null,
        measureId: await measureId('Trygghetsvandringar och belysning i Bergsjön'),
        action: 'Trygghetsvandringar med boende och bostadsbolag; belysning där vandringarna pekar ut mörka platser',
        goal: 'En vandring i månaden; åtgärdade platser inom tre månader',
        timing: 'Mars 2025 – december 2026',
        responsible: 'Stadsområde Nordost, lokalpolisområde Nordost, Bostadsbolaget',
        followup: 'Andel otrygga kvällstid (trygghetsmätningen); antal åtgärdade platser',
      },
      {
        causeId: causeIds.get('Rån samlas vid några torg och hållplatser') ?? null,
        measureId: await measureId('Platssamverkan mot rån i Nordost'),
        action: 'Riktad närvaro och kameraövervakning där rånen samlas',
        goal: 'Färre anmälda rån vid de utpekade platserna än 2024',
        timing: '2025 – 2026',
        responsible: 'Polisen, Trafikkontoret',
        followup: 'Anmälda rån per kvartal på platserna',
      },
      {
        causeId: causeIds.get('Unga rekryteras till kriminella nätverk') ?? null,
        action: 'Sociala insatsgrupper (SIG) för unga i riskzon',
        goal: 'Fler unga med individuell plan i SIG',
        timing: '2025 – 2026',
        responsible: 'Socialförvaltningarna och polisen',
        followup: 'Antal unga med individuell plan',
      },
    ],
  })
  const decision = await createDecision(db, DEMO_EDITOR, {
    date: '2025-02-12',
    group: 'trygg_i_goteborg',
    text: 'Ledningsgrupp Trygg i Göteborg antar åtgärdsplanen för särskilt utsatta områden och platser 2025–2026 (demo).',
    affects: [{ kind: 'problem_area', id: problemAreaId }],
  })
  const adopted = await adoptVersion(db, DEMO_EDITOR, plan.id, 1, { decisionId: decision.id, revision: saved.versions[0]!.revision })
  await addFollowUp(db, DEMO_EDITOR, plan.id, adopted.versions[0]!.rows[0]!.id, { status: 'gul', date: '2025-09-30', comment: 'Vandringar varje månad sedan mars; belysningen vid Rymdtorget är beställd men inte på plats.' })
}

/** The demo orsaksanalys, through the priorities service; the ids of its causes by title. */
async function createDemoCauses(db: Kysely<Database>, figures: FigureSource, problemAreaId: number): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const c of DEMO_CAUSES) {
    const evidence = []
    for (const e of c.evidence) evidence.push({ indicatorId: e.indicatorId, period: e.period, areaId: e.area ? (await areaIds(db, e.area.layer, [e.area.name]))[0]! : null })
    ids.set(c.title, (await createCause(db, figures, DEMO_EDITOR, problemAreaId, { ...c, evidence })).id)
  }
  return ids
}

/** Creates the demo measures and publishes the demo lägesbild; for a database just loaded with demo data. */
export async function createDemoContent(db: Kysely<Database>, sources: SnapshotSources, figures: FigureSource): Promise<{ measures: number; snapshotId: number }> {
  const problemAreas = await db.selectFrom('problem_areas').innerJoin('cycles', 'cycles.id', 'problem_areas.cycle_id').where('cycles.current', '=', true).select(['problem_areas.id', 'problem_areas.title']).execute()
  const exposed = problemAreas.find((p) => p.title === 'Särskilt utsatta områden/platser')
  if (!exposed) throw new Error('Demo: problemområdet Särskilt utsatta områden/platser saknas')
  const causeIds = await createDemoCauses(db, figures, exposed.id)
  for (const m of DEMO_MEASURES) {
    const problemAreaId = problemAreas.find((p) => p.title === m.problemArea)?.id
    if (problemAreaId === undefined) throw new Error(`Demoåtgärd: okänt problemområde ${m.problemArea}`)
    const f = m.followUp
    const baseline = f ? await countIn(db, f.indicatorId, m.areas.layer, f.area, f.baselinePeriod) : null
    await createMeasure(db, DEMO_EDITOR, {
      title: m.title,
      description: m.description,
      problemAreaId,
      purpose: m.purpose,
      prevention: m.prevention,
      level: m.level,
      owners: m.owners,
      samverkansform: m.samverkansform,
      areaIds: await areaIds(db, m.areas.layer, m.areas.names),
      causeIds: (m.causes ?? []).map((t) => causeIds.get(t)!),
      comparisonAreaId: m.displacement ? (await areaIds(db, m.areas.layer, [m.displacement.comparisonArea]))[0]! : null,
      displacementBufferM: m.displacement?.bufferM ?? null,
      status: m.status,
      startDate: m.startDate,
      endDate: m.endDate,
      followUp:
        f && baseline !== null
          ? [{ indicatorId: f.indicatorId, baselinePeriod: f.baselinePeriod, target: Math.round(baseline * f.targetShare), targetPeriod: f.targetPeriod }]
          : [],
    })
  }
  await createDemoPlan(db, problemAreas, causeIds)
  const { id } = await createSnapshot(db, sources, DEMO_EDITOR, {
    title: DEMO_SNAPSHOT_TITLE,
    description:
      'Ett exempel på en publicerad lägesbild, byggd på demodata: syntetiska värden, inte verklig statistik. ' +
      'Så här ser allmänheten en lägesbild som staden och polisen har antagit.',
    settings: { layer: 'stadsomrade', indicator: 'demo_ran', period: '2025', search: 'lager=stadsomrade&indikator=demo_ran&period=2025&matt=per1000' },
  })
  await publishSnapshot(db, DEMO_EDITOR, id)
  return { measures: DEMO_MEASURES.length, snapshotId: id }
}
