import { useMemo, useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { isIsoDate, monthsBefore } from '../../lib/dates'
import { snapshotSource } from '../../lib/dataSource'
import { useLayerAreas, useSnapshot } from '../../lib/queries'
import { useSession } from '../../lib/session'
import type { SnapshotDto } from '../../lib/snapshots'
import { cityMeetingDeck } from './cityDeck'
import { dateLabel, meetingDeck } from './meetingDeck'
import { Presentation } from './Presentation'
import { useMeeting } from './queries'

/** The layers a management group meets for: the city's and the police's; `stad` is the city-wide group's pack. */
const MEETING_LAYERS = ['stadsomrade', 'lokalpolisomrade']
const CITY = 'stad'
const PERIOD_KINDS = { year: 'År', half: 'Halvår', quarter: 'Kvartal', month: 'Månad' } as const

const isoToday = () => new Date().toISOString().slice(0, 10)

/** Choose the area and the meeting: one click then gives the pack. */
function MeetingForm({ snapshot }: { snapshot: SnapshotDto }) {
  const { user } = useSession()
  const navigate = useNavigate()
  const layers = MEETING_LAYERS.flatMap((id) => snapshot.layerInfo.filter((l) => l.id === id))
  // A local user starts from their own stadsområde; everyone else from the city-wide group's pack.
  const [layer, setLayer] = useState(user?.role === 'local' ? (layers[0]?.id ?? '') : layers.length ? CITY : '')
  const city = layer === CITY
  const source = useMemo(() => snapshotSource(snapshot.id, ''), [snapshot.id])
  const areas = useLayerAreas(layer && !city ? source.layerAreas(layer) : null).data ?? null
  const options = useMemo(() => [...(areas?.features ?? [])].sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'sv')), [areas])
  // A local management group starts from its own stadsområde.
  const own = layer === 'stadsomrade' ? options.find((f) => f.properties.name === user?.stadsomrade?.name) : undefined
  const [area, setArea] = useState('')
  const chosenArea = area || String(own?.properties.id ?? options[0]?.properties.id ?? '')
  const [date, setDate] = useState(isoToday())
  const [previous, setPrevious] = useState('')
  const [kind, setKind] = useState<keyof typeof PERIOD_KINDS>('year')
  const previousDate = previous || (isIsoDate(date) ? monthsBefore(date, 3) : '')
  const problem = !isIsoDate(date) ? 'Ange mötesdatum.' : !isIsoDate(previousDate) ? 'Ange förra mötets datum.' : previousDate >= date ? 'Förra mötet måste ligga före mötet.' : null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (problem || (!city && !chosenArea)) return
    navigate(`/present/${snapshot.id}/mote?${new URLSearchParams({ indelning: layer, ...(city ? {} : { omrade: chosenArea }), datum: date, forra: previousDate, period: kind })}`)
  }

  return (
    <main className="page" id="main">
      <h1>Mötesunderlag</h1>
      <p>
        Underlag för en ledningsgrupps möte ur lägesbilden ”{snapshot.title}”. För en lokal ledningsgrupp: områdets nyckeltal mot staden och mot förra mötet, hot spots och
        områdets åtgärder med uppföljning. För hela staden (Ledningsgrupp Trygg i Göteborg): stadens nyckeltal, stadsområdenas och lokalpolisområdenas förändringar sida vid
        sida, problemområdenas uppföljning och samverkansformerna. Som presentation och som PDF; bara publicerade siffror används. Ett möte i mötesregistret får sitt underlag
        under Möten, med förra mötet ur registret.
      </p>
      {layers.length === 0 ? (
        <p role="alert">Lägesbilden har varken stadsområden eller lokalpolisområden.</p>
      ) : (
        <form className="meeting-form" onSubmit={submit} aria-label="Välj område och möte">
          <label className="field">
            Indelning
            <select aria-label="Indelning" value={layer} onChange={(e) => (setLayer(e.target.value), setArea(''))}>
              <option value={CITY}>Hela staden</option>
              {layers.map((l) => (
                <option key={l.id} value={l.id}>
                  {String(l.name ?? l.id)}
                </option>
              ))}
            </select>
          </label>
          {!city && (
            <label className="field">
              Område
              <select aria-label="Område" value={chosenArea} onChange={(e) => setArea(e.target.value)}>
                {options.map((f) => (
                  <option key={f.properties.id} value={f.properties.id}>
                    {f.properties.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            Mötesdatum
            <input type="date" aria-label="Mötesdatum" value={date} onChange={(e) => setDate(e.target.value)} required />
          </label>
          <label className="field">
            Förra mötet
            <input type="date" aria-label="Förra mötet" value={previousDate} onChange={(e) => setPrevious(e.target.value)} />
          </label>
          <label className="field">
            Siffror per
            <select aria-label="Siffror per" value={kind} onChange={(e) => setKind(e.target.value as keyof typeof PERIOD_KINDS)}>
              {Object.entries(PERIOD_KINDS).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {problem && <p role="alert">{problem}</p>}
          <button type="submit" disabled={problem !== null || (!city && !chosenArea)}>
            Skapa mötesunderlag
          </button>
        </form>
      )}
      <p>
        <Link to={`/present/${snapshot.id}`}>Tillbaka till presentationen</Link>
      </p>
    </main>
  )
}

/** `/present/:snapshotId/mote`: the form, or with an area and dates chosen, the pack as a presentation. */
export function MeetingPage() {
  const id = Number(useParams().snapshotId)
  const [params] = useSearchParams()
  const snapshotLoad = useSnapshot(Number.isInteger(id) ? id : null)
  const snapshot = snapshotLoad.data ?? null
  // A registered meeting (`?mote=`) decides its date, its previous meeting and its pack; otherwise the form's choice.
  const registered = params.get('mote')
  const city = params.get('indelning') === CITY
  const chosen = registered || (params.get('indelning') && (city || params.get('omrade')) && params.get('datum'))
  const query = registered
    ? new URLSearchParams({ meetingId: registered, periodKind: params.get('period') ?? 'year' })
    : chosen
      ? new URLSearchParams({
          layer: params.get('indelning')!,
          ...(city ? {} : { area: params.get('omrade')! }),
          date: params.get('datum')!,
          ...(params.get('forra') ? { previous: params.get('forra')! } : {}),
          periodKind: params.get('period') ?? 'year',
        })
      : null
  const meetingLoad = useMeeting(Number.isInteger(id) ? id : null, query ? query.toString() : null)
  const meeting = meetingLoad.data ?? null
  const slides = useMemo(() => (!meeting ? [] : meeting.kind === 'city' ? cityMeetingDeck(meeting) : meetingDeck(meeting)), [meeting])

  const failed = (snapshotLoad.error ?? meetingLoad.error)?.message ?? null
  if (failed) {
    return (
      <main className="page" id="main">
        <h1>Mötesunderlaget kunde inte göras</h1>
        <p role="alert">{failed}</p>
        <Link to={Number.isInteger(id) && !snapshotLoad.error ? `/present/${id}/mote` : '/lagesbilder'}>Välj igen</Link>
      </main>
    )
  }
  if (!snapshot) return <p className="map-loading">Hämtar lägesbilden…</p>
  if (!chosen) return <MeetingForm snapshot={snapshot} />
  if (!meeting) return <p className="map-loading">Tar fram mötesunderlaget…</p>
  const name = meeting.kind === 'city' ? (meeting.meeting?.groupName ?? 'Hela staden') : meeting.area.name
  return (
    <Presentation
      snapshot={snapshot}
      slides={slides}
      what={`Mötesunderlag ${name} ${meeting.date}`}
      empty={null}
      actions={
        <>
          <span className="muted">
            {name}, möte {dateLabel(meeting.date)}
          </span>
          {meeting.meeting ? <Link to={`/moten?ar=${meeting.meeting.date.slice(0, 4)}`}>Tillbaka till mötet</Link> : <Link to={`/present/${id}/mote`}>Välj annat område eller möte</Link>}
        </>
      }
    />
  )
}
