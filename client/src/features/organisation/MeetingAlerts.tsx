import { Link } from 'react-router'
import { formatNumber } from '../../lib/format'
import type { AlertDto, MeetingDto } from './queries'

const weekLabel = (w: string) => `vecka ${Number(w.slice(6))}, ${w.slice(0, 4)}`
const windowLabel = (a: AlertDto) => (a.window === '1w' ? weekLabel(a.week) : `4 veckor t.o.m. ${weekLabel(a.week)}`)

/**
 * "Larm att ta upp" at a local group's next planned meeting: the open alerts of its stadsområde and of the
 * primärområden known to lie in it, each linked to Aktuellt where it is marked seen and handled.
 */
export function MeetingAlerts(p: {
  meeting: MeetingDto
  stadsomrade: { id: number; name: string }
  alerts: AlertDto[]
  /** False when the primärområden of this stadsområde are not known to the caller (a local group sees its own only). */
  primaryKnown: boolean
  loading: boolean
}) {
  const aktuellt = `/aktuellt?layer=stadsomrade&area=${p.stadsomrade.id}`
  return (
    <section className="meeting-alerts" aria-labelledby={`alerts-${p.meeting.id}`} data-testid="meeting-alerts" data-meeting={p.meeting.id}>
      <h3 id={`alerts-${p.meeting.id}`}>
        Larm att ta upp {p.meeting.date}
      </h3>
      {p.loading ? (
        <p className="small muted">Hämtar larmen…</p>
      ) : p.alerts.length === 0 ? (
        <p className="small muted">Inga öppna larm i {p.stadsomrade.name}.</p>
      ) : (
        <ul className="plain-list small">
          {p.alerts.map((a) => (
            <li key={a.id} data-alert={a.id}>
              <strong>{a.indicatorName}</strong> har ökat i {a.areaName}
              {a.layer === 'primaromrade' ? ' (primärområde)' : ''} – {windowLabel(a)}: {formatNumber(a.observed)} mot väntat {formatNumber(a.expected, { decimals: 1 })}
              {a.seenBy ? '' : '. Ingen har markerat det som sett'}.
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to={aktuellt}>Se och hantera larmen i Aktuellt för {p.stadsomrade.name}</Link>
        {!p.primaryKnown && <span className="muted"> (här visas larmen för hela stadsområdet; larm i enskilda primärområden visas för ditt eget stadsområde)</span>}
      </p>
    </section>
  )
}
