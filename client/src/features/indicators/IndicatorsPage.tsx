import { Fragment, useState } from 'react'
import { Link } from 'react-router'
import { DataTable, type Column } from '../../components/DataTable'
import { FormProblem } from '../../components/FormProblem'
import type { IndicatorDto } from '../../lib/api'
import { countOf } from '../../lib/format'
import { CATEGORY_LABELS, FIELD_LABELS, POLARITY_LABELS, UNIT_LABELS } from '../../lib/labels'
import { useIndicators } from '../../lib/queries'
import { IndicatorForm } from './IndicatorForm'
import './indicators.css'
import { useDeleteIndicator, useIndicatorHistory, type IndicatorDefinition, type IndicatorVersionDto } from './queries'

const timeFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short' })
const when = (iso: string) => timeFormat.format(new Date(iso))

/** A definition's field as a person reads it. */
function shown(k: keyof IndicatorDefinition, d: IndicatorDefinition): string {
  if (k === 'unit') return UNIT_LABELS[d.unit]
  if (k === 'category') return CATEGORY_LABELS[d.category]
  if (k === 'polarity') return POLARITY_LABELS[d.polarity]
  if (k === 'survey') return d.survey ? 'ja' : 'nej'
  return String(d[k]) || '–'
}

/** The periods held, as a span and a count: "2019–2025 (7 perioder)". */
function periodsText(i: IndicatorDto): string {
  if (i.periods.length === 0) return 'Inga värden'
  const span = i.periods.length === 1 ? i.periods[0] : `${i.periods[0]}–${i.periods.at(-1)}`
  return `${span} (${countOf(i.periods.length, 'period', 'perioder')})`
}

/** The fields of a definition, in the form's order (stored versions come back in jsonb's). */
const KEYS: Array<keyof IndicatorDefinition> = ['name', 'description', 'unit', 'category', 'polarity', 'source', 'licence', 'minPublishCount', 'survey']

/** Every version, newest first, each with what it changed from the one before. */
function History({ indicator, onClose }: { indicator: IndicatorDto; onClose(): void }) {
  const history = useIndicatorHistory(indicator.id)
  const versions = history.data ?? []
  const changes = (v: IndicatorVersionDto, i: number) => {
    const older = versions[i + 1]
    if (!older) return v.version === 1 ? 'Skapad' : 'Tidigaste sparade versionen'
    const changed = KEYS.filter((k) => older.definition[k] !== v.definition[k])
    return changed.length ? changed.map((k) => `${FIELD_LABELS[k] ?? k}: ${shown(k, older.definition)} → ${shown(k, v.definition)}`).join('; ') : 'Inga ändrade fält'
  }
  return (
    <section className="measure-form" aria-labelledby="ih-h" data-testid="indicator-history">
      <h2 id="ih-h">Versioner av {indicator.name}</h2>
      {history.error && <FormProblem problem={history.error} />}
      {history.isPending && <p role="status">Hämtar versionerna…</p>}
      {versions.length > 0 && (
        <ol className="indicator-versions" reversed>
          {versions.map((v, i) => (
            <li key={v.version} data-version={v.version}>
              <strong>
                Version {v.version}
                {v.current ? ' (nuvarande)' : ''}
              </strong>{' '}
              <span className="muted">
                {when(v.savedAt)}
                {v.savedBy ? `, ${v.savedBy}` : ''}
              </span>
              <div>{changes(v, i)}</div>
            </li>
          ))}
        </ol>
      )}
      <button type="button" onClick={onClose}>
        Stäng
      </button>
    </section>
  )
}

type Open = { kind: 'new' } | { kind: 'edit'; id: string } | { kind: 'history'; id: string } | null

