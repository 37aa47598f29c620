import type { MapViewProps } from '../../components/map/MapView'
import { MapView } from '../../components/map/MapView'
import { NO_DATA_COLOR } from '../../lib/palettes'

const none = () => {}

/** The map of a slide: no basemap, no hover, selection or drawing; `ready` once its data are in. */
export function SlideMap(p: Pick<MapViewProps, 'land' | 'areas' | 'colors' | 'states' | 'labels' | 'ariaLabel' | 'focus'> & { ready: boolean; renderKey: string; highlightIds?: readonly number[] }) {
  return (
    <div className="map-slide-map" data-map-ready={p.ready ? 'true' : 'false'}>
      <MapView
        basemapStyleUrl={null}
        land={p.land}
        areas={p.areas}
        overlay={null}
        showOverlay={false}
        colors={p.colors}
        noDataColor={NO_DATA_COLOR}
        states={p.states}
        selectedId={null}
        highlightIds={p.highlightIds ?? []}
        focus={p.focus}
        renderKey={p.ready ? p.renderKey : ''}
        labels={p.labels}
        onHover={none}
        onSelect={none}
        drawing={null}
        onDrawClick={none}
        ariaLabel={p.ariaLabel}
      />
    </div>
  )
}
