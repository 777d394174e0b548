import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { ApiError, type Answer } from '../../api/client';
import './admin.css';
import { ScrollingTable } from '../../components/ScrollingTable';

export type Loaded<T> = { status: 'loading' } | { status: 'failed'; error: ApiError } | { status: 'ready'; data: T };

const asApiError = (error: unknown) => (error instanceof ApiError ? error : new ApiError({ message: String(error) }));

/** Runs a query when the page opens, when `key` changes and on `reload()` (after a change the page made). */
export function useLoaded<T>(load: () => Promise<Answer<T>>, key = ''): { loaded: Loaded<T>; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      ({ data }) => current && setLoaded({ status: 'ready', data }),
      (error: unknown) => current && setLoaded({ status: 'failed', error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
    // `load` is a new function each render; what it reads is named by `key`.
  }, [key, round]);
  return { loaded, reload: useCallback(() => setRound((value) => value + 1), []) };
}

/** A change the page makes: whether one is under way, and the API's refusal to show. */
export function useAction(): { busy: string | null; error: ApiError | null; run: (name: string, action: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(asApiError(failure));
      return false;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, run };
}

const refusals: Partial<Record<string, string>> = {
  FORBIDDEN: 'Not allowed',
  UNAUTHENTICATED: 'Your session ended',
  BAD_USER_INPUT: 'Check the input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Changed meanwhile',
};

/** The API's reason, never a blank: a refusal says why. */
export function ErrorMessage({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const field = typeof error.extensions.field === 'string' ? ` (${error.extensions.field})` : '';
  return (
    <p role="alert" className="error">
      {refusals[error.code] ?? 'Something went wrong'}: {error.message}
      {field}
    </p>
  );
}

/** What a query gave, or why there is nothing to show yet. */
export function Shown<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.status === 'loading') return <p role="status">Loading…</p>;
  if (loaded.status === 'failed') return <ErrorMessage error={loaded.error} />;
  return <>{children(loaded.data)}</>;
}

/** "1 failed message", "2 failed messages". */
export const counted = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** A time as its age ("5 minutes ago"), the exact time on hover and for screen readers in <time>. */
export function Age({ at }: { at: string | null }) {
  if (!at) return <>—</>;
  const elapsed = Date.now() - new Date(at).getTime();
  const [unit, size] = steps.find(([, length]) => Math.abs(elapsed) >= length) ?? ['second', 1000];
  return (
    <time dateTime={at} title={new Date(at).toLocaleString()}>
      {relative.format(-Math.round(elapsed / size), unit)}
    </time>
  );
}

/** A secret the API shows this once: to copy now, gone when dismissed. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  return (
    <div className="notice secret-once" role="status">
      <label htmlFor="new-secret">{label}</label>
      <input id="new-secret" readOnly value={secret} onFocus={(event) => event.currentTarget.select()} />
      <p>Copy it now and hand it over securely: it is stored sealed and will not be shown again.</p>
      <button type="button" className="secondary" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

/**
 * A table that scrolls sideways on a phone: its caption, its column headings and, when rows have
 * a button, a last column named for screen readers only.
 */
export function AdminTable({ caption, columns, withAction = false, children }: { caption: ReactNode; columns: string[]; withAction?: boolean; children: ReactNode }) {
  return (
    <ScrollingTable caption={caption}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {withAction && (
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </ScrollingTable>
  );
}

/** A row's button: named in full for screen readers (`label`), busy while its change runs, off while any runs. */
export function RowAction({ name, label, busy, onClick, secondary = false, children }: {
  name: string;
  label: string;
  busy: string | null;
  onClick: () => void;
  secondary?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className={secondary ? 'secondary' : undefined} onClick={onClick} disabled={busy !== null} aria-busy={busy === name} aria-label={label}>
      {children}
    </button>
  );
}

const sections: [string, string][] = [
  ['/admin', 'Overview'],
  ['/admin/organizations', 'Organizations'],
  ['/admin/users', 'Users'],
  ['/admin/credentials', 'Source credentials'],
  ['/admin/failed-messages', 'Failed messages'],
  ['/admin/failed-jobs', 'Failed jobs'],
];

function SectionLink({ href, children }: { href: string; children: ReactNode }) {
  const [active] = useRoute(href);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** Every admin page: the section's title and the links between the admin pages. */
export function AdminPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-labelledby="page-title" className="admin">
      <nav aria-label="Administration" className="admin-nav">
        <ul>
          {sections.map(([href, text]) => (
            <li key={href}>
              <SectionLink href={href}>{text}</SectionLink>
            </li>
          ))}
        </ul>
      </nav>
      <h1 id="page-title">{title}</h1>
      {children}
    </section>
  );
}
