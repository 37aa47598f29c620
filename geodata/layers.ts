import type { LayerKind } from '../db/schema'

/** How a GeoJSON feature's properties become an area's code, name and attributes. */
export interface FeatureMapping {
  code: (p: Record<string, unknown>) => string
  name: (p: Record<string, unknown>) => string
  attributes?: (p: Record<string, unknown>) => Record<string, unknown>
}

export interface LayerSpec {
  id: string
  name: string
  kind: LayerKind
  description: string
  source: string
  licence: string
  /** First day this version of the boundaries applies. */
  validFrom: string
  sortOrder: number
  approximate?: { reason: string }
  file?: string
  mapping?: FeatureMapping
}

const str = (v: unknown) => String(v ?? '').trim()
const GBG = 'Göteborgs Stad, områdesindelning 2025-01-01 (via globalfunlearning/gothenburg_maps)'
const GBG_LICENCE = 'Öppna data från Göteborgs Stad; sammanställning MIT (© Henrik Söderholm)'
const SCB = 'SCB, DeSO/RegSO 2025_v1 (via globalfunlearning/gothenburg_maps)'

export const LAYERS: LayerSpec[] = [
  {
    id: 'stadsomrade',
    name: 'Stadsområden',
    kind: 'admin',
    description: 'Göteborgs Stads fyra stadsområden, var och en med en socialförvaltning.',
    source: GBG,
    licence: GBG_LICENCE,
    // The four stadsområden were formed on 2021-01-01 and have kept their boundaries since.
    validFrom: '2021-01-01',
    sortOrder: 10,
    file: 'goteborg_stadsomraden_2025_sweref99tm.geojson',
    mapping: {
      code: (p) => String(Math.trunc(Number(p.omrade_kod))),
      name: (p) => str(p.omrade_namn),
      attributes: (p) => ({ kalla: p.kalla }),
    },
  },
  {
    id: 'lokalpolisomrade',
    name: 'Lokalpolisområden',
    kind: 'police',
    description: 'Polisområde Storgöteborgs lokalpolisområden inom kommunen: City, Hisingen, Syd och Nordost.',
    source: 'Härlett i Lägesbild från Göteborgs Stads primärområden 2025',
    licence: 'Som primärområdena',
    validFrom: '2025-01-01',
    sortOrder: 20,
    approximate: {
      reason:
        'Polisens gränser för lokalpolisområden är inte öppna data. Skiktet är sammansatt av hela primärområden ' +
        'efter de tidigare stadsdelarnas tillhörighet (Majorna-Linné till Syd, Örgryte-Härlanda till City) och ' +
        'kan avvika från polisens verkliga gränser. Importera polisens officiella skikt för exakta gränser.',
    },
  },
  {
    id: 'stadsdel',
    name: 'Stadsdelar (2011–2020)',
    kind: 'admin',
    description:
      'De tio tidigare stadsdelsnämndsområdena (2011–2020), som många uppföljningar och enkäter fortfarande redovisas efter.',
    source: 'Härlett i Lägesbild från Göteborgs Stads primärområden 2025',
    licence: 'Som primärområdena',
    validFrom: '2025-01-01',
    sortOrder: 25,
    approximate: {
      reason:
        'Sammansatt av hela primärområden efter mellanområde. Stadsdelarnas gränser från 2011–2020 följde inte alltid ' +
        'dagens primärområden, så skiktet kan avvika något från de gamla stadsdelsnämndernas områden.',
    },
  },
  {
    id: 'utsatt_omrade',
    name: 'Utsatta områden',
    kind: 'police_list',
    description: 'Polisens lista över utsatta och särskilt utsatta områden i Göteborg, 2025 (gäller från 2025-12-01).',
    source: 'Polisen, uso_2025 (polisen.se), via annika-cmyk/clientflow-api-proxy',
    licence: 'Polisens öppet publicerade data (ingen licens angiven)',
    validFrom: '2025-12-01',
    sortOrder: 30,
    file: 'goteborg_utsatta_omraden_polisen_2025_sweref99tm.geojson',
    mapping: {
      // SPECIALOMRADES_ID is the police's id of the area; OMRADESKOD is its lokalpolisområde's code.
      code: (p) => str(p.SPECIALOMRADES_ID),
      name: (p) => str(p.NAMN),
      attributes: (p) => ({
        class: str(p.KATEGORI).toLowerCase().startsWith('särskilt') ? 'sarskilt_utsatt' : 'utsatt',
        classLabel: str(p.KATEGORI),
        listYear: 2025,
        onListSince: str(p.AKTUALITET_START) || null,
        lokalpolisomrade: str(p.LOKALPOLISOMRADE),
        lokalpolisomradeKod: str(p.OMRADESKOD),
      }),
    },
  },
  {
    id: 'primaromrade',
    name: 'Primärområden',
    kind: 'admin',
    description: 'Göteborgs Stads 96 primärområden med mellanområde, stadsområde och socioekonomisk indelning.',
    source: GBG,
    licence: GBG_LICENCE,
    validFrom: '2025-01-01',
    sortOrder: 40,
    file: 'goteborg_primaromraden_2025_sweref99tm.geojson',
    mapping: {
      code: (p) => str(p.omrade_kod),
      name: (p) => str(p.omrade_namn),
      attributes: (p) => ({
        mellanomradeKod: str(p.mellanomrade_kod),
        mellanomrade: str(p.mellanomrade_namn),
        stadsomrade: str(p.stadsomrade_namn),
        socioekonomiskKlass: Number(p.gbg_socioekonomisk_omr_kod),
        socioekonomiskKlassNamn: str(p.gbg_socioekonomisk_omr_namn),
      }),
    },
  },
  {
    id: 'regso',
    name: 'RegSO',
    kind: 'statistical',
    description: 'SCB:s regionala statistikområden (RegSO) 2025 i Göteborg. Gränserna omfattar vatten.',
    source: SCB,
    licence: 'SCB öppna data (CC0)',
    validFrom: '2025-01-01',
    sortOrder: 50,
    file: 'goteborg_regso_2025_scb_sweref99tm.geojson',
    mapping: { code: (p) => str(p.regsokod), name: (p) => str(p.regsonamn) },
  },
  {
    id: 'deso',
    name: 'DeSO',
    kind: 'statistical',
    description: 'SCB:s demografiska statistikområden (DeSO) 2025 i Göteborg. Gränserna omfattar vatten.',
    source: SCB,
    licence: 'SCB öppna data (CC0)',
    validFrom: '2025-01-01',
    sortOrder: 60,
    file: 'goteborg_deso_2025_scb_sweref99tm.geojson',
    mapping: {
      code: (p) => str(p.desokod),
      name: (p) => `${str(p.desokod)} (${str(p.RegSO_2025)})`,
      attributes: (p) => ({ regsokod: str(p.regsokod), regso: str(p.RegSO_2025) }),
    },
  },
]

