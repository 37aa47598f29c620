// Worker thread entry for a cube's suppression and LP audit. Plain JavaScript so that Node can start it under
// tsx, Vitest or plain node alike; tsx's loader, registered here, lets it import the TypeScript disclosure code.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'
import loadHighs from 'highs'

register()
const { protectCube } = await import('../../disclosure/cube.ts')
const solver = await loadHighs()

parentPort.on('message', ({ id, problem, threshold, budgetMs }) => {
  try {
    const cube = protectCube(problem, threshold, { solver, budgetMs })
    const n = problem.keys.length
    const hidden = new Uint8Array(n)
    problem.keys.forEach((k, i) => (hidden[i] = cube.hidden.has(k) ? 1 : 0))
    parentPort.postMessage({ id, hidden, audit: cube.audit }, [hidden.buffer])
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  }
})
