import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { API, type ApiInput, type ApiName, type ApiOutput } from '../../src/api/contracts.js';
import { BACKEND_URL } from './backend-url.js';
import { SHARED_STRINGS as S } from './strings.js';

/**
 * The one way the cards reach the backend: `hubspot.fetch` (HubSpot signs the request and adds the portal and
 * user to the URL) to POST /api/<name>, the answer checked against the contract's output schema.
 */

/** Below HubSpot's own 15 s limit, so our message shows instead of the platform's. */
export const TIMEOUT_MS = 14_000;

/**
 * What went wrong, in the terms a card acts on: `rejected` (the server refused the input: show its message next to
 * the form), `conflict` (stale revision: reload), `forbidden`, `unavailable` (5xx, 429: try again), `unreachable`
 * (network, timeout), `unexpected` (an answer that does not match the contract).
 */
export type BackendErrorKind = 'rejected' | 'conflict' | 'forbidden' | 'unavailable' | 'unreachable' | 'unexpected';

export class BackendError extends Error {
  readonly kind: BackendErrorKind;
  /** HTTP status, when the backend answered. */
  readonly status: number | null;
  /** The backend's error code, e.g. `invalid_input`. */
  readonly code: string | null;
  /** The field at fault, e.g. `template.sla.hours`, when the backend named one. */
  readonly path: string | null;

  constructor(
    kind: BackendErrorKind,
    message: string,
    details: { status?: number; code?: string | null; path?: string | null } = {},
  ) {
    super(message);
    this.name = 'BackendError';
    this.kind = kind;
    this.status = details.status ?? null;
    this.code = details.code ?? null;
    this.path = details.path || null;
  }
}

/** Any thrown value as a BackendError, so hooks and views deal with one type. */
export function asBackendError(e: unknown): BackendError {
  return e instanceof BackendError ? e : new BackendError('unexpected', S.unexpectedAnswer);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function errorFromAnswer(status: number, body: unknown): BackendError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const details = { status, code: text(b.code), path: text(b.path) };
  const message = text(b.message);
  if (status === 409)
    return new BackendError('conflict', message ? `${message} ${S.conflictHint}` : S.conflictHint, details);
  if (status === 401 || status === 403) return new BackendError('forbidden', message ?? S.forbiddenFallback, details);
  if (status === 429) return new BackendError('unavailable', S.busy, details);
  if (status >= 500) return new BackendError('unavailable', S.serverTrouble, details);
  return new BackendError('rejected', message ?? S.rejectedFallback, details);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/**
 * Calls backend function `name` with `input`; resolves with its contract-checked answer or rejects with a
 * BackendError whose message a person can read.
 * @example const view = await call('getHandoffView', { dealId: '123' });
 */
export async function call<N extends ApiName>(name: N, input: ApiInput<N>): Promise<ApiOutput<N>> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}/api/${name}`, {
      method: 'POST',
      body: input as Record<string, unknown>,
      timeout: TIMEOUT_MS,
    });
  } catch {
    throw new BackendError('unreachable', S.unreachable);
  }
  const body = await readJson(response);
  if (!response.ok) throw errorFromAnswer(response.status, body);
  const schema = API[name].output as unknown as z.ZodType<ApiOutput<N>>;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BackendError('unexpected', S.unexpectedAnswer, { status: response.status });
  return parsed.data;
}
