import { CRSES, DEFAULT_LIMIT, MAX_LIMIT } from './ogc.schema'

/** The OpenAPI 3.0 description of the /ogc endpoints, written by hand (the OGC "oas30" conformance class). */
export function openApi(base: string): Record<string, unknown> {
  const f = { name: 'f', in: 'query', required: false, description: 'Format: json eller html (annars avgör Accept).', schema: { type: 'string', enum: ['json', 'html'] } }
  const collectionId = { name: 'collectionId', in: 'path', required: true, schema: { type: 'string' } }
  const crs = { name: 'crs', in: 'query', required: false, description: 'Koordinatsystem för svaret.', schema: { type: 'string', format: 'uri', enum: CRSES.map((c) => c.uri), default: CRSES[0]!.uri } }
  const error = { description: 'Fel: { code, description }', content: { 'application/json': { schema: { $ref: '#/components/schemas/exception' } } } }
  const json = (description: string, type = 'application/json') => ({ description, content: { [type]: { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } })
  return {
    openapi: '3.0.3',
    info: {
      title: 'Lägesbild – öppna data (OGC API – Features)',
      version: '1.0.0',
      description: 'Gällande gränser och publicerade lägesbilders indikatorvärden som GeoJSON. Bara publicerade, röjandeskyddade siffror.',
    },
    servers: [{ url: base }],
    paths: {
      '/': { get: { operationId: 'getLandingPage', summary: 'Startsida', parameters: [f], responses: { '200': json('Startsidan'), '400': error } } },
      '/conformance': { get: { operationId: 'getConformance', summary: 'Konformitetsklasser', parameters: [f], responses: { '200': json('Klasserna'), '400': error } } },
      '/api': { get: { operationId: 'getApi', summary: 'Denna beskrivning', responses: { '200': { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': { schema: { type: 'object' } } } } } } },
      '/collections': { get: { operationId: 'getCollections', summary: 'Samlingarna', parameters: [f], responses: { '200': json('Samlingarna'), '400': error } } },
      '/collections/{collectionId}': {
        get: { operationId: 'describeCollection', summary: 'En samling', parameters: [collectionId, f], responses: { '200': json('Samlingen'), '400': error, '404': error } },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          summary: 'Objekten i en samling',
          parameters: [
            collectionId,
            { name: 'limit', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
            { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
            {
              name: 'bbox',
              in: 'query',
              required: false,
              style: 'form',
              explode: false,
              description: 'Fyra tal: nedre vänstra och övre högra hörnet, i bbox-crs axelordning (CRS84: lon,lat; EPSG:3006/3007: nord,öst).',
              schema: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
            },
            { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: CRSES.map((c) => c.uri), default: CRSES[0]!.uri } },
            { name: 'datetime', in: 'query', required: false, description: 'Tidpunkt eller intervall (RFC 3339, ../ för öppet).', schema: { type: 'string' } },
            crs,
            { name: 'code', in: 'query', required: false, description: 'Områdets kod (likhet).', schema: { type: 'string' } },
            { name: 'name', in: 'query', required: false, description: 'Områdets namn (likhet).', schema: { type: 'string' } },
            f,
          ],
          responses: {
            '200': {
              description: 'Objekten',
              headers: { 'Content-Crs': { schema: { type: 'string' } } },
              content: { 'application/geo+json': { schema: { $ref: '#/components/schemas/featureCollectionGeoJSON' } }, 'text/html': { schema: { type: 'string' } } },
            },
            '400': error,
            '404': error,
          },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          summary: 'Ett objekt',
          parameters: [collectionId, { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }, crs, f],
          responses: {
            '200': { description: 'Objektet', headers: { 'Content-Crs': { schema: { type: 'string' } } }, content: { 'application/geo+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } } },
            '400': error,
            '404': error,
          },
        },
      },
    },
    components: {
      schemas: {
        exception: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, description: { type: 'string' } } },
        featureCollectionGeoJSON: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: { type: 'object' } },
            links: { type: 'array', items: { type: 'object' } },
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  }
}
