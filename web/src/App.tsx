import { Redirect, Route, Router, Switch } from 'wouter';
import { useSession, useSessionState } from './auth/session';
import { Layout, SignedOutLayout } from './components/Layout';
import { NotForYourRole, NotFound } from './pages/shared/NotFound';
import { SignIn } from './pages/shared/SignIn';
import { roleHomes } from './roles';
import { routes, type PortalRoute } from './routes';

function Guarded({ route }: { route: PortalRoute }) {
  const { me } = useSession();
  const Page = route.component;
  return route.roles.includes(me.role) ? <Page /> : <NotForYourRole />;
}

function SignedInRoutes() {
  const { me } = useSession();
  return (
    <Layout>
      <Switch>
        <Route path="/">
          <Redirect to={roleHomes[me.role]} replace />
        </Route>
        {routes.map((route) => (
          <Route key={route.path} path={route.path}>
            <Guarded route={route} />
          </Route>
        ))}
        <Route>
          <NotFound />
        </Route>
      </Switch>
    </Layout>
  );
}

/** The portal under /app: the sign-in page until a session is open, then the role's pages. */
export function App() {
  const { state } = useSessionState();
  return (
    <Router base="/app">
      {state.status === 'signed-in' ? (
        <SignedInRoutes />
      ) : (
        <SignedOutLayout>
          {state.status === 'loading' ? (
            <p role="status">Signing in…</p>
          ) : (
            <SignIn />
          )}
        </SignedOutLayout>
      )}
    </Router>
  );
}
