import { useEffect, useState } from 'react'
import { useForm, type FieldPath } from 'react-hook-form'
import { Link } from 'react-router'
import { DataTable } from '../../components/DataTable'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { MeasuresTabs } from '../../components/MeasuresTabs'
import { Select } from '../../components/Select'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { useSession } from '../../lib/session'
import { thisWeek, useCategories, useDeleteReport, useReportAreas, useReportPlaces, useReports, useSaveReport, weekLabel, type FieldReportDto, type ReportDraft } from './queries'
import './field-reports.css'

interface Values {
  areaId: string
  placeId: string
  week: string
  category: string
  count: string
  text: string
}

const FIELDS: Array<FieldPath<Values>> = ['areaId', 'placeId', 'week', 'category', 'count', 'text']

/**
 * Trygghetsrapporter: a local group's coordinator records, per primärområde and week, how many events of
 * insecurity of a category they saw (not police reports), with a short text that names no one. The area's
 * recent reports are listed below, to correct or remove.
 */
export function FieldReportsPage() {
  const { user } = useSession()
  const areas = useReportAreas()
  const [areaId, setAreaId] = useState<number | null>(null)
  const [editing, setEditing] = useState<number | null>(null)
  useEffect(() => {
    if (areaId === null && areas.data?.length) setAreaId(areas.data[0]!.id)
  }, [areas.data, areaId])
  const reports = useReports(areaId)
  const remove = useDeleteReport()
  const areaName = areas.data?.find((a) => a.id === areaId)?.name ?? ''

  return (
    <main className="page field-reports-page" id="main">
      <MeasuresTabs />
      <h1>Trygghetsrapporter</h1>
      <p className="lead">
        Rapportera händelser som påverkar tryggheten men inte är polisanmälningar – antal per primärområde (eller inritad plats) och vecka. Rapporterna blir indikatorn
        Trygghetsrapporter på kartan, med samma sekretessregler som annan statistik. Skriv aldrig personnummer, telefonnummer, e-postadresser eller annat som pekar ut en person.
      </p>
      {areas.error && <p className="error">{areas.error.message}</p>}
      {areas.data && areas.data.length === 0 && (
        <p className="muted">{user?.role === 'local' ? 'Ditt konto är inte knutet till något stadsområde.' : 'Det finns inga primärområden att rapportera för.'}</p>
      )}
      {areas.data && areas.data.length > 0 && areaId !== null && (
        <>
          <ReportForm key="new" report={null} areaId={areaId} onAreaChange={setAreaId} onDone={() => undefined} />
          <section aria-labelledby="recent-h">
            <h2 id="recent-h">Senaste rapporterna i {areaName}</h2>
            <FormProblem problem={remove.error} />
            {reports.isLoading && <p className="muted">Hämtar rapporterna…</p>}
            {reports.data && reports.data.length === 0 && <p className="muted">Inga rapporter för området än.</p>}
            {reports.data && reports.data.length > 0 && (
              <DataTable
                testId="field-reports"
                className="field-report-table stack-narrow"
                rows={reports.data.slice(0, 50)}
                rowKey={(r) => r.id}
                rowProps={(r) => ({ 'data-report': r.id })}
                columns={[
                  { key: 'week', header: 'Vecka', cell: (r) => weekLabel(r.week), rowHeader: true },
                  { key: 'category', header: 'Kategori', cell: (r) => r.categoryName },
                  { key: 'place', header: 'Plats', cell: (r) => r.placeName ?? <span className="muted">–</span> },
                  { key: 'count', header: 'Antal', cell: (r) => r.count, className: 'num' },
                  { key: 'text', header: 'Text', cell: (r) => r.text || <span className="muted">–</span> },
                  { key: 'by', header: 'Rapporterad av', cell: (r) => <span className="small">{r.createdBy ?? '–'}</span> },
                  {
                    key: 'actions',
                    header: <span className="sr-only">Ändra</span>,
                    cell: (r) => (
                      <span className="inline">
                        <button type="button" className="link" onClick={() => setEditing(editing === r.id ? null : r.id)} aria-expanded={editing === r.id}>
                          Ändra
                        </button>
                        <button
                          type="button"
                          className="link"
                          onClick={() => {
                            if (window.confirm(`Ta bort rapporten (${r.categoryName}, ${weekLabel(r.week)})?`)) remove.mutate({ id: r.id, version: r.version })
                          }}
                        >
                          Ta bort
                        </button>
                      </span>
                    ),
                  },
                ]}
                after={(r) =>
                  editing === r.id ? (
                    <tr className="row-panel">
                      <td colSpan={7} className="stack-wide">
                        <ReportForm key={`edit-${r.id}-${r.version}`} report={r} areaId={r.areaId} onDone={() => setEditing(null)} />
                      </td>
                    </tr>
                  ) : null
                }
              />
            )}
          </section>
        </>
      )}
    </main>
  )
}

