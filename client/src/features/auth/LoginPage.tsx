import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ROLE_LABELS, useSession } from '../../lib/session'

/** Sign in with a local account. */
export function LoginPage() {
  const { user, signIn, signOut } = useSession()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const r = await signIn(email, password)
    setBusy(false)
    if (!r.ok) return setError(r.message)
    setError(null)
    void navigate(params.get('till') ?? '/')
  }

  if (user) {
    return (
      <main className="page narrow" id="main">
        <h1>Inloggad</h1>
        <p>
          Du är inloggad som <strong>{user.email}</strong> ({ROLE_LABELS[user.role]}
          {user.stadsomrade ? `, ${user.stadsomrade.name}` : ''}).
        </p>
        <p>
          <Link to="/">Till kartan</Link> ·{' '}
          <button type="button" className="link" onClick={() => void signOut()}>
            Logga ut
          </button>
        </p>
      </main>
    )
  }
  return (
    <main className="page narrow" id="main">
      <h1>Logga in</h1>
      <p className="muted">
        Analytiker, lokala ledningsgrupper och administratörer loggar in. Publicerade lägesbilder kan alla se utan konto:{' '}
        <Link to="/lagesbilder">Publicerade lägesbilder</Link>.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Logga in" className="login-form">
        <div className="field">
          <label htmlFor="login-email">E-post</label>
          <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">Lösenord</label>
          <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Loggar in…' : 'Logga in'}
        </button>
      </form>
    </main>
  )
}
