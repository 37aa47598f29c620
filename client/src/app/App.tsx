import { lazy, Suspense } from 'react'
import { BrowserRouter, NavLink, Route, Routes } from 'react-router'
import { DataPage } from '../features/catalogue/DataPage'
import { ComparePage } from '../features/compare/ComparePage'
import { ImportPage } from '../features/imports/ImportPage'
import { FollowUpPage } from '../features/measures/FollowUpPage'
import { MeasuresPage } from '../features/measures/MeasuresPage'
import { PrioritiesPage } from '../features/priorities/PrioritiesPage'
import { dataOf, paths, useGet, type IndicatorDto } from '../lib/api'

// MapLibre is most of the bundle: only the map page loads it.
const MapPage = lazy(() => import('../features/map/MapPage').then((m) => ({ default: m.MapPage })))

function Header() {
  const indicators = dataOf(useGet<IndicatorDto[]>(paths.indicators()))
  const demo = indicators?.some((i) => i.demo)
  return (
    <header className="app-header">
      <a className="skip" href="#main">
        Hoppa till innehållet
      </a>
      <div className="brand">
        <span className="brand-name">Lägesbild</span>
        <span className="brand-sub">Trygg i Göteborg</span>
      </div>
      <nav aria-label="Huvudmeny">
        <NavLink to="/" end>
          Karta
        </NavLink>
        <NavLink to="/jamfor">Jämför</NavLink>
        <NavLink to="/prioriteringar">Prioriteringar</NavLink>
        <NavLink to="/atgarder">Åtgärder</NavLink>
        <NavLink to="/uppfoljning">Uppföljning</NavLink>
        <NavLink to="/importera">Importera</NavLink>
        <NavLink to="/data">Om data</NavLink>
      </nav>
      {demo && (
        <p className="demo-banner" role="note">
          Demoläge: indikatorvärdena är syntetiska, inte verklig statistik
        </p>
      )}
    </header>
  )
}

export function App() {
  return (
    <BrowserRouter>
      <Header />
      <Routes>
        <Route
          path="/"
          element={
            <main id="main" className="main-map">
              <h1 className="sr-only">Karta</h1>
              <Suspense fallback={<p className="map-loading">Hämtar kartan…</p>}>
                <MapPage />
              </Suspense>
            </main>
          }
        />
        <Route path="/jamfor" element={<ComparePage />} />
        <Route path="/importera" element={<ImportPage />} />
        <Route path="/prioriteringar" element={<PrioritiesPage />} />
        <Route path="/atgarder" element={<MeasuresPage />} />
        <Route path="/uppfoljning" element={<FollowUpPage />} />
        <Route path="/data" element={<DataPage />} />
        <Route
          path="*"
          element={
            <main className="page" id="main">
              <h1>Sidan finns inte</h1>
              <p>
                <NavLink to="/">Till kartan</NavLink>
              </p>
            </main>
          }
        />
      </Routes>
    </BrowserRouter>
  )
}