/** Records a new report (`report` null) or corrects one; a refused text shows the server's message at the text field. */
function ReportForm(p: { report: FieldReportDto | null; areaId: number; onAreaChange?(id: number): void; onDone(): void }) {
  const r = p.report
  const areas = useReportAreas().data ?? []
  const places = useReportPlaces().data ?? []
  const categories = useCategories().data ?? []
  const week = thisWeek()
  const { register, handleSubmit, setError, reset, setValue, watch, formState } = useForm<Values>({
    defaultValues: r
      ? { areaId: String(r.areaId), placeId: r.placeId === null ? '' : String(r.placeId), week: r.week, category: r.category, count: String(r.count), text: r.text }
      : { areaId: String(p.areaId), placeId: '', week, category: '', count: '1', text: '' },
  })
  const { errors } = formState
  const save = useSaveReport()
  const [rest, setRest] = useState<ApiDetail[]>([])
  const [saved, setSaved] = useState<string | null>(null)
  const id = (f: string) => `report-${r?.id ?? 'new'}-${f}`
  // A category no longer in use stays selectable for the reports that have it.
  const offered = categories.filter((c) => c.active || c.id === r?.category)
  const groups = [...new Set(areas.map((a) => a.stadsomradeName))].map((label) => ({
    label,
    options: areas.filter((a) => a.stadsomradeName === label).map((a) => ({ value: String(a.id), label: a.name })),
  }))
  const areaField = register('areaId', { required: 'välj ett primärområde' })
  const placeField = register('placeId')
  const chosen = places.find((pl) => String(pl.id) === watch('placeId'))
  const submit = handleSubmit((v) => {
    setSaved(null)
    setRest([])
    const place = places.find((pl) => String(pl.id) === v.placeId)
    const draft: ReportDraft = { areaId: place?.areaId ?? Number(v.areaId), placeId: place?.id ?? null, week: v.week.trim(), category: v.category, count: Number(v.count), text: v.text }
    return save.mutateAsync({ id: r?.id ?? null, version: r?.version, draft }).then(
      (done) => {
        if (r) p.onDone()
        else {
          setSaved(`Rapporten sparad: ${done.count} ${done.categoryName.toLowerCase()}, ${weekLabel(done.week)} i ${done.placeName ? `${done.placeName} (${done.areaName})` : done.areaName}.`)
          reset({ ...v, count: '1', text: '' })
        }
      },
      (e: unknown) => setRest(showServerErrors(e, setError, FIELDS)),
    )
  })

  return (
    <form className="measure-form field-report-form" data-testid={r ? 'field-report-edit' : 'field-report-form'} aria-labelledby={id('h')} noValidate onSubmit={(e) => void submit(e)}>
      <h2 id={id('h')} className={r ? 'h3' : undefined}>
        {r ? 'Ändra rapporten' : 'Ny rapport'}
      </h2>
      <FormProblem problem={save.error} details={rest} testId="field-report-error" />
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      <div className="field-row">
        <Select
          id={id('area')}
          label="Primärområde"
          error={errors.areaId?.message}
          groups={groups}
          {...areaField}
          disabled={chosen !== undefined}
          {...(chosen ? { 'aria-describedby': id('area-from-place') } : {})}
          onChange={(e) => {
            void areaField.onChange(e)
            if (!r) p.onAreaChange?.(Number(e.target.value))
          }}
        />
        <div className="field">
          <label htmlFor={id('place')}>Plats (valfri)</label>
          <Select
            id={id('place')}
            aria-describedby={id('place-hint')}
            options={[{ value: '', label: 'Ingen plats' }, ...places.map((pl) => ({ value: String(pl.id), label: pl.name }))]}
            {...placeField}
            onChange={(e) => {
              void placeField.onChange(e)
              // The place decides the primärområde: the one holding most of it.
              const pl = places.find((x) => String(x.id) === e.target.value)
              if (pl) {
                setValue('areaId', String(pl.areaId))
                if (!r) p.onAreaChange?.(pl.areaId)
              }
            }}
          />
          <span id={id('place-hint')} className="small muted">
            {chosen ? (
              <span id={id('area-from-place')}>Primärområdet är det som rymmer största delen av platsen: {chosen.areaName}.</span>
            ) : (
              <>
                Platser ritas på <Link to="/">kartan</Link> (Rita en plats).
              </>
            )}
          </span>
          <FieldError id={`${id('place')}-err`} field="placeId" message={errors.placeId?.message} />
        </div>
        <div className="field">
          <label htmlFor={id('week')}>Vecka</label>
          <input
            id={id('week')}
            type="week"
            max={week}
            placeholder="2026-W10"
            aria-invalid={errors.week ? true : undefined}
            aria-describedby={errors.week ? `${id('week')}-err` : undefined}
            {...register('week', { required: 'ange veckan', pattern: { value: /^\d{4}-W\d{2}$/, message: 'ange en vecka som 2026-W10' } })}
          />
          <FieldError id={`${id('week')}-err`} field="week" message={errors.week?.message} />
        </div>
        <Select
          id={id('category')}
          label="Kategori"
          error={errors.category?.message}
          options={[{ value: '', label: 'Välj kategori' }, ...offered.map((c) => ({ value: c.id, label: c.name }))]}
          {...register('category', { required: 'välj en kategori' })}
        />
        <div className="field field-count">
          <label htmlFor={id('count')}>Antal</label>
          <input
            id={id('count')}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            aria-invalid={errors.count ? true : undefined}
            aria-describedby={errors.count ? `${id('count')}-err` : undefined}
            {...register('count', { required: 'ange antalet', validate: (v) => (/^\d+$/.test(v) && Number(v) >= 1) || 'ange ett heltal, minst 1' })}
          />
          <FieldError id={`${id('count')}-err`} field="count" message={errors.count?.message} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={id('text')}>Kort beskrivning</label>
        <textarea
          id={id('text')}
          rows={2}
          maxLength={500}
          aria-invalid={errors.text ? true : undefined}
          aria-describedby={`${id('text')}-hint${errors.text ? ` ${id('text')}-err` : ''}`}
          {...register('text')}
        />
        <span id={`${id('text')}-hint`} className="small muted">
          Högst 500 tecken. Inga personnummer, telefonnummer, e-postadresser eller namn.
        </span>
        <FieldError id={`${id('text')}-err`} field="text" message={errors.text?.message} />
      </div>
      <div className="inline">
        <button type="submit" className="primary" disabled={save.isPending}>
          {r ? 'Spara ändringen' : 'Spara rapporten'}
        </button>
        {r && (
          <button type="button" onClick={p.onDone}>
            Avbryt
          </button>
        )}
      </div>
    </form>
  )
}
