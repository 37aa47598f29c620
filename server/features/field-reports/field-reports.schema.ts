import { z } from 'zod'

const WEEK = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/
const week = z.string({ error: 'ange en vecka som 2026-W10' }).trim().regex(WEEK, 'ange en vecka som 2026-W10')
const text = z.string({ error: 'texten ska vara text' }).trim().max(500, 'högst 500 tecken')

const areaId = z.number({ error: 'välj ett primärområde' }).int('välj ett primärområde').positive('välj ett primärområde')
const placeId = z.number({ error: 'välj en inritad plats' }).int('välj en inritad plats').positive('välj en inritad plats').nullable()

/** A report names a primärområde (`areaId`) or a drawn place (`placeId`), whose primärområde is then derived. */
export const reportInput = z.object({
  areaId: areaId.optional(),
  placeId: placeId.optional(),
  week,
  category: z.string({ error: 'välj en kategori' }).trim().min(1, 'välj en kategori').max(64, 'välj en kategori'),
  count: z.number({ error: 'ange antalet som ett heltal' }).int('ange antalet som ett heltal').min(1, 'minst 1').max(10_000, 'högst 10 000'),
  text: text.default(''),
})
export type ReportInput = z.infer<typeof reportInput>

export const reportPatch = z.object({
  version: z.number({ error: 'ange versionen du läste (version)' }).int().positive(),
  areaId: areaId.optional(),
  /** null: the report no longer names a place. */
  placeId: placeId.optional(),
  week: week.optional(),
  category: reportInput.shape.category.optional(),
  count: reportInput.shape.count.optional(),
  text: text.optional(),
})
export type ReportPatch = z.infer<typeof reportPatch>

const weekQuery = z.string().regex(WEEK, 'ange en vecka som 2026-W10')
export const reportFilters = z.object({
  area: z.coerce.number({ error: 'ange ett område-id' }).int().positive().optional(),
  week: weekQuery.optional(),
  from: weekQuery.optional(),
  to: weekQuery.optional(),
  /** The reports in a stadsområde's primärområden (its code). */
  stadsomrade: z.string().regex(/^[0-9A-Za-z_-]{1,16}$/, 'ange ett stadsområdes kod').optional(),
})
export type ReportFilters = z.infer<typeof reportFilters>

export const deleteQuery = z.object({ version: z.coerce.number({ error: 'ange versionen' }).int().positive().optional() })

const categoryName = z.string({ error: 'ange ett namn' }).trim().min(2, 'ange ett namn (minst 2 tecken)').max(100, 'högst 100 tecken')
export const categoryInput = z.object({
  id: z
    .string({ error: 'ange ett id' })
    .regex(/^[a-z][a-z0-9_]*$/, 'små bokstäver a–z, siffror och _, börjar med en bokstav')
    .max(64, 'högst 64 tecken'),
  name: categoryName,
  active: z.boolean({ error: 'aktiv är sant eller falskt' }).default(true),
})
export type CategoryInput = z.infer<typeof categoryInput>

export const categoryPatch = z.object({
  name: categoryName.optional(),
  active: z.boolean({ error: 'aktiv är sant eller falskt' }).optional(),
})
export type CategoryPatch = z.infer<typeof categoryPatch>

export interface FieldReportCategoryDto {
  id: string
  name: string
  active: boolean
  /** Reports use it: it can be deactivated, not deleted. */
  inUse: boolean
}

export interface FieldReportDto {
  id: number
  areaId: number
  areaCode: string
  areaName: string
  /** The stadsområde the primärområde lies in. */
  stadsomradeCode: string | null
  /** The drawn place the report names, if any: its primärområde is the area above. */
  placeId: number | null
  placeName: string | null
  week: string
  category: string
  categoryName: string
  count: number
  text: string
  createdBy: string | null
  createdAt: string
  updatedAt: string
  version: number
}

/** A primärområde the caller may report for. */
export interface ReportableAreaDto {
  id: number
  code: string
  name: string
  stadsomradeCode: string
  stadsomradeName: string
}

/** A drawn place the caller may report on, with the primärområde holding most of it. */
export interface ReportablePlaceDto {
  id: number
  name: string
  areaId: number
  areaName: string
  stadsomradeCode: string | null
}