/**
 * The approximate lokalpolisområden, built from mellanområden (codes from the primärområde file).
 * Police areas follow the former stadsdelar: City = Centrum + Örgryte-Härlanda, Syd = Majorna-Linné +
 * Askim-Frölunda-Högsbo + Västra Göteborg, Hisingen = Lundby + Norra/Västra Hisingen, Nordost = Angered + Östra Göteborg.
 */
export const LOKALPOLISOMRADE_BY_MELLANOMRADE: Record<string, { code: string; name: string }> = Object.fromEntries([
  ...['30', '31', '32', '33', '37', '38', '39'].map((m) => [m, { code: 'city', name: 'City' }]),
  ...['34', '35', '36', '50', '51', '52', '53', '54', '55', '56', '57'].map((m) => [m, { code: 'syd', name: 'Syd' }]),
  ...['70', '71', '72', '73', '74', '75', '76', '77', '78', '79', '80'].map((m) => [m, { code: 'hisingen', name: 'Hisingen' }]),
  ...['10', '11', '12', '13', '14', '15', '16'].map((m) => [m, { code: 'nordost', name: 'Nordost' }]),
])

/**
 * The ten former stadsdelsnämndsområden (2011–2020) by mellanområde: Centrum, Örgryte-Härlanda and
 * Majorna-Linné (now stadsområde Centrum), Angered and Östra Göteborg (Nordost), Askim-Frölunda-Högsbo and
 * Västra Göteborg (Sydväst), Lundby, Norra Hisingen and Västra Hisingen (Hisingen).
 */
export const STADSDEL_BY_MELLANOMRADE: Record<string, { code: string; name: string }> = Object.fromEntries(
  (
    [
      ['centrum', 'Centrum', ['32', '33', '37']],
      ['orgryte_harlanda', 'Örgryte-Härlanda', ['30', '31', '38', '39']],
      ['majorna_linne', 'Majorna-Linné', ['34', '35', '36']],
      ['angered', 'Angered', ['10', '14', '15', '16']],
      ['ostra_goteborg', 'Östra Göteborg', ['11', '12', '13']],
      ['askim_frolunda_hogsbo', 'Askim-Frölunda-Högsbo', ['50', '51', '52', '56']],
      ['vastra_goteborg', 'Västra Göteborg', ['53', '54', '55', '57']],
      ['lundby', 'Lundby', ['72', '73', '74']],
      ['norra_hisingen', 'Norra Hisingen', ['70', '71', '77']],
      ['vastra_hisingen', 'Västra Hisingen', ['75', '76', '78', '79', '80']],
    ] as const
  ).flatMap(([code, name, mellan]) => mellan.map((m) => [m, { code, name }])),
)

/** Layers built from whole primärområden, grouped by their mellanområde. */
export const DERIVED_FROM_PRIMAROMRADEN: Record<string, Record<string, { code: string; name: string }>> = {
  lokalpolisomrade: LOKALPOLISOMRADE_BY_MELLANOMRADE,
  stadsdel: STADSDEL_BY_MELLANOMRADE,
}

/** Pairs whose nesting is checked geometrically at load; only pairs that fully nest are recorded. */
export const NESTING_CANDIDATES: Array<[child: string, parent: string]> = [
  ['primaromrade', 'stadsomrade'],
  ['primaromrade', 'lokalpolisomrade'],
  ['primaromrade', 'stadsdel'],
  ['deso', 'regso'],
]

export const POPULATION_FILE = 'goteborg_primaromraden_befolkning_2025.csv'
export const POPULATION_SOURCE = 'Göteborgs Stad / SCB befolkningsregister, 2025-01-01 (via globalfunlearning/gothenburg_maps)'
