import { useState } from 'react'
import { useForm, type FieldPath } from 'react-hook-form'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { CycleDto } from '../../lib/api'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { useCreateCycle } from './queries'

interface Values {
  name: string
  startYear: number
  endYear: number
  /** '' : the five default steps. */
  copyFrom: string
  copyProblemAreas: boolean
  makeCurrent: boolean
}

const FIELDS: Array<FieldPath<Values>> = ['name', 'startYear', 'endYear', 'copyFrom', 'copyProblemAreas', 'makeCurrent']
const year = { valueAsNumber: true, validate: (v: number) => (Number.isInteger(v) && v >= 2000 && v <= 2100) || 'ett årtal 2000–2100' } as const

/** Starts the next cycle: by default the two years after the latest, copying the current cycle's steps and problem areas. */
export function CycleForm({ cycles, onSaved, onCancel }: { cycles: CycleDto[]; onSaved(c: CycleDto): void; onCancel(): void }) {
  const latest = cycles.reduce<CycleDto | null>((a, c) => (!a || c.startYear > a.startYear ? c : a), null)
  const current = cycles.find((c) => c.current) ?? latest
  const start = latest ? latest.endYear : new Date().getFullYear()
  const { register, handleSubmit, setError, watch, formState } = useForm<Values>({
    defaultValues: { name: `Lägesbildscykel ${start}–${start + 2}`, startYear: start, endYear: start + 2, copyFrom: current ? String(current.id) : '', copyProblemAreas: current !== null, makeCurrent: false },
  })
  const { errors } = formState
  const create = useCreateCycle()
  const [rest, setRest] = useState<ApiDetail[]>([])
  const copyFrom = watch('copyFrom')
  const submit = handleSubmit((v) => {
    setRest([])
    create.mutate(
      { name: v.name.trim(), startYear: v.startYear, endYear: v.endYear, copyFrom: v.copyFrom ? Number(v.copyFrom) : null, copyProblemAreas: Boolean(v.copyFrom) && v.copyProblemAreas === true, makeCurrent: v.makeCurrent },
      { onSuccess: onSaved, onError: (e) => setRest(showServerErrors(e, setError, FIELDS)) },
    )
  })
  return (
    <form className="measure-form" data-testid="cycle-form" aria-labelledby="cf-h" noValidate onSubmit={(e) => void submit(e)}>
      <h3 id="cf-h">Starta ny cykel</h3>
      <FormProblem problem={create.error} details={rest} />
      <TextField id="cf-name" label="Namn" error={errors.name?.message} {...register('name', { validate: (v) => v.trim().length >= 3 || 'namnet behöver minst 3 tecken' })} />
      <div className="field-row">
        <TextField id="cf-start" label="Startår" type="number" inputMode="numeric" error={errors.startYear?.message} {...register('startYear', year)} />
        <TextField
          id="cf-end"
          label="Slutår"
          type="number"
          inputMode="numeric"
          error={errors.endYear?.message}
          {...register('endYear', { ...year, validate: (v: number, all: Values) => year.validate(v) === true ? v >= all.startYear || 'slutåret kan inte ligga före startåret' : year.validate(v) })}
        />
      </div>
      <Select
        id="cf-copy"
        label="Steg från"
        error={errors.copyFrom?.message}
        options={[{ value: '', label: 'Trygg i-hjulets fem standardsteg' }, ...cycles.map((c) => ({ value: c.id, label: `${c.name} (${c.steps.length} steg)` }))]}
        {...register('copyFrom')}
      />
      <label className="check">
        <input type="checkbox" disabled={!copyFrom} {...register('copyProblemAreas')} /> Kopiera problemområdena som gäller (med delområden, mål och orsaksanalys)
      </label>
      <label className="check">
        <input type="checkbox" {...register('makeCurrent')} /> Gör den nya cykeln till aktuell cykel
      </label>
      <div className="inline">
        <button type="submit" className="primary" disabled={create.isPending}>
          Starta cykeln
        </button>
        <button type="button" onClick={onCancel}>
          Avbryt
        </button>
      </div>
    </form>
  )
}
