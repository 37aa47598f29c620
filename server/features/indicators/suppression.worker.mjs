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
    const cube = protectCube(problem, threshold, budgetMs === undefined ? { solver } : { solver, budgetMs })
    // Per cell: 0 shown, 1 hidden, 2 withheld until audited (suppression.ts reads it back).
    const verdict = new Uint8Array(problem.keys.length)
    problem.keys.forEach((k, i) => {
      const why = cube.hidden.get(k)
      verdict[i] = why === undefined ? 0 : why === 'unaudited' ? 2 : 1
    })
    parentPort.postMessage({ id, verdict, audit: cube.audit }, [verdict.buffer])
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  }
})
