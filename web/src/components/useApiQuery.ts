import { useCallback, useEffect, useState } from 'react';
import { ApiError, request, type Answer } from '../api/client';
import type { TypedDocumentString } from '../generated/graphql';

export type Loaded<TResult> =
  | { status: 'loading'; answer: null; error: null }
  | { status: 'done'; answer: Answer<TResult>; error: null }
  | { status: 'failed'; answer: null; error: ApiError };

const asApiError = (failure: unknown) => (failure instanceof ApiError ? failure : new ApiError({ message: String(failure) }));

/**
 * Runs a query when the page opens and whenever its variables change; `reload()` runs it again
 * (after a mutation, or on a live event) without blanking what is shown meanwhile.
 */
export function useApiQuery<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Loaded<TResult> & { reload: () => void } {
  const [state, setState] = useState<Loaded<TResult>>({ status: 'loading', answer: null, error: null });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables ?? {});
  useEffect(() => {
    let current = true;
    const run = request as (document: TypedDocumentString<TResult, TVariables>, variables: TVariables) => Promise<Answer<TResult>>;
    run(document, JSON.parse(key) as TVariables).then(
      (answer) => current && setState({ status: 'done', answer, error: null }),
      (failure: unknown) => current && setState({ status: 'failed', answer: null, error: asApiError(failure) }),
    );
    return () => {
      current = false;
    };
  }, [document, key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

/**
 * A mutation's state for a form or a button: `run` resolves to the answer, or to null after
 * showing the error (CONFLICT, BAD_USER_INPUT, …) in `error`.
 */
export function useApiMutation<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(
    async (variables: TVariables): Promise<Answer<TResult> | null> => {
      setBusy(true);
      setError(null);
      try {
        return await (request as (document: TypedDocumentString<TResult, TVariables>, variables: TVariables) => Promise<Answer<TResult>>)(document, variables);
      } catch (failure) {
        setError(asApiError(failure));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [document],
  );
  return { run, busy, error, clearError: () => setError(null) };
}
