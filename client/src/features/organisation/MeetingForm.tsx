import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm, type FieldPath } from 'react-hook-form'
import { Link } from 'react-router'
import { FieldError } from '../../components/FieldError'
import { FormProblem } from '../../components/FormProblem'
import { Select } from '../../components/Select'
import { api } from '../../lib/api'
import type { ApiDetail, ApiError } from '../../lib/apiError'
import { showServerErrors } from '../../lib/forms'
import { invalidate, useApiQuery } from '../../lib/queries'
import { snapshotPaths, type SnapshotSummaryDto } from '../../lib/snapshots'
import { ORG_LABELS, STATUS_LABELS, useAddAction, useMarkAction, useSaveMeeting, type MeetingActionDto, type MeetingDraft, type MeetingDto } from './queries'

interface Values {
  date: string
  fullDay: boolean
  chairOrganisation: 'staden' | 'polisen'
  notesOrganisation: '' | 'staden' | 'polisen'
  agenda: string
  minutes: string
  status: MeetingDto['status']
}

const FIELDS: Array<FieldPath<Values>> = ['date', 'fullDay', 'chairOrganisation', 'notesOrganisation', 'agenda', 'minutes', 'status']

/** Plans a meeting or records a held one; an existing meeting also gets its action items and decisions. */
export function MeetingForm(p: { groupId: string; groupName: string; meeting: MeetingDto | null; suggestedChair: 'staden' | 'polisen'; onDone(): void }) {
  const m = p.meeting
  const other = (o: 'staden' | 'polisen') => (o === 'staden' ? 'polisen' : 'staden')
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    defaultValues: m
      ? { date: m.date, fullDay: m.fullDay, chairOrganisation: m.chairOrganisation, notesOrganisation: m.notesOrganisation ?? '', agenda: m.agenda, minutes: m.minutes, status: m.status }
      : { date: '', fullDay: false, chairOrganisation: p.suggestedChair, notesOrganisation: other(p.suggestedChair), agenda: '', minutes: '', status: 'planerad' },
  })
  const { errors } = formState
  const save = useSaveMeeting()
  const [rest, setRest] = useState<ApiDetail[]>([])
  const id = (f: string) => `meeting-${f}`
  const submit = handleSubmit((v) => {
    const draft: MeetingDraft = { ...v, notesOrganisation: v.notesOrganisation === '' ? null : v.notesOrganisation }
    return save.mutateAsync({ id: m?.id ?? null, version: m?.version, groupId: p.groupId, draft }).then(p.onDone, (e: unknown) => setRest(showServerErrors(e, setError, FIELDS)))
  })

  return (
    <div className="meeting-editor">
      <form className="measure-form" data-testid="meeting-form" aria-labelledby={id('h')} noValidate onSubmit={(e) => void submit(e)}>
        <h3 id={id('h')}>{m ? `Möte ${m.date}` : 'Planera möte'} – {p.groupName}</h3>
        <FormProblem problem={save.error} details={rest} testId="meeting-error" />
        <div className="field-row">
          <div className="field">
            <label htmlFor={id('date')}>Datum</label>
            <input id={id('date')} type="date" aria-invalid={errors.date ? true : undefined} {...register('date', { required: 'ange mötets datum' })} />
            <FieldError field="date" message={errors.date?.message} />
          </div>
          <Select id={id('chair')} label="Ordförande" error={errors.chairOrganisation?.message} options={Object.entries(ORG_LABELS).map(([value, label]) => ({ value, label }))} {...register('chairOrganisation')} />
          <Select
            id={id('notes')}
            label="Anteckningar"
            error={errors.notesOrganisation?.message}
            options={[{ value: '', label: 'Inte bestämt' }, ...Object.entries(ORG_LABELS).map(([value, label]) => ({ value, label }))]}
            {...register('notesOrganisation')}
          />
          <Select id={id('status')} label="Status" error={errors.status?.message} options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))} {...register('status')} />
        </div>
        <label className="inline">
          <input type="checkbox" {...register('fullDay')} /> Heldagsmöte
        </label>
        <div className="field">
          <label htmlFor={id('agenda')}>Dagordning</label>
          <textarea id={id('agenda')} rows={3} {...register('agenda')} />
          <FieldError field="agenda" message={errors.agenda?.message} />
        </div>
        <div className="field">
          <label htmlFor={id('minutes')}>Protokoll</label>
          <textarea id={id('minutes')} rows={4} {...register('minutes')} />
          <FieldError field="minutes" message={errors.minutes?.message} />
        </div>
        <div className="inline">
          <button type="submit" className="primary" disabled={save.isPending}>
            {m ? 'Spara mötet' : 'Planera mötet'}
          </button>
          <button type="button" onClick={p.onDone}>
            {m ? 'Stäng' : 'Avbryt'}
          </button>
        </div>
      </form>
      {m && <MeetingPack meeting={m} />}
      {m && <MeetingFollowUp meeting={m} />}
    </div>
  )
}

/**
 * Mötesunderlag: the published lägesbild the meeting's pack is read from. Once attached, the pack opens as
 * a presentation (and PDF) with the meeting's date and the group's previous meeting from the register.
 */
