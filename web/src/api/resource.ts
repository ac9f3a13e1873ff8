import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session.js';
import type { Api } from './client.js';

export type Resource<T> =
  | { readonly state: 'loading'; readonly data?: T; readonly reload: () => void }
  | { readonly state: 'error'; readonly error: unknown; readonly data?: T; readonly reload: () => void }
  | { readonly state: 'ready'; readonly data: T; readonly reload: () => void };

/**
 * Loads data with the session's API client whenever `deps` change, cancelling the previous request.
 * `reload` fetches again, keeping the old data on screen meanwhile (no flash of a spinner); with
 * `keepPrevious`, so does a change of `deps` (a new filter keeps the old results until the new ones come).
 */
export function useResource<T>(
  load: (api: Api, signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: { readonly keepPrevious?: boolean } = {},
): Resource<T> {
  const keepPrevious = options.keepPrevious === true;
  const { api } = useSession();
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ state: 'loading' | 'error' | 'ready'; data?: T; error?: unknown }>({
    state: 'loading',
  });
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const lastDeps = useRef<DependencyList | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: callers list what `load` depends on in `deps`.
  useEffect(() => {
    const controller = new AbortController();
    const sameDeps = keepPrevious || (lastDeps.current !== undefined && sameValues(lastDeps.current, deps));
    lastDeps.current = deps;
    setState((previous) =>
      sameDeps && previous.data !== undefined ? { state: 'loading', data: previous.data } : { state: 'loading' },
    );
    load(api, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ state: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((previous) => ({ state: 'error', error, data: previous.data }));
      },
    );
    return () => controller.abort();
  }, [api, generation, ...deps]);

  if (state.state === 'ready') return { state: 'ready', data: state.data as T, reload };
  if (state.state === 'error') return { state: 'error', error: state.error, data: state.data, reload };
  return { state: 'loading', data: state.data, reload };
}

function sameValues(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}
