import { z } from 'zod'

export const idParams = z.object({ id: z.coerce.number().int().positive() })

export const stepStatusInput = z.object({
  stepId: z.number().int().positive(),
  /** null: the city-wide round. */
  areaId: z.number().int().positive().nullable(),
  status: z.enum(['ej_paborjad', 'pagar', 'klar']),
})
export type StepStatusInput = z.infer<typeof stepStatusInput>

export interface CycleDto {
  id: number
  name: string
  startYear: number
  endYear: number
  current: boolean
  steps: Array<{ id: number; ordinal: number; name: string }>
}

export interface ProblemAreaDto {
  id: number
  parentId: number | null
  title: string
  analysis: string
  goals: string
  indicatorIds: string[]
  measureCount: number
}

export interface StepStatusDto {
  stepId: number
  /** null: the city-wide round. */
  areaId: number | null
  status: 'ej_paborjad' | 'pagar' | 'klar'
  updatedAt: string
}
