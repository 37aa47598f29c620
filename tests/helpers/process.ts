import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

export interface RunningProcess {
  url: string
  child: ChildProcess
  /** Everything the process wrote so far. */
  output(): string
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  stop(): Promise<void>
}

/** Starts the app as `npm start` does (without the client build), on a free port, and waits for its URL. */
export async function startProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<RunningProcess> {
  const root = resolve(import.meta.dirname, '../..')
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: '/nonexistent-client', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const look = () => {
      const m = /körs på (http:\/\/\S+?)\/?\s/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!.replace('localhost', '127.0.0.1'))
      }
    }
    child.stdout!.on('data', look)
    void exited.then((code) => {
      clearTimeout(timer)
      fail(new Error(`exited with ${code} before listening:\n${out}`))
    })
  })
  return {
    url,
    child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