function MeetingPack({ meeting }: { meeting: MeetingDto }) {
  const qc = useQueryClient()
  const published = (useApiQuery<SnapshotSummaryDto[]>(snapshotPaths.list()).data ?? []).filter((s) => s.published)
  const [chosen, setChosen] = useState('')
  const attach = useMutation<MeetingDto, ApiError, number | null>({
    mutationFn: (snapshotId) => api.patch<MeetingDto>(`/api/meetings/${meeting.id}`, { version: meeting.version, snapshotId }),
    onSuccess: () => invalidate(qc, 'meetings'),
  })
  const attached = published.find((s) => s.id === meeting.snapshotId)
  const value = chosen || String(meeting.snapshotId ?? published[0]?.id ?? '')
  return (
    <section className="meeting-pack" aria-labelledby={`pack-h-${meeting.id}`} data-testid="meeting-pack">
      <h4 id={`pack-h-${meeting.id}`}>Mötesunderlag</h4>
      {meeting.snapshotId !== null ? (
        <p>
          Ur lägesbilden ”{attached?.title ?? meeting.snapshotId}”.{' '}
          <Link to={`/present/${meeting.snapshotId}/mote?mote=${meeting.id}`}>Öppna mötesunderlaget</Link> (presentation och PDF)
        </p>
      ) : (
        <p className="muted small">Inget underlag bifogat. Välj en publicerad lägesbild: underlaget jämför med gruppens förra möte i registret.</p>
      )}
      <FormProblem problem={attach.error} />
      {published.length === 0 ? (
        <p className="muted small">Ingen lägesbild är publicerad än.</p>
      ) : (
        <form
          className="field-row"
          // The buttons sit on the select's line rather than stretch to the label's height.
          style={{ alignItems: 'end' }}
          onSubmit={(e) => {
            e.preventDefault()
            attach.mutate(Number(value))
          }}
        >
          <div className="field">
            <label htmlFor={`pack-${meeting.id}`}>Publicerad lägesbild</label>
            <select id={`pack-${meeting.id}`} value={value} onChange={(e) => setChosen(e.target.value)}>
              {published.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={attach.isPending || Number(value) === meeting.snapshotId}>
            {meeting.snapshotId === null ? 'Bifoga underlaget' : 'Byt underlag'}
          </button>
          {meeting.snapshotId !== null && (
            <button type="button" className="link" onClick={() => attach.mutate(null)}>
              Ta bort underlaget
            </button>
          )}
        </form>
      )}
    </section>
  )
}

/** A meeting's action items, those carried over from earlier meetings, and its decisions. */
function MeetingFollowUp({ meeting }: { meeting: MeetingDto }) {
  const add = useAddAction(meeting.id)
  const mark = useMarkAction()
  const [text, setText] = useState('')
  const [responsible, setResponsible] = useState('')
  const item = (a: MeetingActionDto, carried: boolean) => (
    <li key={a.id} data-action={a.id}>
      <span className={a.doneAt ? 'done-item' : undefined}>{a.text}</span> <span className="muted">({a.responsible}{carried ? `, från mötet ${a.meetingDate}` : ''})</span>{' '}
      {a.doneAt ? (
        <span className="small">Klar {a.doneAt}</span>
      ) : (
        <button type="button" className="link" onClick={() => mark.mutate({ meetingId: a.meetingId, actionId: a.id, done: true, ...(carried ? { doneMeetingId: meeting.id } : {}) })}>
          Markera klar
        </button>
      )}
    </li>
  )
  return (
    <section className="meeting-followup" aria-label="Uppgifter och beslut">
      <h4>Överförda uppgifter</h4>
      {meeting.carriedOver.length === 0 ? <p className="muted small">Inga öppna uppgifter från tidigare möten.</p> : <ul data-testid="carried-over">{meeting.carriedOver.map((a) => item(a, true))}</ul>}
      <h4>Uppgifter från mötet</h4>
      {meeting.actions.length === 0 ? <p className="muted small">Inga uppgifter än.</p> : <ul data-testid="meeting-actions">{meeting.actions.map((a) => item(a, false))}</ul>}
      <FormProblem problem={add.error ?? mark.error} />
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault()
          add.mutate({ text, responsible }, { onSuccess: () => { setText(''); setResponsible('') } })
        }}
      >
        <div className="field">
          <label htmlFor="action-text">Ny uppgift</label>
          <input id="action-text" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="action-responsible">Ansvarig</label>
          <input id="action-responsible" value={responsible} onChange={(e) => setResponsible(e.target.value)} />
        </div>
        <button type="submit" disabled={add.isPending}>
          Lägg till uppgift
        </button>
      </form>
      <h4>Beslut vid mötet</h4>
      {meeting.decisions.length === 0 ? (
        <p className="muted small">Inga beslut registrerade för mötet.</p>
      ) : (
        <ul data-testid="meeting-decisions">
          {meeting.decisions.map((d) => (
            <li key={d.id}>
              {d.date}: {d.text}
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to={`/beslut?grupp=${encodeURIComponent(meeting.groupId)}&mote=${meeting.id}`}>Registrera eller se beslut i beslutsregistret</Link>
      </p>
    </section>
  )
}
