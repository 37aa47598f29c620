import { useForm } from 'react-hook-form'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { FormProblem } from '../../components/FormProblem'
import { TextField } from '../../components/TextField'
import { ROLE_LABELS, useSession } from '../../lib/session'

interface Credentials {
  email: string
  password: string
}

/** Sign in with a local account. */
export function LoginPage() {
  const { user, signIn, signOut } = useSession()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const { register, handleSubmit, setError, formState } = useForm<Credentials>({ defaultValues: { email: '', password: '' } })
  const { errors, isSubmitting } = formState

  const submit = handleSubmit(async ({ email, password }) => {
    const r = await signIn(email, password)
    if (!r.ok) return setError('root.server', { type: String(r.status), message: r.message })
    void navigate(params.get('till') ?? '/')
  })

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
      <form onSubmit={(e) => void submit(e)} aria-label="Logga in" className="login-form" noValidate>
        <TextField
          id="login-email"
          label="E-post"
          type="email"
          autoComplete="username"
          error={errors.email?.message}
          {...register('email', { required: 'ange din e-postadress', pattern: { value: /^\S+@\S+\.\S+$/, message: 'ogiltig e-postadress' } })}
        />
        <TextField id="login-password" label="Lösenord" type="password" autoComplete="current-password" error={errors.password?.message} {...register('password', { required: 'ange ditt lösenord' })} />
        <FormProblem problem={errors.root?.server?.message ? { message: errors.root.server.message } : null} />
        <button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Loggar in…' : 'Logga in'}
        </button>
      </form>
    </main>
  )
}
