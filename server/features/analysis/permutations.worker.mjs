// Worker thread entry for permutation tests. Plain JavaScript so that Node can start it under tsx, Vitest
// or plain node alike; tsx's loader, registered here, lets it import the TypeScript statistics.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { permutationPValues } = await import('../../statistics/hotspots.ts')

parentPort.on('message', ({ id, x, neighbours, statistic, permutations, seed }) => {
  try {
    const { p, pFolded, zSim } = permutationPValues(x, neighbours, statistic, permutations, seed)
    parentPort.postMessage({ id, p, pFolded, zSim }, [p.buffer, pFolded.buffer, zSim.buffer])
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  }
})
