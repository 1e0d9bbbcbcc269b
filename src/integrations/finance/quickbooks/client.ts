import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { FinanceError } from '../port.js';
import { parseQuickBooksError } from './parse-quickbooks-error.js';
import { QBO_MAX_RESULTS, type QboQueryEntity, selectQuery } from './query.js';
import { QBO_LENIENT } from './schemas.js';
import type { QboQueryResponse } from './types.js';

/** Intuit's production API host. The sandbox companies of a developer account live at sandbox-quickbooks.api.intuit.com. */
export const QUICKBOOKS_API_URL = 'https://quickbooks.api.intuit.com';
/** Intuit retired minor versions below 75 in 2025; every call states the one it was written against. */
export const QUICKBOOKS_MINOR_VERSION = 75;

export interface QuickBooksClientOptions {
  realmId: string;
  /** Returns a valid access token; refreshing (single-flight, rotating refresh token) is the caller's job. */
  accessToken: () => Promise<string>;
  baseUrl?: string;
  minorVersion?: number;
  fetch?: typeof fetch;
}

/** The row type a query of `E` answers. */
export type EntityOf<E extends QboQueryEntity> =
  Required<QboQueryResponse['QueryResponse']>[E] extends Array<infer R> ? R : never;

/**
 * The `requestid` for an idempotency key. Intuit documents no length for requestid and we have not found one
 * stated; to stay within what its examples use we pass keys of up to 50 safe characters as they are and send a
 * stable hash of anything longer, so the same key always gives the same requestid.
 * @example requestIdFor('setup-1:customer') // 'setup-1:customer'
 */
export function requestIdFor(idempotencyKey: string): string {
  if (/^[A-Za-z0-9._:-]{1,50}$/.test(idempotencyKey)) return idempotencyKey;
  return `rh-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}

/** A thin HTTP client for one realm: auth, JSON, minorversion, requestid, errors mapped, answers validated. */
export type QuickBooksClient = ReturnType<typeof createQuickBooksClient>;

/**
 * Builds the client the adapter uses. Every answer is parsed with the lenient zod mirror of types.ts, so an
 * answer missing a field we rely on fails loudly as `unknown` instead of surfacing as `undefined` later.
 * @example const client = createQuickBooksClient({ realmId, accessToken: async () => token });
 */
export function createQuickBooksClient(options: QuickBooksClientOptions) {
  const base = (options.baseUrl ?? QUICKBOOKS_API_URL).replace(/\/$/, '');
  const minor = String(options.minorVersion ?? QUICKBOOKS_MINOR_VERSION);
  const doFetch = options.fetch ?? fetch;

  async function token(): Promise<string> {
    try {
      return await options.accessToken();
    } catch (e) {
      if (e instanceof FinanceError) throw e;
      throw new FinanceError(
        'quickbooks',
        'auth',
        `no QuickBooks access token: ${e instanceof Error ? e.message : String(e)}`,
        {
          cause: e,
        },
      );
    }
  }

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    opts: { params?: Record<string, string>; body?: unknown; idempotencyKey?: string } = {},
  ): Promise<z.output<S>> {
    const url = new URL(`${base}/v3/company/${encodeURIComponent(options.realmId)}/${path}`);
    for (const [k, v] of Object.entries(opts.params ?? {})) url.searchParams.set(k, v);
    if (opts.idempotencyKey !== undefined) url.searchParams.set('requestid', requestIdFor(opts.idempotencyKey));
    url.searchParams.set('minorversion', minor);
    const headers: Record<string, string> = {
      authorization: `Bearer ${await token()}`,
      // Without it QuickBooks answers in XML.
      accept: 'application/json',
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      });
    } catch (e) {
      throw new FinanceError(
        'quickbooks',
        'temporary',
        `could not reach QuickBooks: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      throw parseQuickBooksError({ status: response.status, body, headers: response.headers, rawText: text });
    }
    if (body === undefined) {
      throw new FinanceError('quickbooks', 'unknown', `QuickBooks answered ${method} ${path} without JSON`, {
        status: response.status,
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FinanceError(
        'quickbooks',
        'unknown',
        `QuickBooks answered ${method} ${path} in an unexpected shape: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
        { status: response.status, cause: parsed.error },
      );
    }
    return parsed.data;
  }

  /** Every row of a `select *` (all pages, 1000 per request). */
  async function queryAll<E extends QboQueryEntity>(entity: E, where: string[]): Promise<Array<EntityOf<E>>> {
    const rows: Array<EntityOf<E>> = [];
    for (let start = 1; ; start += QBO_MAX_RESULTS) {
      const res: QboQueryResponse = await call('GET', 'query', QBO_LENIENT.QueryResponse, {
        params: { query: selectQuery(entity, where, start) },
      });
      const page = (res.QueryResponse[entity] ?? []) as Array<EntityOf<E>>;
      rows.push(...page);
      if (page.length < QBO_MAX_RESULTS) return rows;
    }
  }

  /** The first page only, for lookups that expect a handful of rows. */
  async function queryPage<E extends QboQueryEntity>(entity: E, where: string[]): Promise<Array<EntityOf<E>>> {
    const res: QboQueryResponse = await call('GET', 'query', QBO_LENIENT.QueryResponse, {
      params: { query: selectQuery(entity, where, 1) },
    });
    return (res.QueryResponse[entity] ?? []) as Array<EntityOf<E>>;
  }

  /** Pages through a query one page at a time, stopping early when `visit` returns a value. */
  async function queryFind<E extends QboQueryEntity, R>(
    entity: E,
    where: string[],
    visit: (row: EntityOf<E>) => R | undefined,
    maxPages = Number.POSITIVE_INFINITY,
  ): Promise<R | undefined> {
    for (let start = 1, pages = 0; pages < maxPages; start += QBO_MAX_RESULTS, pages++) {
      const res: QboQueryResponse = await call('GET', 'query', QBO_LENIENT.QueryResponse, {
        params: { query: selectQuery(entity, where, start) },
      });
      const page = (res.QueryResponse[entity] ?? []) as Array<EntityOf<E>>;
      for (const row of page) {
        const hit = visit(row);
        if (hit !== undefined) return hit;
      }
      if (page.length < QBO_MAX_RESULTS) return undefined;
    }
    throw new FinanceError(
      'quickbooks',
      'unknown',
      `stopped after ${maxPages} pages of ${entity} without an answer; raise maxCustomerScanPages if the company is that large`,
    );
  }

  return { call, queryAll, queryPage, queryFind, realmId: options.realmId, baseUrl: base };
}
