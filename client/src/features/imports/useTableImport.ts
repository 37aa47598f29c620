/**
 * The official-table wizard's view model: a file is read on the server (a dry run) into a proposed
 * recipe; the user settles the layer and region column, ticks area matches and picks indicators; the
 * confirmed recipe is sent back to import all or nothing. The pure parts are exported for unit tests.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type {
  RegionMatchDto,
  SavedRecipeDto,
  TableRecipe,
  TablesDryRunDto,
  TablesImportResult,
} from '../../../../server/features/imports/imports.schema'
import { api, type AreaListItem } from '../../lib/api'
import type { ApiError } from '../../lib/apiError'
import { DATA_DERIVED, invalidate, useApiQuery, useAreaList, useIndicators, useLayers } from '../../lib/queries'

export const RECIPES_PATH = '/api/imports/recipes'
/** "Importeras inte": a region or series the user leaves out on purpose. */
export const SKIP = '-'

export interface RegionChoice {
  /** An area code, SKIP, or '' (none chosen yet). */
  pick: string
  /** Confirmed by the user (exact matches and regions that are no area start ticked). */
  ticked: boolean
}

export type Choices = Record<string, RegionChoice>
/** Series key → indicator id, SKIP, or '' (none chosen yet). */
export type SeriesChoices = Record<string, string>

/** The starting choices from a dry run: exact and confirmed ticked, the best suggestion picked but not ticked. */
export function initialChoices(dry: Pick<TablesDryRunDto, 'matches' | 'mapping'>): { regions: Choices; series: SeriesChoices } {
  const regions: Choices = {}
  for (const m of dry.matches) regions[m.region] = firstChoice(m)
  const series: SeriesChoices = {}
  for (const s of dry.mapping) series[s.key] = s.confirmed ? (s.indicatorId ?? SKIP) : ''
  return { regions, series }
}

function firstChoice(m: RegionMatchDto): RegionChoice {
  if (m.confirmed) return { pick: m.code ?? SKIP, ticked: true }
  if (m.status === 'exact') return { pick: m.code ?? '', ticked: true }
  if (m.status === 'not_area') return { pick: SKIP, ticked: true }
  return { pick: m.suggestions[0]?.code ?? '', ticked: false }
}

/** What is still to decide before importing: regions not ticked (or ticked without an area) and series without a choice. */
export function remaining(regions: Choices, series: SeriesChoices): { regions: string[]; series: string[] } {
  return {
    regions: Object.entries(regions)
      .filter(([, c]) => !c.ticked || c.pick === '')
      .map(([r]) => r),
    series: Object.entries(series)
      .filter(([, v]) => v === '')
      .map(([k]) => k),
  }
}

/** The recipe to send: ticked regions and chosen series only, so what is undecided stays unconfirmed. */
export function recipeOf(base: TableRecipe, regions: Choices, series: SeriesChoices): TableRecipe {
  const r: TableRecipe['regions'] = {}
  for (const [region, c] of Object.entries(regions)) if (c.ticked && c.pick !== '') r[region] = c.pick === SKIP ? null : c.pick
  const i: TableRecipe['indicators'] = {}
  for (const [key, v] of Object.entries(series)) if (v !== '') i[key] = v === SKIP ? null : v
  return { ...base, regions: r, indicators: i }
}

