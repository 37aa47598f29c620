import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link } from 'react-router'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { MeasuresTabs } from '../../components/MeasuresTabs'
import { Select } from '../../components/Select'
import { TextField } from '../../components/TextField'
import type { ApiDetail } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { STATUS_LABELS } from '../../lib/labels'
import { useAreaList } from '../../lib/queries'
import { isAnalyst, useSession } from '../../lib/session'
import { useCityDecisions, useSamverkansform, useSamverkansformList, useSaveAdaptation, useSaveSamverkansform, type SamverkansformDto } from './queries'
import './samverkansformer.css'

const FORM_STATUS: Record<SamverkansformDto['status'], string> = { aktiv: 'Aktiv', vilande: 'Vilande', avslutad: 'Avslutad' }

/** The five samverkansformer: agreement, parties, status, local adaptations, decisions and measures. */
export function SamverkansformerPage() {
  const list = useSamverkansformList()
  return (
    <main className="page sv-page" id="main">
      <MeasuresTabs />
      <h1>Samverkansformer</h1>
      <p className="lead">
        Samverkansformerna i överenskommelsen, var och en med sitt eget avtal. Ledningsgrupp Trygg i Göteborg startar, reviderar och avslutar dem; de lokala ledningsgrupperna skriver hur de
        anpassas i sitt stadsområde.
      </p>
      {list.error && <p role="alert">{list.error.message}</p>}
      {list.data && (
        <nav aria-label="Samverkansformer" className="sv-index no-print">
          <ul className="plain-list">
            {list.data.map((s) => (
              <li key={s.id}>
                <a href={`#sv-${s.id}`}>{s.name}</a> <span className={`badge sv-status-${s.status}`}>{FORM_STATUS[s.status]}</span>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {list.data?.map((s) => <SamverkansformCard key={s.id} id={s.id} />)}
    </main>
  )
}

function SamverkansformCard({ id }: { id: string }) {
  const { user } = useSession()
  const query = useSamverkansform(id)
  const areas = useAreaList().data ?? []
  const [editing, setEditing] = useState(false)
  const s = query.data
  if (query.error) return <p role="alert">{query.error.message}</p>
  if (!s) return null
  const areaName = (areaId: number) => areas.find((a) => a.id === areaId)?.name ?? String(areaId)
  return (
    <section className="sv-card" id={`sv-${s.id}`} data-samverkansform={s.id} aria-labelledby={`sv-${s.id}-h`}>
      <h2 id={`sv-${s.id}-h`}>
        {s.name} <span className={`badge sv-status-${s.status}`}>{FORM_STATUS[s.status]}</span>
      </h2>
      <p>{s.description}</p>
      {editing ? (
        <SamverkansformForm key={s.version} s={s} onDone={() => setEditing(false)} />
      ) : (
        <>
          <dl className="sv-facts">
            <dt>Avtal</dt>
            <dd data-testid="sv-agreement-ref">{s.agreementRef || <span className="muted">Ingen referens angiven</span>}</dd>
            <dt>Parter</dt>
            <dd data-testid="sv-parties">{s.parties.length ? s.parties.join(', ') : <span className="muted">Inga parter angivna</span>}</dd>
            <dt>Version</dt>
            <dd>
              {s.version}, ändrad {s.updatedAt.slice(0, 10)}
            </dd>
          </dl>
          {s.agreement ? (
            <details>
              <summary>Avtalstext</summary>
              <p className="sv-agreement">{s.agreement}</p>
            </details>
          ) : (
            <p className="muted small">Avtalstexten är inte inlagd än.{isAnalyst(user) ? ' Lägg in den med Ändra.' : ''}</p>
          )}
          {isAnalyst(user) && (
            <p>
              <button type="button" onClick={() => setEditing(true)} aria-label={`Ändra ${s.name}`}>
                Ändra
              </button>
            </p>
          )}
        </>
      )}

      <h3>Lokala anpassningar</h3>
      <ul className="plain-list sv-adaptations">
        {s.adaptations.map((a) => (
          <Adaptation key={a.stadsomradeCode} formId={s.id} formName={s.name} a={a} />
        ))}
      </ul>

      <h3>Beslut</h3>
      {s.decisions.length === 0 ? (
        <p className="muted small">
          Inga beslut i registret nämner {s.name}. Registrera ett under <Link to="/beslut">Beslut</Link>.
        </p>
      ) : (
        <ul className="plain-list sv-decisions">
          {s.decisions.map((d) => (
            <li key={d.id}>
              <span className="nowrap">{d.date}</span> · {d.groupName}: {d.text}
            </li>
          ))}
        </ul>
      )}

      <h3>Åtgärder</h3>
      {s.measures.length === 0 ? (
        <p className="muted small">Inga åtgärder drivs inom {s.name}. En åtgärd knyts till samverkansformen i sitt formulär under Åtgärder.</p>
      ) : (
        <>
          <ul className="plain-list sv-measures">
            {s.measures.map((m) => (
              <li key={m.id}>
                {m.title} <span className="badge">{STATUS_LABELS[m.status]}</span>{' '}
                <span className="muted small">
                  {m.areaIds.map(areaName).join(', ') || 'inga områden'} · {m.followUps === 0 ? 'ingen uppföljning' : `${m.followUps} uppföljningsmått`}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <Link to={`/atgarder?samverkansform=${encodeURIComponent(s.id)}`}>Visa åtgärderna inom {s.name}</Link>
          </p>
        </>
      )}
    </section>
  )
}

interface FormValues {
  description: string
  agreementRef: string
  agreement: string
  parties: string
  status: SamverkansformDto['status']
  decisionId: string
}
const FIELDS = ['description', 'agreementRef', 'agreement', 'parties', 'status', 'decisionId'] as const

function SamverkansformForm({ s, onDone }: { s: SamverkansformDto; onDone: () => void }) {
  const save = useSaveSamverkansform(s.id)
  const decisions = useCityDecisions(true).data ?? []
  const [rest, setRest] = useState<ApiDetail[]>([])
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors },
  } = useForm<FormValues>({
    defaultValues: { description: s.description, agreementRef: s.agreementRef, agreement: s.agreement, parties: s.parties.join('\n'), status: s.status, decisionId: '' },
  })
  const status = watch('status')
  const fid = (f: string) => `sv-${s.id}-${f}`
  const onSubmit = handleSubmit(async (v) => {
    try {
      await save.mutateAsync({
        version: s.version,
        description: v.description,
        agreementRef: v.agreementRef,
        agreement: v.agreement,
        parties: v.parties
          .split('\n')
          .map((p) => p.trim())
          .filter(Boolean),
        status: v.status,
        decisionId: v.decisionId ? Number(v.decisionId) : null,
      })
      onDone()
    } catch (err) {
      setRest(showServerErrors(err, setError, FIELDS))
    }
  })
  return (
    <form className="sv-form" onSubmit={onSubmit} noValidate aria-label={`Ändra ${s.name}`}>
      <div className="field">
        <label htmlFor={fid('description')}>Beskrivning</label>
        <textarea id={fid('description')} rows={2} aria-invalid={errors.description ? true : undefined} {...register('description', { validate: (t) => t.trim().length > 0 || 'beskrivningen får inte vara tom' })} />
        <FieldError field="description" message={errors.description?.message} />
      </div>
      <TextField id={fid('agreementRef')} label="Avtalsreferens (t.ex. Bilaga 2)" error={errors.agreementRef?.message} {...register('agreementRef')} />
      <div className="field">
        <label htmlFor={fid('agreement')}>Avtalstext</label>
        <textarea id={fid('agreement')} rows={5} aria-invalid={errors.agreement ? true : undefined} {...register('agreement')} />
        <FieldError field="agreement" message={errors.agreement?.message} />
      </div>
      <div className="field">
        <label htmlFor={fid('parties')}>Parter (en per rad)</label>
        <textarea id={fid('parties')} rows={3} aria-invalid={errors.parties ? true : undefined} {...register('parties', { validate: (t) => t.trim().length > 0 || 'minst en part' })} />
        <FieldError field="parties" message={errors.parties?.message} />
      </div>
      <Select id={fid('status')} label="Status" error={errors.status?.message} options={Object.entries(FORM_STATUS).map(([value, label]) => ({ value, label }))} {...register('status')} />
      <Select
        id={fid('decisionId')}
        label={status !== s.status ? 'Beslut av Ledningsgrupp Trygg i Göteborg (krävs för ny status)' : 'Beslut av Ledningsgrupp Trygg i Göteborg (valfritt)'}
        error={errors.decisionId?.message}
        options={[{ value: '', label: 'Inget beslut' }, ...decisions.map((d) => ({ value: String(d.id), label: `${d.date}: ${d.text.length > 60 ? `${d.text.slice(0, 60)}…` : d.text}` }))]}
        {...register('decisionId', { validate: (d) => status === s.status || d !== '' || 'en ändrad status kräver ett beslut av Ledningsgrupp Trygg i Göteborg' })}
      />
      {decisions.length === 0 && (
        <p className="muted small">
          Ledningsgrupp Trygg i Göteborg har inga beslut i registret. Registrera beslutet under <Link to="/beslut">Beslut</Link> först.
        </p>
      )}
      <FormProblem problem={save.error} details={rest} />
      <p className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Spara
        </button>{' '}
        <button type="button" onClick={onDone}>
          Avbryt
        </button>
      </p>
    </form>
  )
}

function Adaptation({ formId, formName, a }: { formId: string; formName: string; a: SamverkansformDto['adaptations'][number] }) {
  const [editing, setEditing] = useState(false)
  const [text, setText] = useState(a.text)
  const save = useSaveAdaptation(formId, a.stadsomradeCode)
  const id = `sv-${formId}-ad-${a.stadsomradeCode}`
  return (
    <li data-adaptation={a.stadsomradeCode}>
      <strong>{a.stadsomradeName}:</strong>{' '}
      {editing ? (
        <form
          className="sv-form"
          onSubmit={(e) => {
            e.preventDefault()
            save.mutate(text.trim(), { onSuccess: () => setEditing(false) })
          }}
        >
          <div className="field">
            <label htmlFor={id}>Lokal anpassning av {formName} i {a.stadsomradeName}</label>
            <textarea id={id} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <FormProblem problem={save.error} />
          <p className="actions">
            <button type="submit" className="primary" disabled={save.isPending}>
              Spara
            </button>{' '}
            <button type="button" onClick={() => setEditing(false)}>
              Avbryt
            </button>
          </p>
        </form>
      ) : (
        <>
          {a.text ? <span className="sv-adaptation-text">{a.text}</span> : <span className="muted">Ingen lokal anpassning.</span>}{' '}
          {a.editable && (
            <button
              type="button"
              className="link"
              aria-label={`${a.text ? 'Ändra' : 'Skriv'} lokal anpassning av ${formName} i ${a.stadsomradeName}`}
              onClick={() => {
                setText(a.text)
                setEditing(true)
              }}
            >
              {a.text ? 'Ändra' : 'Skriv'}
            </button>
          )}
        </>
      )}
    </li>
  )
}