/** The indicator catalogue: what each measures, in which unit, from where, and how it is published. Analysts define and edit it. */
export function IndicatorsPage() {
  const indicators = useIndicators()
  const list = indicators.data ?? []
  const [open, setOpen] = useState<Open>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const remove = useDeleteIndicator()
  const find = (id: string) => list.find((i) => i.id === id) ?? null
  const editing = open?.kind === 'edit' ? find(open.id) : null
  const historyOf = open?.kind === 'history' ? find(open.id) : null

  const columns: Array<Column<IndicatorDto>> = [
    {
      key: 'name',
      header: 'Namn',
      rowHeader: true,
      cell: (i) => (
        <>
          {i.name}
          {i.demo && <span className="badge demo">demo</span>}
          {i.description && <div className="muted small">{i.description}</div>}
        </>
      ),
    },
    // Long ids break after their underscores only.
    {
      key: 'id',
      header: 'Id',
      cell: (i) => (
        <code>
          {i.id.split(/(?<=_)/).map((part, k) => (
            <Fragment key={k}>
              {k > 0 && <wbr />}
              {part}
            </Fragment>
          ))}
        </code>
      ),
    },
    { key: 'unit', header: 'Enhet', cell: (i) => UNIT_LABELS[i.unit] },
    { key: 'polarity', header: 'Riktning', cell: (i) => POLARITY_LABELS[i.polarity] },
    { key: 'source', header: 'Källa', cell: (i) => i.source },
    { key: 'licence', header: 'Licens', cell: (i) => i.licence || '–' },
    { key: 'threshold', header: 'Gräns', className: 'num', cell: (i) => i.minPublishCount },
    { key: 'survey', header: 'Urval', cell: (i) => (i.survey ? 'Ja' : '–') },
    { key: 'periods', header: 'Perioder', cell: periodsText },
    { key: 'version', header: 'Version', className: 'num', cell: (i) => i.version },
    {
      key: 'actions',
      header: <span className="sr-only">Åtgärder</span>,
      cell: (i) => (
        <div className="indicator-actions">
          <button type="button" onClick={() => setOpen({ kind: 'edit', id: i.id })} aria-label={`Ändra ${i.name}`}>
            Ändra
          </button>
          <button type="button" onClick={() => setOpen({ kind: 'history', id: i.id })} aria-label={`Versioner av ${i.name}`}>
            Versioner
          </button>
          {/* Values (and what follows the indicator) keep it: the server says which. */}
          {i.periods.length === 0 && (
            <button type="button" onClick={() => (remove.reset(), setConfirming(i.id))} aria-label={`Ta bort ${i.name}`}>
              Ta bort
            </button>
          )}
        </div>
      ),
    },
  ]

  const confirmRow = (i: IndicatorDto) =>
    confirming === i.id ? (
      <tr className="row-panel">
        <td colSpan={columns.length}>
          <div role="alertdialog" aria-labelledby={`del-${i.id}`} data-testid="confirm-delete">
            <p id={`del-${i.id}`}>
              Ta bort <strong>{i.name}</strong> ({i.id})? Det går inte att ångra.
            </p>
            <FormProblem problem={remove.error} />
            <div className="indicator-actions">
              <button type="button" className="danger" onClick={() => remove.mutate(i, { onSuccess: () => setConfirming(null) })} disabled={remove.isPending}>
                Ja, ta bort
              </button>
              <button type="button" onClick={() => setConfirming(null)}>
                Avbryt
              </button>
            </div>
          </div>
        </td>
      </tr>
    ) : null

  return (
    <main className="page" id="main">
      <h1>Indikatorer</h1>
      <p>
        Katalogen över indikatorerna: vad de mäter, i vilken enhet, varifrån siffrorna kommer och från vilket antal de visas utanför analysrollen. En ny indikator tar emot värden i{' '}
        <Link to="/importera">importen av indikatortabeller</Link>. Varje ändring sparas som en ny version.
      </p>
      <p>
        <button type="button" className="primary" onClick={() => setOpen({ kind: 'new' })}>
          Ny indikator
        </button>
      </p>
      {open?.kind === 'new' && <IndicatorForm key="new" indicator={null} onSaved={() => setOpen(null)} onCancel={() => setOpen(null)} />}
      {editing && <IndicatorForm key={`edit-${editing.id}`} indicator={editing} onSaved={() => setOpen(null)} onCancel={() => setOpen(null)} />}
      {historyOf && <History indicator={historyOf} onClose={() => setOpen(null)} />}
      {indicators.error && <FormProblem problem={indicators.error} />}
      {indicators.isPending && <p role="status">Hämtar katalogen…</p>}
      {(Object.keys(CATEGORY_LABELS) as Array<IndicatorDto['category']>).map((category) => {
        const rows = list.filter((i) => i.category === category)
        if (rows.length === 0) return null
        return (
          <section key={category} aria-labelledby={`cat-${category}`}>
            <h2 id={`cat-${category}`}>{CATEGORY_LABELS[category]}</h2>
            <DataTable
              testId={`indicators-${category}`}
              className="indicator-table"
              rows={rows}
              columns={columns}
              rowKey={(i) => i.id}
              rowProps={(i) => ({ 'data-indicator': i.id })}
              after={confirmRow}
            />
          </section>
        )
      })}
    </main>
  )
}
