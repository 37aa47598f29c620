import { z } from 'zod'

export const statementBody = z.object({
  text: z.string({ error: 'skriv kommentaren (text)' }).trim().min(1, 'kommentaren får inte vara tom').max(5000, 'högst 5 000 tecken'),
  /** The version read, if any: a stale one is refused rather than overwriting a colleague's text. */
  version: z.number({ error: 'versionen är ett heltal' }).int('versionen är ett heltal').min(0, 'versionen är ett heltal').optional(),
})
export type StatementInput = z.infer<typeof statementBody>

export const approveBody = z.object({
  /** The version of the text the approver read: approving a text that changed since is refused. */
  version: z.number({ error: 'versionen är ett heltal' }).int('versionen är ett heltal').positive('versionen är ett heltal').optional(),
})

export interface StatementApprovalDto {
  organisation: 'staden' | 'polisen'
  /** Analysts only: who approved. */
  email?: string
  name?: string
  approvedAt: string
}

/** The joint statement on a lägesbild; the public sees it only once staden and polisen have both approved it. */
export interface StatementDto {
  snapshotId: number
  /** '' and version 0 while nothing is written. */
  text: string
  version: number
  approvals: StatementApprovalDto[]
  /** Both parties approved the current text. */
  approved: boolean
  updatedAt: string | null
  /** Analysts only. */
  updatedBy?: string
}

/** The public page of a stadsområde: one published lägesbild's figures, measures and joint statement. */
export interface AreaPageFigure {
  indicator: string
  name: string
  unit: 'count' | 'rate_per_1000' | 'percent' | 'index'
  category: string
  polarity: string
  source: string
  demo: boolean
  period: string
  value: number | null
  suppressed: boolean
  /** The whole city's figure for the same period, when frozen. */
  city: { value: number | null; suppressed: boolean } | null
}

/** Like a neighbourhood priority: the issue (problem area), the action (measure) and its dates and status. */
export interface AreaPagePriority {
  measureId: number
  issue: string
  action: string
  description: string
  status: 'planerad' | 'pagaende' | 'avslutad'
  startDate: string
  endDate: string | null
  owners: string[]
}

export interface AreaPageDto {
  snapshot: { id: number; title: string; publishedAt: string }
  area: { id: number; code: string; name: string }
  /** The other stadsområden of the same lägesbild, for links. */
  areas: Array<{ code: string; name: string }>
  figures: AreaPageFigure[]
  priorities: AreaPagePriority[]
  /** Only an approved statement; null otherwise. */
  statement: StatementDto | null
  csvPath: string
}

const areaCode = z.string().trim().min(1, 'ange stadsområdets kod').max(64)
export const areaCodeParams = z.object({ code: areaCode })
export const areaCsvParams = z.object({ id: z.coerce.number().int().positive(), code: areaCode })
/** Another published lägesbild than the latest. */
export const areaPageQuery = z.object({ snapshot: z.coerce.number().int().positive().optional() })
