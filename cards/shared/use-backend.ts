import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiName, ApiOutput } from '../../src/api/contracts.js';
import { asBackendError, type BackendError, call } from './api-client.js';

/** What a card shows: a spinner, an error with a retry, or the data. */
export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'success'; data: T }
  | { status: 'error'; error: BackendError };

/** Backend functions whose answer can replace a view of type T (every action answers the fresh view). */
export type ActionName<T> = { [K in ApiName]: ApiOutput<K> extends T ? K : never }[ApiName];

export interface Backend<T> {
  state: LoadState<T>;
  /** Loads again (the error state's Retry). */
  reload: () => void;
  /** Runs an action; its answer replaces the view. Resolves true on success, false when it failed (see actionError). */
  act: <M extends ActionName<T>>(name: M, input: ApiInput<M>) => Promise<boolean>;
  /** The action in flight, if any, so its button can show progress and the others wait. */
  busy: ApiName | null;
  /** Why the last action failed; the view stays as it was. */
  actionError: BackendError | null;
  clearActionError: () => void;
}

/**
 * Loads `name(input)` once per distinct input (one round trip), and runs actions whose answers replace the view.
 * A response that arrives after a newer load or action started, or after unmount, is ignored.
 * @example const { state, act } = useBackend('getHandoffView', { dealId });
 */
export function useBackend<N extends ApiName>(name: N, input: ApiInput<N>): Backend<ApiOutput<N>> {
  type T = ApiOutput<N>;
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [busy, setBusy] = useState<ApiName | null>(null);
  const [actionError, setActionError] = useState<BackendError | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Every request takes the next number; only the newest may write state.
  const latest = useRef(0);
  const inputKey = JSON.stringify(input);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger; the input is keyed by its JSON.
  useEffect(() => {
    const id = ++latest.current;
    setState({ status: 'loading' });
    setActionError(null);
    call(name, JSON.parse(inputKey) as ApiInput<N>).then(
      (data) => {
        if (latest.current === id) setState({ status: 'success', data });
      },
      (e: unknown) => {
        if (latest.current === id) setState({ status: 'error', error: asBackendError(e) });
      },
    );
    return () => {
      latest.current++;
    };
  }, [name, inputKey, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  const act = useCallback(async <M extends ActionName<T>>(action: M, actionInput: ApiInput<M>): Promise<boolean> => {
    const id = ++latest.current;
    setBusy(action);
    setActionError(null);
    try {
      const data = (await call(action, actionInput)) as T;
      if (latest.current === id) setState({ status: 'success', data });
      return true;
    } catch (e) {
      if (latest.current === id) setActionError(asBackendError(e));
      return false;
    } finally {
      if (latest.current === id) setBusy(null);
    }
  }, []);

  const clearActionError = useCallback(() => setActionError(null), []);

  return { state, reload, act, busy, actionError, clearActionError };
}
