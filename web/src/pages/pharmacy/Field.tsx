import type { ReactNode } from 'react';

/**
 * A labelled control with its hint and the API's message for it, tied to the control by
 * aria-describedby so a screen reader reads them with it.
 */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: (describedBy: string | undefined, invalid: boolean) => ReactNode }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children(described, Boolean(error))}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A refusal that belongs to no field; a CONFLICT (someone changed it first) offers to reload what is stored now. */
export function FormProblem({ error, onRefresh }: { error: { code: string; message: string } | null; onRefresh: () => void }) {
  if (!error) return null;
  if (error.code === 'CONFLICT') {
    return (
      <div role="alert" className="error">
        <p>This prescription changed since you opened it: {error.message}</p>
        <p>Your entries are kept. Refresh to see what is recorded now, then check them before sending again.</p>
        <button type="button" className="secondary" onClick={onRefresh}>
          Refresh the prescription
        </button>
      </div>
    );
  }
  return (
    <p role="alert" className="error">
      {error.message}
    </p>
  );
}
