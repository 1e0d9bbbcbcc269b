import { jest } from '@jest/globals';
import { DEFAULT_BACKEND_URL } from '../../cards/shared/backend-url.js';
import type { ApiName } from '../../src/api/contracts.js';

/**
 * Stands in for HubSpot's worker: `hubspot.fetch(url, options)` is `self.hsFetch(url, options)`, so the cards run
 * their real api-client against these answers. Every call is recorded with the function name and body.
 */

export interface BackendCall {
  name: ApiName;
  url: string;
  method: string | undefined;
  body: Record<string, unknown>;
}

export type Answer = { status?: number; body: unknown } | 'network-error' | Promise<{ status?: number; body: unknown }>;

export interface StubbedBackend {
  calls: BackendCall[];
  /** Calls of one function. */
  callsTo: (name: ApiName) => BackendCall[];
  /** Answers every later call of `name` (or the next one only, with `once`). */
  answer: (name: ApiName, answer: Answer, options?: { once?: boolean }) => void;
}

type HsFetch = (
  url: string,
  options?: { method?: string; body?: Record<string, unknown>; timeout?: number },
) => Promise<Response>;

const g = globalThis as unknown as { self?: unknown; hsFetch?: HsFetch };

/** Installs a fresh stub; unanswered calls fail the test with a 500 and a clear message. */
export function stubBackend(): StubbedBackend {
  g.self = globalThis;
  const calls: BackendCall[] = [];
  const always = new Map<ApiName, Answer>();
  const once = new Map<ApiName, Answer[]>();
  g.hsFetch = jest.fn<HsFetch>(async (url, options) => {
    const prefix = `${DEFAULT_BACKEND_URL}/api/`;
    if (!url.startsWith(prefix)) throw new Error(`unexpected URL ${url}`);
    const name = url.slice(prefix.length) as ApiName;
    calls.push({ name, url, method: options?.method, body: options?.body ?? {} });
    const queued = once.get(name);
    const answer = queued && queued.length > 0 ? queued.shift() : always.get(name);
    if (answer === undefined) {
      return new Response(JSON.stringify({ code: 'internal', message: `no stubbed answer for ${name}` }), {
        status: 500,
      });
    }
    if (answer === 'network-error') throw new TypeError('fetch failed');
    const { status = 200, body } = await answer;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return {
    calls,
    callsTo: (name) => calls.filter((c) => c.name === name),
    answer: (name, answer, options) => {
      if (options?.once) once.set(name, [...(once.get(name) ?? []), answer]);
      else always.set(name, answer);
    },
  };
}

/** A promise with its resolve handle, to hold an answer back while the test looks at the loading state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
