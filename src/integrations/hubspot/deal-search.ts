import { type CrmRecord, DEFAULT_BASE_PATH } from './client.js';
import { type RetryPolicy, withHubSpotRetry } from './retry.js';

/**
 * Lists deals in given stages through HubSpot's CRM search, in ascending id order, a page at a time.
 *
 * Why keyset paging (`hs_object_id > last id`, sorted by id) instead of the search's own `after` cursor: HubSpot
 * refuses to page a search beyond its 10,000th result, and a backfill of a large portal has more won deals than
 * that; the last id is also a cursor that survives a restart of the process. Search has its own limit (a few
 * requests per second per portal), so pages are at least `minIntervalMs` apart; a backfill asks for one page per
 * hundred deals, far below it.
 */

export interface DealSearchOptions {
  portalId: number;
  accessToken: () => Promise<string>;
  basePath?: string;
  retry?: Partial<RetryPolicy>;
  /** Least time between two searches (HubSpot: 5 search requests per second per token). */
  minIntervalMs?: number;
  /** Called once per HTTP request made (for the backfill's call count). */
  onRequest?: () => void;
}

export interface DealPage {
  deals: CrmRecord[];
  /** Matching deals with an id above `afterId` (this page included). */
  total: number;
}

export interface DealSearch {
  /** Deals in `stageIds` with an id greater than `afterId` (all when null), lowest ids first, at most `limit`. */
  page(input: {
    stageIds: readonly string[];
    afterId: string | null;
    limit: number;
    properties: readonly string[];
  }): Promise<DealPage>;
}

interface SearchResponse {
  total?: number;
  results?: Array<{
    id: string;
    properties?: Record<string, string | null>;
    createdAt?: string;
    updatedAt?: string;
    archived?: boolean;
  }>;
}

/**
 * A deal search for one portal.
 * @example const search = createDealSearch({ portalId: 42, accessToken }); const { deals } = await search.page({ stageIds: ['closedwon'], afterId: null, limit: 100, properties: ['dealname'] })
 */
export function createDealSearch(options: DealSearchOptions): DealSearch {
  const base = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/$/, '');
  const minInterval = options.minIntervalMs ?? 250;
  let last = 0;

  async function post(body: unknown): Promise<SearchResponse> {
    const wait = last + minInterval - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    last = Date.now();
    options.onRequest?.();
    const res = await fetch(`${base}/crm/v3/objects/deals/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await options.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // a non-JSON body (a proxy's HTML page) is reported as it came
    }
    if (!res.ok) {
      // The SDK's ApiException shape, so parseHubSpotError maps it like every other HubSpot failure.
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      throw { code: res.status, body: parsed, headers };
    }
    return parsed as SearchResponse;
  }

  return {
    async page({ stageIds, afterId, limit, properties }) {
      if (stageIds.length === 0) return { deals: [], total: 0 };
      const filters: Array<Record<string, unknown>> = [
        { propertyName: 'dealstage', operator: 'IN', values: [...stageIds] },
      ];
      if (afterId !== null) filters.push({ propertyName: 'hs_object_id', operator: 'GT', value: afterId });
      const body = {
        filterGroups: [{ filters }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties: [...properties],
        limit: Math.min(200, Math.max(1, limit)),
      };
      const response = await withHubSpotRetry(() => post(body), {
        operation: `won deals search, portal ${options.portalId}`,
        idempotent: true,
        ...(options.retry ? { policy: options.retry } : {}),
      });
      const deals = (response.results ?? []).map((r) => ({
        id: String(r.id),
        properties: { ...(r.properties ?? {}) },
        createdAt: r.createdAt ? new Date(r.createdAt) : null,
        updatedAt: r.updatedAt ? new Date(r.updatedAt) : null,
        archived: r.archived ?? false,
      }));
      return { deals, total: Number(response.total ?? deals.length) };
    },
  };
}
