import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** PostGIS geometry travels as EWKB hex text; application code never reads it directly. */
type Geometry = ColumnType<string, string, string>
type DateColumn = ColumnType<string, string, string>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string | undefined, string>
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>

export type LayerKind = 'admin' | 'police' | 'statistical' | 'police_list' | 'grid' | 'drawn'
export type IndicatorUnit = 'count' | 'rate_per_1000' | 'percent' | 'index'
export type IndicatorCategory = 'brott' | 'otrygghet' | 'riskfaktor' | 'skyddsfaktor' | 'aktivitet'
/** `neutral`: effort counts (aktivitet), where higher is neither worse nor better. */
export type Polarity = 'higher_is_worse' | 'higher_is_better' | 'neutral'
export type ImportKind = 'seed' | 'incidents' | 'observations' | 'boundaries' | 'population' | 'tables' | 'field_reports'

export interface AreaLayerTable {
  id: string
  name: string
  kind: LayerKind
  description: string
  source: string
  licence: string
  approximate: boolean
  approximate_reason: string | null
  sort_order: number
}

export interface AreaTable {
  id: Generated<number>
  layer_id: string
  code: string
  name: string
  valid_from: DateColumn
  valid_to: DateColumn | null
  /** MultiPolygon, EPSG:3006: the original geometry, used for analysis. */
  geom: Geometry
  /** MultiPolygon, EPSG:4326: for display, simplified once per shared boundary of its layer, on a 1e-5° grid, RFC 7946 winding. */
  geom_web: Geometry
  /** How geom_web was made (DISPLAY_GEOMETRY_VERSION in db/display-geometry.ts); older ones are made anew at start. */
  geom_web_version: Generated<number>
  attributes: Json<Record<string, unknown>>
  import_id: number | null
}

/** A child area lies (≥ 99 % of its area) inside a parent area of a layer that wholly nests it. */
export interface AreaParentTable {
  child_id: number
  parent_id: number
  share: number
}

export interface LayerNestingTable {
  child_layer_id: string
  parent_layer_id: string
}

export interface AreaPopulationTable {
  area_id: number
  year: number
  population: number
  source: string
  /** The import it came from; null for the first-start load. */
  import_id: ColumnType<number | null, number | null | undefined, number | null>
}

export interface IndicatorTable {
  id: string
  name: string
  description: string
  unit: IndicatorUnit
  category: IndicatorCategory
  source: string
  polarity: Polarity
  min_publish_count: Defaulted<number>
  is_demo: Defaulted<boolean>
  licence: Defaulted<string>
  /** A survey estimate (a share with an interval from a sample), not a register count. */
  survey: Defaulted<boolean>
  /** Raised by every edit; the previous definitions are in indicator_history. */
  version: Defaulted<number>
  updated_at: Timestamp
}

export interface IndicatorHistoryTable {
  indicator_id: string
  version: number
  data: Json<Record<string, unknown>>
  saved_at: Timestamp
  saved_by: string | null
}

