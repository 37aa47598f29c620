import { AreaMeasures } from '../features/measures/AreaMeasures'
import { MapPage, type MapPageSlots } from '../features/map/MapPage'
import { AddToDeck } from '../features/present/AddToDeck'
import { CreateSnapshot } from '../features/snapshots/CreateSnapshot'
import { AreaTimeProfile } from '../features/time-profile/AreaTimeProfile'

// Features do not import each other: the map page gets the other features' pieces here.
const SLOTS: MapPageSlots = {
  createSnapshot: (p) => <CreateSnapshot {...p} />,
  addToDeck: (p) => <AddToDeck {...p} />,
  areaMeasures: (areaId) => <AreaMeasures areaId={areaId} />,
  areaTimeProfile: (p) => <AreaTimeProfile {...p} />,
}

/** The map page (live, or a snapshot's inside its DataSourceContext) with snapshots, presentations and measures. */
export function MapPageWithFeatures() {
  return <MapPage {...SLOTS} />
}
