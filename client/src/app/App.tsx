import { QueryClientProvider } from '@tanstack/react-query'
import { lazy, Suspense, useState, type ReactNode } from 'react'
import { BrowserRouter, Link, NavLink, Route, Routes, useLocation } from 'react-router'
import { ANALYSTS, Header, MEMBERS } from './Header'
import { PageFocus } from './PageFocus'
import { AuditPage } from '../features/admin/AuditPage'
import { UsersPage } from '../features/admin/UsersPage'
import { LoginPage } from '../features/auth/LoginPage'
import { ApiTokensPage } from '../features/auth/ApiTokensPage'
import { SnapshotsPage } from '../features/snapshots/SnapshotsPage'
import { SnapshotView } from '../features/snapshots/SnapshotView'
import { FrontPage } from '../features/snapshots/FrontPage'
import { AreaPage } from '../features/snapshots/AreaPage'
import { CommunicationPage } from '../features/communication/CommunicationPage'
import { ROLE_LABELS, SessionProvider, useSession, type Role } from '../lib/session'
import { DataPage } from '../features/catalogue/DataPage'
import { AktuelltPage } from '../features/aktuellt/AktuelltPage'
import { AreaTimeProfile } from '../features/time-profile/AreaTimeProfile'
import { ComparePage } from '../features/compare/ComparePage'
import { ImportPage } from '../features/imports/ImportPage'
import { IndicatorsPage } from '../features/indicators/IndicatorsPage'
import { FollowUpPage } from '../features/measures/FollowUpPage'
import { MeasuresPage } from '../features/measures/MeasuresPage'
import { DecisionsPage } from '../features/plans/DecisionsPage'
import { MeetingsPage } from '../features/organisation/MeetingsPage'
import { ArshjulPage } from '../features/organisation/ArshjulPage'
import { PlanView } from '../features/plans/PlanView'
import { PlansPage } from '../features/plans/PlansPage'
import { PrioritiesPage } from '../features/priorities/PrioritiesPage'
import { FieldReportsPage } from '../features/field-reports/FieldReportsPage'
import { SamverkansformerPage } from '../features/samverkansformer/SamverkansformerPage'
import { createQueryClient } from './queryClient'

// MapLibre is most of the bundle: a chunk of its own, requested at once so it loads while the session is
// checked rather than after.
const mapPageModule = import('./MapPageWithFeatures')
const MapPage = lazy(() => mapPageModule.then((m) => ({ default: m.MapPageWithFeatures })))
// Presentations draw maps too: MapLibre again, loaded with the page.
const PresentPage = lazy(() => import('../features/present/PresentPage').then((m) => ({ default: m.PresentPage })))
const MeetingPage = lazy(() => import('../features/present/MeetingPage').then((m) => ({ default: m.MeetingPage })))

/** A page for some roles: others are asked to sign in, or told their role does not reach it. */
function Guard({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { ready, user } = useSession()
  const location = useLocation()
  if (!ready) return <p className="map-loading">Laddar…</p>
  if (user && roles.includes(user.role)) return <>{children}</>
  return (
    <main className="page narrow" id="main">
      <h1>{user ? 'Inte för din roll' : 'Logga in'}</h1>
      {user ? (
        <p>Sidan är för {roles.map((r) => ROLE_LABELS[r].toLowerCase()).join(' och ')}.</p>
      ) : (
        <p>
          Sidan kräver inloggning. <Link to={`/logga-in?till=${encodeURIComponent(location.pathname + location.search)}`}>Logga in</Link> eller se de{' '}
          <Link to="/lagesbilder">publicerade lägesbilderna</Link>.
        </p>
      )}
    </main>
  )
}

/** The map for members; for everyone else, the front page with the latest published lägesbild. */
function Home() {
  const { ready, user } = useSession()
  if (!ready) return <p className="map-loading">Laddar…</p>
  if (!user) return <FrontPage map={<MapPage />} />
  return (
    <main id="main" className="main-map">
      <h1 className="sr-only">Karta</h1>
      <Suspense fallback={<p className="map-loading">Hämtar kartan…</p>}>
        <MapPage />
      </Suspense>
    </main>
  )
}

export function App() {
  const [queryClient] = useState(createQueryClient)
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <PageFocus />
          <Routes_ />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  )
}

function Routes_() {
  // Remount the pages when the user changes: everything they fetched was for someone else.
  const { user } = useSession()
  return (
    <div className="app-shell" key={user?.email ?? 'public'}>
      <Header />
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/logga-in" element={<LoginPage />} />
        <Route path="/lagesbilder" element={<SnapshotsPage />} />
        <Route path="/lagesbilder/:id" element={<SnapshotView map={<MapPage />} />} />
        <Route path="/stadsomrade/:code" element={<AreaPage />} />
        <Route
          path="/present/:snapshotId"
          element={
            <Suspense fallback={<p className="map-loading">Hämtar presentationen…</p>}>
              <PresentPage />
            </Suspense>
          }
        />
        <Route
          path="/present/:snapshotId/mote"
          element={
            <Suspense fallback={<p className="map-loading">Hämtar mötesunderlaget…</p>}>
              <MeetingPage />
            </Suspense>
          }
        />
        <Route path="/jamfor" element={<Guard roles={MEMBERS}><ComparePage /></Guard>} />
        <Route path="/aktuellt" element={<Guard roles={MEMBERS}><AktuelltPage timeProfile={(p) => <AreaTimeProfile {...p} />} /></Guard>} />
        <Route path="/importera" element={<Guard roles={ANALYSTS}><ImportPage /></Guard>} />
        <Route path="/indikatorer" element={<Guard roles={ANALYSTS}><IndicatorsPage /></Guard>} />
        <Route path="/prioriteringar" element={<Guard roles={MEMBERS}><PrioritiesPage /></Guard>} />
        <Route path="/atgarder" element={<Guard roles={MEMBERS}><MeasuresPage /></Guard>} />
        <Route path="/samverkansformer" element={<Guard roles={MEMBERS}><SamverkansformerPage /></Guard>} />
        <Route path="/trygghetsrapporter" element={<Guard roles={MEMBERS}><FieldReportsPage /></Guard>} />
        <Route path="/atgardsplaner" element={<Guard roles={MEMBERS}><PlansPage /></Guard>} />
        <Route path="/atgardsplaner/:id" element={<Guard roles={MEMBERS}><PlanView /></Guard>} />
        <Route path="/beslut" element={<Guard roles={MEMBERS}><DecisionsPage /></Guard>} />
        <Route path="/moten" element={<Guard roles={MEMBERS}><MeetingsPage /></Guard>} />
        <Route path="/arshjul" element={<Guard roles={MEMBERS}><ArshjulPage /></Guard>} />
        <Route path="/kommunikation" element={<Guard roles={MEMBERS}><CommunicationPage /></Guard>} />
        <Route path="/uppfoljning" element={<Guard roles={MEMBERS}><FollowUpPage /></Guard>} />
        <Route path="/anvandare" element={<Guard roles={['admin']}><UsersPage /></Guard>} />
        <Route path="/logg" element={<Guard roles={['admin']}><AuditPage /></Guard>} />
        <Route path="/api-nycklar" element={<Guard roles={MEMBERS}><ApiTokensPage /></Guard>} />
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
    </div>
  )
}