/** A saved mapping of an official table's layout to areas and indicators, offered again for next year's file. */
export interface ImportRecipeTable {
  id: Generated<number>
  name: string
  kind: Defaulted<string>
  recipe: Json<Record<string, unknown>>
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ObservationTable {
  id: Generated<number>
  indicator_id: string
  area_id: number
  period: string
  period_start: DateColumn
  period_end: DateColumn
  value: number
  numerator: number | null
  denominator: number | null
  ci_low: number | null
  ci_high: number | null
  import_id: number
}

/** Incident counts per area, month, ISO weekday (1 = Monday) and Stockholm hour (24 = no time given); only counts > 0. */
export interface TimeProfileTable {
  indicator_id: string
  layer_id: string
  area_id: number
  period: string
  weekday: number
  hour: number
  count: number
  import_id: number
}

export interface ImportLogTable {
  id: Generated<number>
  kind: ImportKind
  file_name: string
  file_sha256: string | null
  rows_read: number
  rows_accepted: number
  is_demo: Defaulted<boolean>
  details: Json<Record<string, unknown>>
  created_at: Timestamp
  replaced_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  replaced_by: ColumnType<number | null, number | null | undefined, number | null>
}

export interface CycleTable {
  id: Generated<number>
  name: string
  start_year: number
  end_year: number
  current: Defaulted<boolean>
}

export interface CycleStepTable {
  id: Generated<number>
  cycle_id: number
  ordinal: number
  name: string
}

export interface StepStatusTable {
  step_id: number
  perspective_area_id: Defaulted<number>
  status: 'ej_paborjad' | 'pagar' | 'klar'
  updated_at: Timestamp
  date: DateColumn | null
  responsible: Defaulted<string>
  note: Defaulted<string>
}

export interface ProblemAreaTable {
  id: Generated<number>
  cycle_id: number
  parent_id: number | null
  ordinal: number
  title: string
  analysis: Defaulted<string>
  goals: Defaulted<string>
  /** null: city-wide. */
  area_id: number | null
  version: Defaulted<number>
  retired_at: DateColumn | null
  updated_at: Timestamp
}

export interface ProblemAreaTargetTable {
  id: Generated<number>
  problem_area_id: number
  ordinal: number
  indicator_id: string
  target: number
  target_period: string
}

export interface ProblemAreaHistoryTable {
  problem_area_id: number
  version: number
  data: Json<Record<string, unknown>>
  decision_id: number | null
  saved_by: Defaulted<string>
  saved_at: Timestamp
}

export type CauseKind = 'garningsperson' | 'offer_mal' | 'plats' | 'riskfaktor' | 'skyddsfaktor'

export interface CauseTable {
  id: Generated<number>
  problem_area_id: number
  version: Defaulted<number>
  ordinal: number
  kind: CauseKind
  title: string
  description: Defaulted<string>
  sources: Defaulted<string>
  updated_at: Timestamp
}

export interface CauseEvidenceTable {
  cause_id: number
  ordinal: number
  indicator_id: string
  /** null: the city as a whole. */
  area_id: number | null
  period: string
}

export interface MeasureCauseTable {
  measure_id: number
  cause_id: number
}

export interface DecisionTable {
  id: Generated<number>
  date: DateColumn
  group_id: string
  meeting_id: number | null
  text: string
  created_by: Defaulted<string>
  created_at: Timestamp
}

export type Organisation = 'staden' | 'polisen'
export type GroupKind = 'ledningsgrupp' | 'lokal_ledningsgrupp' | 'natverk' | 'forum' | 'arbetsgrupp'

/** A working group's uppdragsdirektiv. */
export interface GroupMandate {
  purpose: string
  goals: string
  deliverables: string
  timeLimit: string
  givenBy: string
}

export interface GroupTable {
  id: string
  name: string
  kind: GroupKind
  stadsomrade_code: string | null
  mandate: ColumnType<GroupMandate | null, string | null | undefined, string | null>
  version: Defaulted<number>
  created_at: Timestamp
}

export interface GroupMemberTable {
  group_id: string
  ordinal: number
  function: string
  organisation: Organisation
}

export type MeetingStatus = 'planerad' | 'genomford'

export interface MeetingTable {
  id: Generated<number>
  group_id: string
  date: DateColumn
  full_day: Defaulted<boolean>
  chair_organisation: Organisation
  notes_organisation: Organisation | null
  agenda: Defaulted<string>
  minutes: Defaulted<string>
  status: Defaulted<MeetingStatus>
  version: Defaulted<number>
  /** The published lägesbild the meeting's pack is read from. */
  snapshot_id: Defaulted<number | null>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface MeetingActionTable {
  id: Generated<number>
  meeting_id: number
  text: string
  responsible: Defaulted<string>
  done_at: DateColumn | null
  done_meeting_id: number | null
}

export type DecisionAffectKind = 'problem_area' | 'plan' | 'measure' | 'samverkansform' | 'cycle'

export interface DecisionAffectTable {
  decision_id: number
  kind: DecisionAffectKind
  ref: string
}

export interface PlanTable {
  id: Generated<number>
  problem_area_id: number
  title: string
  created_at: Timestamp
}

export interface PlanVersionTable {
  plan_id: number
  version: number
  revision: Defaulted<number>
  decision_id: number | null
  adopted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PlanRowTable {
  id: Generated<number>
  plan_id: number
  version: number
  ordinal: number
  cause_id: number | null
  cause_text: string
  measure_id: number | null
  action: string
  goal: string
  timing: string
  responsible: string
  followup: Defaulted<string>
}

export type TrafficLight = 'gron' | 'gul' | 'rod'

export interface PlanRowFollowupTable {
  id: Generated<number>
  row_id: number
  status: TrafficLight
  date: DateColumn
  comment: Defaulted<string>
  created_by: Defaulted<string>
  created_at: Timestamp
}

export interface ProblemAreaIndicatorTable {
  problem_area_id: number
  indicator_id: string
}

export type SamverkansformStatus = 'aktiv' | 'vilande' | 'avslutad'

export interface SamverkansformTable {
  id: string
  name: string
  description: string
  agreement: Defaulted<string>
  agreement_ref: Defaulted<string>
  parties: ColumnType<string[], string | undefined, string>
  status: Defaulted<SamverkansformStatus>
  version: Defaulted<number>
  updated_at: Timestamp
}

export interface SamverkansformHistoryTable {
  samverkansform_id: string
  version: number
  data: Json<Record<string, unknown>>
  decision_id: number | null
  saved_by: Defaulted<string>
  saved_at: Timestamp
}

export interface SamverkansformAdaptationTable {
  samverkansform_id: string
  stadsomrade_code: string
  text: string
  updated_by: Defaulted<string>
  updated_at: Timestamp
}

export type Purpose = 'brottsforebyggande' | 'trygghetsskapande' | 'bada'
export type Prevention = 'social_universell' | 'social_selektiv' | 'social_indikerad' | 'situationell'
export type Level = 'strategisk' | 'operativ'
export type MeasureStatus = 'planerad' | 'pagaende' | 'avslutad'

export interface MeasureTable {
  id: Generated<number>
  version: Defaulted<number>
  title: string
  description: Defaulted<string>
  problem_area_id: number
  purpose: Purpose
  prevention: Prevention
  level: Level
  owners: Json<string[]>
  samverkansform: string | null
  status: MeasureStatus
  start_date: DateColumn
  end_date: DateColumn | null
  place: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  comparison_area_id: number | null
  displacement_buffer_m: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface MeasureAreaTable {
  measure_id: number
  area_id: number
}

export interface MeasureFollowupTable {
  id: Generated<number>
  measure_id: number
  indicator_id: string
  baseline_period: string
  target: number
  target_period: string
}

export interface MeasureHistoryTable {
  measure_id: number
  version: number
  data: Json<Record<string, unknown>>
  saved_at: Timestamp
}

export type Role = 'admin' | 'analyst' | 'local'

export interface UserTable {
  id: Generated<number>
  email: string
  name: Defaulted<string>
  password_hash: string
  role: Role
  stadsomrade_code: string | null
  organisation: Organisation | null
  disabled: Defaulted<boolean>
  created_at: Timestamp
}

export interface SessionTable {
  token_hash: string
  user_id: number
  csrf_token: string
  created_at: Timestamp
  expires_at: Timestamp
}

/** A personal, read-only API token: only the sha256 of its secret is stored. */
export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: string
  created_at: Timestamp
  last_used_at: Timestamp | null
  expires_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface SignInAttemptTable {
  key_hash: string
  hits: number
  reset_at: Timestamp
}

export interface AuditLogTable {
  id: Generated<number>
  at: Timestamp
  user_id: number | null
  user_email: string | null
  action: string
  entity: string
  entity_id: string | null
  summary: Defaulted<string>
  before: ColumnType<unknown, string | null | undefined, string | null>
  after: ColumnType<unknown, string | null | undefined, string | null>
}

export interface SnapshotTable {
  id: Generated<number>
  title: string
  description: Defaulted<string>
  settings: Json<Record<string, unknown>>
  priorities: Json<Record<string, unknown>>
  data_version: number
  created_by: string
  created_at: Timestamp
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  published_by: string | null
}

export interface SnapshotIndicatorTable {
  snapshot_id: number
  indicator_id: string
  info: Json<Record<string, unknown>>
}

export interface SnapshotLayerTable {
  snapshot_id: number
  layer_id: string
  info: Json<Record<string, unknown>>
  areas: Json<Record<string, unknown>>
}

export interface SnapshotValueTable {
  snapshot_id: number
  indicator_id: string
  layer_id: string
  period: string
  payload: Json<Record<string, unknown>>
  /**
   * The true figures behind the frozen map (analysts' values, [areaId | null for the city, value, numerator,
   * denominator] each), never served: later releases' disclosure audit reads them. Null before 2026-12-06.
   */
  basis: ColumnType<FrozenBasis | null, string | null | undefined, string | null>
}

export type FrozenBasis = Array<[area: number | null, value: number | null, numerator: number | null, denominator: number | null]>

export interface SnapshotDeckTable {
  snapshot_id: number
  slides: Json<unknown[]>
  version: Defaulted<number>
  updated_at: Timestamp
  updated_by: string
}

/** The communication plan's version (one row, id 1). */
export interface CommunicationPlanTable {
  id: number
  version: Defaulted<number>
  updated_by: Defaulted<string>
  updated_at: Timestamp | null
}

/** Who speaks for a party on a topic. */
export interface CommunicationPlanRowTable {
  ordinal: number
  topic: string
  organisation: Organisation
  function: string
  contact: Defaulted<string>
}

/** The joint statement on a published lägesbild. */
export interface SnapshotStatementTable {
  snapshot_id: number
  text: string
  version: Defaulted<number>
  updated_by: string
  updated_at: Timestamp
}

/** One party's approval of the statement's current text. */
export interface SnapshotStatementApprovalTable {
  snapshot_id: number
  organisation: Organisation
  user_id: number | null
  user_email: string
  user_name: Defaulted<string>
  approved_at: Timestamp
}

/** A managed list: a category in use is deactivated, never deleted. */
export interface FieldReportCategoryTable {
  id: string
  name: string
  active: Defaulted<boolean>
  ordinal: Defaulted<number>
}

/** A trygghetsrapport: a count of insecurity events of a category in a primärområde and ISO week, no person data. */
export interface FieldReportTable {
  id: Generated<number>
  area_id: number
  /** A drawn place (an area of the `plats` layer) the report names; area_id is then derived from it. */
  place_id: Defaulted<number | null>
  week: string
  category: string
  count: number
  text: Defaulted<string>
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  version: Defaulted<number>
}

export interface Database {
  area_layers: AreaLayerTable
  areas: AreaTable
  area_parents: AreaParentTable
  layer_nesting: LayerNestingTable
  area_population: AreaPopulationTable
  indicators: IndicatorTable
  indicator_history: IndicatorHistoryTable
  import_recipes: ImportRecipeTable
  observations: ObservationTable
  time_profile: TimeProfileTable
  import_log: ImportLogTable
  cycles: CycleTable
  cycle_steps: CycleStepTable
  step_status: StepStatusTable
  problem_areas: ProblemAreaTable
  problem_area_indicators: ProblemAreaIndicatorTable
  problem_area_targets: ProblemAreaTargetTable
  problem_area_history: ProblemAreaHistoryTable
  causes: CauseTable
  cause_evidence: CauseEvidenceTable
  measure_causes: MeasureCauseTable
  decisions: DecisionTable
  groups: GroupTable
  group_members: GroupMemberTable
  meetings: MeetingTable
  meeting_actions: MeetingActionTable
  decision_affects: DecisionAffectTable
  plans: PlanTable
  plan_versions: PlanVersionTable
  plan_rows: PlanRowTable
  plan_row_followups: PlanRowFollowupTable
  samverkansformer: SamverkansformTable
  samverkansform_history: SamverkansformHistoryTable
  samverkansform_adaptations: SamverkansformAdaptationTable
  measures: MeasureTable
  measure_areas: MeasureAreaTable
  measure_followups: MeasureFollowupTable
  measure_history: MeasureHistoryTable
  users: UserTable
  sessions: SessionTable
  api_tokens: ApiTokenTable
  sign_in_attempts: SignInAttemptTable
  audit_log: AuditLogTable
  snapshots: SnapshotTable
  snapshot_indicators: SnapshotIndicatorTable
  snapshot_layers: SnapshotLayerTable
  snapshot_values: SnapshotValueTable
  snapshot_decks: SnapshotDeckTable
  snapshot_statements: SnapshotStatementTable
  snapshot_statement_approvals: SnapshotStatementApprovalTable
  communication_plan: CommunicationPlanTable
  communication_plan_rows: CommunicationPlanRowTable
  field_report_categories: FieldReportCategoryTable
  field_reports: FieldReportTable
  alerts: AlertTable
}

export interface AlertTable {
  id: Generated<number>
  indicator_id: string
  layer_id: string
  area_id: number
  window: '1w' | '28d'
  week: string
  observed: number
  expected: number
  baseline_years: number
  p: number
  p_adjusted: number
  shown_outside: boolean
  data_version: number
  raised_at: ColumnType<Date, string | undefined, never>
  seen_by: string | null
  seen_at: ColumnType<Date | null, string | null | undefined, string | null>
  handled_by: string | null
  handled_at: ColumnType<Date | null, string | null | undefined, string | null>
  note: Generated<string>
  version: Generated<number>
}

export type AreaLayerRow = Selectable<AreaLayerTable>
export type IndicatorRow = Selectable<IndicatorTable>
export type NewIndicator = Insertable<IndicatorTable>
export type NewObservation = Insertable<ObservationTable>