/** A file as base64, without the data-URL prefix (the API takes JSON). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(new Error('Filen kunde inte läsas'))
    reader.readAsDataURL(file)
  })
}

interface Send {
  recipe?: TableRecipe
  dryRun: boolean
  replace?: boolean
  saveRecipeAs?: string
}

export function useTableImport() {
  const qc = useQueryClient()
  const layers = (useLayers().data ?? []).filter((l) => l.kind !== 'grid')
  const indicators = useIndicators().data ?? []
  const areaList = useAreaList().data ?? []
  const recipes = useApiQuery<SavedRecipeDto[]>(RECIPES_PATH)
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null)
  const [dry, setDry] = useState<TablesDryRunDto | null>(null)
  const [regions, setRegions] = useState<Choices>({})
  const [series, setSeries] = useState<SeriesChoices>({})
  const [result, setResult] = useState<TablesImportResult | null>(null)
  const [replace, setReplace] = useState(false)
  const [recipeName, setRecipeName] = useState('')

  const send = useMutation<TablesDryRunDto | TablesImportResult, ApiError, Send & { file: { name: string; base64: string } }>({
    mutationFn: (body) => api.post('/api/imports/tables', body),
    onSuccess: (data, body) => {
      if (!body.dryRun || body.saveRecipeAs) void invalidate(qc, ...DATA_DERIVED)
      if ('dryRun' in data) {
        setDry(data)
        const first = initialChoices(data)
        setRegions(first.regions)
        // A series the user already chose keeps its choice when the layout is read again.
        setSeries((prev) => Object.fromEntries(Object.entries(first.series).map(([k, v]) => [k, v || prev[k] || ''])))
      } else setResult(data)
    },
  })

  const analyse = (recipe?: TableRecipe, f = file) => {
    if (!f) return
    setResult(null)
    send.mutate({ file: f, dryRun: true, recipe })
  }
  const left = remaining(regions, series)
  const current = dry ? recipeOf(dry.recipe, regions, series) : null

  return {
    layers,
    indicators,
    savedRecipes: recipes.data ?? [],
    fileName: file?.name ?? null,
    dry,
    result,
    pending: send.isPending,
    error: send.error,
    regions,
    series,
    left,
    canImport: dry !== null && !send.isPending && left.regions.length === 0 && left.series.length === 0 && dry.problems.length === 0,
    replace,
    setReplace,
    recipeName,
    setRecipeName,
    /** The areas of the layer shown, for choosing one by hand. */
    areasOfLayer: (layer: string): AreaListItem[] => areaList.filter((a) => a.layer === layer),
    async chooseFile(f: File | null) {
      setDry(null)
      setResult(null)
      setRegions({})
      setSeries({})
      send.reset()
      if (!f) return setFile(null)
      const chosen = { name: f.name, base64: await fileToBase64(f) }
      setFile(chosen)
      analyse(undefined, chosen)
    },
    /** Reads the file again with another layer or region column: the matches start over. */
    changeLayout(change: Partial<Pick<TableRecipe, 'layer' | 'regionColumn' | 'values'>>) {
      if (!dry || !current) return
      analyse({ ...current, ...change, regions: {} })
    },
    applyRecipe(saved: SavedRecipeDto) {
      const { fingerprint: _fingerprint, ...recipe } = saved.recipe
      setRecipeName(saved.name)
      analyse(recipe)
    },
    pickArea(region: string, pick: string) {
      setRegions({ ...regions, [region]: { pick, ticked: pick !== '' && (regions[region]?.ticked ?? false) } })
    },
    tick(region: string, ticked: boolean) {
      setRegions({ ...regions, [region]: { pick: regions[region]?.pick ?? '', ticked } })
    },
    /** Ticks every region that has a suggestion picked. */
    acceptSuggestions() {
      setRegions(Object.fromEntries(Object.entries(regions).map(([r, c]) => [r, c.pick !== '' ? { ...c, ticked: true } : c])))
    },
    pickIndicator(key: string, value: string) {
      setSeries({ ...series, [key]: value })
    },
    importNow() {
      if (!file || !current) return
      send.mutate({ file, dryRun: false, recipe: current, replace, ...(recipeName.trim() ? { saveRecipeAs: recipeName.trim() } : {}) })
    },
    async deleteRecipe(id: number) {
      await api.delete(`${RECIPES_PATH}/${id}`)
      await invalidate(qc, 'imports')
    },
  }
}

export type TableImportModel = ReturnType<typeof useTableImport>
