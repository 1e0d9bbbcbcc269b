import { json, type SandboxHandler } from '../../sandbox/transport.js';
import {
  acceptedScopes,
  associationTarget,
  associationTypeId,
  objectTypeOf,
  type SandboxObjectType,
  type SandboxOperation,
  type StageSeed,
} from './catalog.js';
import { isRangedSearch, SearchRequestError, searchRecords } from './search.js';
import {
  type AccessTokenGrant,
  associationKey,
  makePipeline,
  makePortal,
  type PortalState,
  type SandboxProperty,
  type SandboxRecord,
  type SandboxState,
} from './state.js';

/**
 * A fake HubSpot for tests and the local demo: exactly the endpoints client.ts and oauth.ts call, answering with
 * the status codes and bodies HubSpot's OpenAPI specs describe (test/contracts/hubspot.contract.test.ts holds it to
 * them). Bearer tokens and their scopes are checked, writes change state (a PATCH to dealstage moves the deal and
 * bumps hs_lastmodifieddate), ids are deterministic, and a per-portal rate limit answers 429 with Retry-After when
 * switched on. Unknown routes answer 404 so that a call the sandbox does not know fails loudly.
 */

export interface SandboxRateLimit {
  requests: number;
  windowMs: number;
}

export interface HubSpotSandboxSeed {
  /** The first portal; 62515 by default. */
  portalId?: number;
  /** A ready token for that portal; 'sandbox-token' by default. */
  accessToken?: string;
  /** Scopes of that token; every scope by default. */
  scopes?: string[];
  app?: Partial<SandboxState['app']>;
  /** Off by default. */
  rateLimit?: SandboxRateLimit;
  /** Associated records per page in association reads (HubSpot: 500). */
  associationPageSize?: number;
  /** Lifetime of tokens issued by /oauth/v1/token; HubSpot: 1800 s. */
  tokenLifetimeSeconds?: number;
  now?: () => Date;
}

export interface SandboxCall {
  method: string;
  path: string;
  status: number;
  portalId?: number;
}

export interface InjectedFailure {
  method?: string;
  path: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail; 1 by default. */
  times?: number;
}

/** Seed helpers bound to one portal. */
export interface PortalSeeder {
  readonly portalId: number;
  readonly portalState: PortalState;
  addDeal(properties?: Record<string, string>): string;
  addCompany(properties?: Record<string, string>): string;
  addContact(properties?: Record<string, string>): string;
  addLineItem(properties?: Record<string, string>): string;
  /** Associates two records both ways with HubSpot's default association types. */
  associate(fromType: SandboxObjectType, fromId: string, toType: SandboxObjectType, toId: string): void;
  addOwner(owner: { email: string; firstName?: string; lastName?: string }): string;
  addPipeline(pipeline: { id: string; label: string; stages: ReadonlyArray<StageSeed> }): void;
  /** A record as the sandbox holds it (tests assert on writes this way). */
  get(type: SandboxObjectType, id: string): SandboxRecord | undefined;
  list(type: SandboxObjectType): SandboxRecord[];
  /** Ids associated to `id` in `toType`. */
  associated(fromType: SandboxObjectType, id: string, toType: SandboxObjectType): string[];
}

export interface HubSpotSandbox extends PortalSeeder {
  handle: SandboxHandler;
  /** Everything: portals, the app, OAuth codes and tokens. */
  state: SandboxState;
  /** Every request, in arrival order. */
  calls: SandboxCall[];
  portal(portalId: number): PortalSeeder;
  addPortal(portalId: number, token?: { accessToken: string; scopes?: string[] }): PortalSeeder;
  /** What HubSpot does when an admin approves the install: a one-time code for the redirect URI. */
  issueAuthCode(input: { redirectUri: string; scopes: readonly string[]; portalId?: number }): string;
  expireAccessToken(token: string): void;
  failNext(failure: InjectedFailure): void;
  setRateLimit(limit: SandboxRateLimit | undefined): void;
}

type Json = Record<string, unknown>;

class SandboxRequestError extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly extra: Json = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const fail = (status: number, category: string, message: string, extra: Json = {}) =>
  new SandboxRequestError(status, category, message, extra);

/** HubSpot's message for invalid property values: a JSON list after a fixed prefix. */
function invalidValues(problems: Array<{ name: string; error: string; message: string }>) {
  return fail(
    400,
    'VALIDATION_ERROR',
    `Property values were not valid: ${JSON.stringify(problems.map((p) => ({ isValid: false, ...p })))}`,
  );
}

const BATCH_LIMIT = 100;

/**
 * Creates a fake HubSpot with one portal and one ready token.
 * @example const hubspot = createHubSpotSandbox(); const dealId = hubspot.addDeal({ dealname: 'Acme', dealstage: 'contractsent' });
 */
export function createHubSpotSandbox(seed: HubSpotSandboxSeed = {}): HubSpotSandbox {
  const now = seed.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const pageSize = seed.associationPageSize ?? 500;
  const tokenLifetime = seed.tokenLifetimeSeconds ?? 1800;
  let rateLimit = seed.rateLimit;
  let nextId = 1001;
  let nextCorrelation = 1;
  let nextToken = 1;
  const failures: Array<InjectedFailure & { left: number }> = [];
  const calls: SandboxCall[] = [];

  const state: SandboxState = {
    app: { appId: 7001, clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret', ...seed.app },
    portals: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    authCodes: new Map(),
  };

  const correlationId = () => `00000000-0000-4000-8000-${(nextCorrelation++).toString(16).padStart(12, '0')}`;

  function errorResponse(e: SandboxRequestError): Response {
    return json(
      { status: 'error', message: e.message, correlationId: correlationId(), category: e.category, ...e.extra },
      e.status,
      e.headers,
    );
  }

  function portalState(portalId: number): PortalState {
    const portal = state.portals.get(portalId);
    if (!portal) throw new Error(`sandbox has no portal ${portalId}; addPortal(${portalId}) first`);
    return portal;
  }

  // ----- records -------------------------------------------------------------------------------------------------

  function newRecord(portal: PortalState, type: SandboxObjectType, properties: Record<string, string>): SandboxRecord {
    const id = String(nextId++);
    const at = iso();
    const record: SandboxRecord = {
      id,
      properties: { ...properties, hs_object_id: id, createdate: at, hs_lastmodifieddate: at },
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    portal.records[type].set(id, record);
    return record;
  }

  function toPublicObject(record: SandboxRecord, requested?: readonly string[]) {
    const names = requested ?? Object.keys(record.properties);
    const properties: Record<string, string> = {};
    // Empty values are left out: the spec types every property value as a string, so no nulls.
    for (const name of [...names, 'hs_object_id', 'createdate', 'hs_lastmodifieddate']) {
      const v = record.properties[name];
      if (v !== undefined && v !== '') properties[name] = v;
    }
    return {
      id: record.id,
      properties,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      archived: record.archived,
    };
  }

  function checkValue(
    portal: PortalState,
    type: SandboxObjectType,
    def: SandboxProperty,
    value: string,
    pending: Record<string, string>,
    record?: SandboxRecord,
  ): { error: string; message: string } | null {
    if (def.readOnly) return { error: 'READ_ONLY_VALUE', message: `${def.name} is a read only property` };
    if (value === '') return null;
    const bad = (what: string) => ({ error: 'INVALID_OPTION', message: `${value} was not a valid ${what}` });
    if (type === 'deals' && def.name === 'pipeline') {
      return portal.pipelines.some((p) => p.id === value && !p.archived) ? null : bad('pipeline id');
    }
    if (type === 'deals' && def.name === 'dealstage') {
      const pipelineId = pending.pipeline ?? record?.properties.pipeline ?? 'default';
      const pipeline = portal.pipelines.find((p) => p.id === pipelineId);
      return pipeline?.stages.some((s) => s.id === value && !s.archived)
        ? null
        : bad(`deal stage of pipeline ${pipelineId}`);
    }
    if (def.name === 'hubspot_owner_id') {
      return portal.owners.size === 0 || portal.owners.has(value)
        ? null
        : { error: 'INVALID_OWNER_ID', message: `${value} is not a valid owner id` };
    }
    if (def.name === 'deal_currency_code') return /^[A-Z]{3}$/.test(value) ? null : bad('currency code');
    switch (def.type) {
      case 'number':
        return /^-?\d+(\.\d+)?$/.test(value) ? null : { error: 'INVALID_NUMBER', message: `${value} is not a number` };
      case 'bool':
        return value === 'true' || value === 'false' ? null : bad('boolean (true or false)');
      case 'enumeration':
        return def.options.length === 0 || def.options.some((o) => o.value === value)
          ? null
          : bad(`${def.name} option`);
      case 'date':
        return /^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d+$/.test(value) ? null : bad('date (YYYY-MM-DD)');
      case 'datetime':
        return /^\d+$/.test(value) || !Number.isNaN(Date.parse(value)) ? null : bad('datetime');
      default:
        return value.length <= 65_536 ? null : { error: 'TOO_LONG', message: `${def.name} is over 65536 characters` };
    }
  }

  function validateProperties(
    portal: PortalState,
    type: SandboxObjectType,
    properties: unknown,
    record?: SandboxRecord,
  ): Record<string, string> {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw fail(400, 'VALIDATION_ERROR', 'Invalid input JSON: `properties` must be an object of strings');
    }
    const values = properties as Record<string, unknown>;
    const problems: Array<{ name: string; error: string; message: string }> = [];
    for (const [name, value] of Object.entries(values)) {
      const def = portal.properties[type].get(name);
      if (typeof value !== 'string') {
        problems.push({ name, error: 'INVALID_TYPE', message: `${name} must be sent as a string` });
      } else if (!def) {
        problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      } else {
        const problem = checkValue(portal, type, def, value, values as Record<string, string>, record);
        if (problem) problems.push({ name, ...problem });
      }
    }
    if (problems.length > 0) throw invalidValues(problems);
    return values as Record<string, string>;
  }

  function applyUpdate(record: SandboxRecord, values: Record<string, string>) {
    const at = iso();
    Object.assign(record.properties, values, { hs_lastmodifieddate: at });
    record.updatedAt = at;
  }

  // ----- associations --------------------------------------------------------------------------------------------

  function link(portal: PortalState, from: SandboxObjectType, fromId: string, to: SandboxObjectType, toId: string) {
    const forward = associationTypeId(from, to);
    const reverse = associationTypeId(to, from);
    if (forward === undefined || reverse === undefined) throw new Error(`HubSpot has no ${from}→${to} association`);
    const add = (a: SandboxObjectType, aId: string, b: SandboxObjectType, bId: string, typeId: number) => {
      const key = associationKey(a, aId, b);
      const targets = portal.associations.get(key) ?? new Map<string, number[]>();
      const types = targets.get(bId) ?? [];
      if (!types.includes(typeId)) types.push(typeId);
      targets.set(bId, types);
      portal.associations.set(key, targets);
    };
    add(from, fromId, to, toId, forward);
    add(to, toId, from, fromId, reverse);
  }

  // ----- request plumbing ----------------------------------------------------------------------------------------

  async function readJson(request: Request): Promise<Json> {
    const text = await request.text();
    try {
      const body = JSON.parse(text) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      return body as Json;
    } catch {
      throw fail(400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1: the body must be a JSON object');
    }
  }

  function inputsOf(body: Json, limit = BATCH_LIMIT): Json[] {
    const inputs = body.inputs;
    if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'object' || i === null)) {
      throw fail(400, 'VALIDATION_ERROR', 'Invalid input JSON: `inputs` must be a list of objects');
    }
    if (inputs.length > limit) {
      throw fail(400, 'VALIDATION_ERROR', `Batch input limit of ${limit} exceeded: got ${inputs.length} inputs`);
    }
    return inputs as Json[];
  }

  function idOf(input: Json): string {
    if (typeof input.id !== 'string' || input.id === '') {
      throw fail(400, 'VALIDATION_ERROR', 'Invalid input JSON: every input needs a string `id`');
    }
    return input.id;
  }

  function authenticate(request: Request): { token: string; grant: AccessTokenGrant } {
    const header = request.headers.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw fail(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
      );
    }
    const grant = state.accessTokens.get(match[1]);
    if (!grant) throw fail(401, 'INVALID_AUTHENTICATION', 'The OAuth token used to make this call is not valid.');
    if (grant.expiresAt !== null && grant.expiresAt <= now().getTime()) {
      throw fail(401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.');
    }
    return { token: match[1], grant };
  }

  function authorize(
    grant: AccessTokenGrant,
    operation: SandboxOperation,
    type: SandboxObjectType,
    toType?: SandboxObjectType,
  ) {
    if (grant.scopes === null) return;
    const accepted = acceptedScopes(operation, type, toType);
    if (accepted.some((s) => grant.scopes?.includes(s))) return;
    throw fail(403, 'MISSING_SCOPES', 'This app hasn’t been granted all required scopes to make this call.', {
      errors: [{ message: `One or more of the following scopes are required.`, context: { requiredScopes: accepted } }],
    });
  }

  function throttle(portal: PortalState): Record<string, string> {
    const limit = rateLimit;
    if (!limit) return {};
    const t = now().getTime();
    portal.requestTimes = portal.requestTimes.filter((at) => at > t - limit.windowMs);
    const headers = {
      'x-hubspot-ratelimit-max': String(limit.requests),
      'x-hubspot-ratelimit-interval-milliseconds': String(limit.windowMs),
    };
    if (portal.requestTimes.length >= limit.requests) {
      const oldest = portal.requestTimes[0] ?? t;
      const waitSeconds = Math.max(1, Math.ceil((oldest + limit.windowMs - t) / 1000));
      throw new SandboxRequestError(
        429,
        'RATE_LIMITS',
        'You have reached your ten_secondly_rolling limit.',
        { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
        { ...headers, 'retry-after': String(waitSeconds), 'x-hubspot-ratelimit-remaining': '0' },
      );
    }
    portal.requestTimes.push(t);
    return { ...headers, 'x-hubspot-ratelimit-remaining': String(limit.requests - portal.requestTimes.length) };
  }

  function objectType(segment: string | undefined): SandboxObjectType {
    const type = segment ? objectTypeOf(segment) : undefined;
    if (!type) throw fail(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${segment ?? ''}`);
    return type;
  }

  // ----- CRM routes ----------------------------------------------------------------------------------------------

  /** A batch's answer: `success` (200, or 201 for a create) when every input went through, else 207 with the errors. */
  function batchResponse(results: unknown[], errors: Json[], success = 200) {
    const at = iso();
    const body: Json = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
    if (errors.length === 0) return json(body, success);
    return json({ ...body, errors, numErrors: errors.length }, 207);
  }

  /** One input's error inside a batch answer. */
  function batchError(category: string, message: string, context: Record<string, string[]>): Json {
    return { status: 'error', category, message, context, errors: [], links: {} };
  }

  async function crm(request: Request, segments: string[], method: string, grant: AccessTokenGrant) {
    const portal = portalState(grant.portalId);
    const [api, version, kind, a, b, c, d] = segments;

    // POST /crm/v3/objects/{type}/search with ranges, IN, sorts or paging (the backfill's won-deal listing):
    // HubSpot's search semantics in search.ts. Plain EQ lookups fall through to the route below.
    if (api === 'crm' && version === 'v3' && kind === 'objects' && b === 'search' && !c && method === 'POST') {
      const body = await readJson(request.clone());
      if (isRangedSearch(body)) {
        const type = objectType(a);
        authorize(grant, 'objects.batchRead', type);
        const requested = Array.isArray(body.properties) ? (body.properties as unknown[]).map(String) : [];
        const known = requested.filter((name) => portal.properties[type].has(name));
        let page: ReturnType<typeof searchRecords>;
        try {
          page = searchRecords(portal.records[type].values(), body);
        } catch (e) {
          if (e instanceof SearchRequestError) throw fail(400, 'VALIDATION_ERROR', e.message);
          throw e;
        }
        return json(
          {
            total: page.total,
            results: page.results.map((r) => toPublicObject(r, known)),
            ...(page.after ? { paging: { next: { after: page.after, link: `?after=${page.after}` } } } : {}),
          },
          200,
        );
      }
    }

    // POST /crm/v3/objects/{type}/batch/read | /batch/update
    if (api === 'crm' && version === 'v3' && kind === 'objects' && b === 'batch' && method === 'POST' && !d) {
      const type = objectType(a);
      if (c === 'read') {
        authorize(grant, 'objects.batchRead', type);
        const body = await readJson(request);
        const inputs = inputsOf(body);
        const requested = Array.isArray(body.properties) ? (body.properties as unknown[]).map(String) : [];
        const known = requested.filter((name) => portal.properties[type].has(name));
        const results = [];
        const missing: string[] = [];
        for (const id of new Set(inputs.map(idOf))) {
          const record = portal.records[type].get(id);
          if (record && !record.archived) results.push(toPublicObject(record, known));
          else missing.push(id);
        }
        const errors =
          missing.length > 0
            ? [
                batchError(
                  'OBJECT_NOT_FOUND',
                  `Could not get some ${type} objects, they may be deleted or not exist.`,
                  {
                    ids: missing,
                  },
                ),
              ]
            : [];
        return batchResponse(results, errors);
      }
      if (c === 'update') {
        authorize(grant, 'objects.batchUpdate', type);
        const inputs = inputsOf(await readJson(request));
        const ids = inputs.map(idOf);
        if (new Set(ids).size !== ids.length) {
          throw fail(400, 'VALIDATION_ERROR', 'Duplicate IDs found in batch input');
        }
        const missing = ids.filter((id) => !portal.records[type].get(id));
        // All inputs are validated before anything is written: HubSpot refuses the whole batch for a bad value.
        const planned = inputs
          .map((input, i) => ({ record: portal.records[type].get(ids[i] as string), input }))
          .filter((x): x is { record: SandboxRecord; input: Json } => x.record !== undefined)
          .map(({ record, input }) => ({ record, values: validateProperties(portal, type, input.properties, record) }));
        const results = planned.map(({ record, values }) => {
          applyUpdate(record, values);
          return toPublicObject(record, Object.keys(values));
        });
        const errors =
          missing.length > 0
            ? [batchError('OBJECT_NOT_FOUND', `Could not update some ${type} objects.`, { ids: missing })]
            : [];
        return batchResponse(results, errors);
      }
    }

    // PATCH /crm/v3/objects/{type}/{id}
    if (api === 'crm' && version === 'v3' && kind === 'objects' && b && !c && method === 'PATCH') {
      const type = objectType(a);
      authorize(grant, 'objects.update', type);
      const record = portal.records[type].get(b);
      if (!record || record.archived) throw fail(404, 'OBJECT_NOT_FOUND', 'resource not found');
      const body = await readJson(request);
      const values = validateProperties(portal, type, body.properties, record);
      applyUpdate(record, values);
      return json(toPublicObject(record, Object.keys(values)), 200);
    }

    // POST /crm/v3/objects/{tasks|deals}/search — EQ filters on properties and on `associations.<type>`
    if (api === 'crm' && version === 'v3' && kind === 'objects' && b === 'search' && !c && method === 'POST') {
      const type = objectType(a);
      if (type !== 'tasks' && type !== 'deals')
        throw fail(404, 'OBJECT_NOT_FOUND', 'sandbox searches tasks/deals only');
      authorize(grant, 'objects.batchRead', type === 'tasks' ? 'deals' : type);
      const body = await readJson(request);
      const groups = Array.isArray(body.filterGroups) ? (body.filterGroups as Json[]) : [];
      const requested = Array.isArray(body.properties) ? (body.properties as unknown[]).map(String) : [];
      const matches = (record: SandboxRecord, filter: Json): boolean => {
        if (filter.operator !== 'EQ') throw fail(400, 'VALIDATION_ERROR', 'sandbox search supports operator EQ only');
        const name = String(filter.propertyName ?? '');
        const value = String(filter.value ?? '');
        if (name.startsWith('associations.')) {
          const target = objectType(`${name.slice('associations.'.length)}s`);
          return portal.associations.get(associationKey(type, record.id, target))?.has(value) ?? false;
        }
        return (record.properties[name] ?? '') === value;
      };
      const results = [...portal.records[type].values()]
        .filter((r) => !r.archived)
        .filter(
          (r) =>
            groups.length === 0 ||
            groups.some((g) => (Array.isArray(g.filters) ? (g.filters as Json[]) : []).every((f) => matches(r, f))),
        )
        .map((r) => toPublicObject(r, requested));
      return json({ total: results.length, results }, 200);
    }

    // POST /crm/v3/objects/{notes|tasks|deals}
    if (api === 'crm' && version === 'v3' && kind === 'objects' && a && !b && method === 'POST') {
      const type = objectType(a);
      if (type !== 'notes' && type !== 'tasks' && type !== 'deals') {
        throw fail(404, 'OBJECT_NOT_FOUND', `sandbox creates only notes/tasks/deals`);
      }
      authorize(grant, 'objects.create', type);
      const body = await readJson(request);
      const values = validateProperties(portal, type, body.properties);
      if (type !== 'deals' && !values.hs_timestamp) {
        throw invalidValues([
          { name: 'hs_timestamp', error: 'REQUIRED_PROPERTY', message: 'hs_timestamp is required' },
        ]);
      }
      const targets: Array<[SandboxObjectType, string]> = [];
      for (const association of Array.isArray(body.associations) ? (body.associations as Json[]) : []) {
        const toId = String((association.to as Json | undefined)?.id ?? '');
        for (const spec of Array.isArray(association.types) ? (association.types as Json[]) : []) {
          const target = associationTarget(type, Number(spec.associationTypeId));
          if (!target || spec.associationCategory !== 'HUBSPOT_DEFINED') {
            throw fail(400, 'VALIDATION_ERROR', `association type ${String(spec.associationTypeId)} is not valid`);
          }
          if (!portal.records[target].get(toId)) {
            throw fail(400, 'VALIDATION_ERROR', `${target} ${toId} does not exist, so it cannot be associated`);
          }
          targets.push([target, toId]);
        }
      }
      const record = newRecord(portal, type, values);
      for (const [target, toId] of targets) link(portal, type, record.id, target, toId);
      return json(toPublicObject(record), 201);
    }

    // POST /crm/v4/associations/{from}/{to}/batch/read
    if (api === 'crm' && version === 'v4' && kind === 'associations' && c === 'batch' && d === 'read') {
      if (method !== 'POST') throw fail(405, 'VALIDATION_ERROR', 'method not allowed');
      const from = objectType(a);
      const to = objectType(b);
      authorize(grant, 'associations.batchRead', from, to);
      const inputs = inputsOf(await readJson(request));
      const results: Json[] = [];
      const missing: string[] = [];
      for (const input of inputs) {
        const id = idOf(input);
        const targets = [...(portal.associations.get(associationKey(from, id, to)) ?? new Map<string, number[]>())]
          .filter(([toId]) => portal.records[to].get(toId) !== undefined)
          .sort(([x], [y]) => Number(x) - Number(y));
        if (!portal.records[from].get(id) || targets.length === 0) {
          missing.push(id);
          continue;
        }
        const start = typeof input.after === 'string' ? Number(input.after) || 0 : 0;
        const page = targets.slice(start, start + pageSize);
        const result: Json = {
          from: { id },
          to: page.map(([toId, typeIds]) => ({
            toObjectId: toId,
            associationTypes: typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId })),
          })),
        };
        if (start + pageSize < targets.length) result.paging = { next: { after: String(start + pageSize) } };
        results.push(result);
      }
      const errors = missing.map((id) =>
        batchError('OBJECT_NOT_FOUND', `No ${to} is associated with ${from} ${id}.`, { fromObjectId: [id] }),
      );
      return batchResponse(results, errors);
    }

    // GET /crm/v3/pipelines/deals
    if (api === 'crm' && version === 'v3' && kind === 'pipelines' && a && !b && method === 'GET') {
      const type = objectType(a);
      if (type !== 'deals') throw fail(400, 'VALIDATION_ERROR', `sandbox has pipelines for deals only`);
      authorize(grant, 'pipelines.list', type);
      return json({ results: portal.pipelines.filter((p) => !p.archived) }, 200);
    }

    if (api === 'crm' && version === 'v3' && kind === 'properties' && a) {
      const type = objectType(a);
      // GET /crm/v3/properties/{type}
      if (!b && method === 'GET') {
        authorize(grant, 'properties.list', type);
        return json({ results: [...portal.properties[type].values()].map(publicProperty) }, 200);
      }
      // POST /crm/v3/properties/{type}/batch/create: each input as a single create would take it; the ones refused
      // (already there, invalid) come back as errors of a 207 next to the ones created.
      if (b === 'batch' && c === 'create' && !d && method === 'POST') {
        authorize(grant, 'properties.create', type);
        const body = await readJson(request);
        if (!Array.isArray(body.inputs)) throw fail(400, 'VALIDATION_ERROR', 'A batch create needs `inputs`');
        const results: unknown[] = [];
        const errors: Json[] = [];
        for (const input of body.inputs as Json[]) {
          try {
            results.push(publicProperty(createProperty(portal, type, input)));
          } catch (e) {
            if (!(e instanceof SandboxRequestError)) throw e;
            errors.push(batchError(e.category, e.message, { name: [String(input.name)] }));
          }
        }
        return batchResponse(results, errors, 201);
      }
      // GET /crm/v3/properties/{type}/groups/{name}
      if (b === 'groups' && c && !d && method === 'GET') {
        authorize(grant, 'groups.read', type);
        const group = portal.groups[type].get(c);
        if (!group) throw fail(404, 'OBJECT_NOT_FOUND', `Unable to find property group ${c}`);
        return json({ ...group, archived: false }, 200);
      }
      // POST /crm/v3/properties/{type}/groups
      if (b === 'groups' && !c && method === 'POST') {
        authorize(grant, 'groups.create', type);
        const body = await readJson(request);
        if (typeof body.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(body.name) || typeof body.label !== 'string') {
          throw fail(400, 'VALIDATION_ERROR', 'A property group needs a lower-case `name` and a `label`');
        }
        if (portal.groups[type].has(body.name)) {
          throw fail(409, 'OBJECT_ALREADY_EXISTS', `A property group named ${body.name} already exists.`);
        }
        const group = {
          name: body.name,
          label: body.label,
          displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1,
        };
        portal.groups[type].set(group.name, group);
        return json({ ...group, archived: false }, 201, {
          location: `/crm/v3/properties/${type}/groups/${group.name}`,
        });
      }
    }

    throw fail(404, 'OBJECT_NOT_FOUND', `The HubSpot sandbox has no route for ${method} /${segments.join('/')}`);
  }

  const FIELD_TYPES: Record<string, string[]> = {
    string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
    number: ['number', 'calculation_equation'],
    date: ['date'],
    datetime: ['date'],
    enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
    bool: ['booleancheckbox', 'calculation_equation'],
  };

  function createProperty(portal: PortalState, type: SandboxObjectType, body: Json): SandboxProperty {
    const { name, label, groupName, fieldType } = body;
    const propertyType = body.type;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) {
      throw fail(400, 'VALIDATION_ERROR', `Property name ${String(name)} must be lower case letters, digits and _`);
    }
    if (typeof label !== 'string' || typeof groupName !== 'string' || typeof fieldType !== 'string') {
      throw fail(400, 'VALIDATION_ERROR', 'A property needs `label`, `groupName`, `type` and `fieldType`');
    }
    if (typeof propertyType !== 'string' || !FIELD_TYPES[propertyType]?.includes(fieldType)) {
      throw fail(400, 'VALIDATION_ERROR', `fieldType ${fieldType} is not valid for type ${String(propertyType)}`);
    }
    if (portal.properties[type].has(name)) {
      throw fail(409, 'OBJECT_ALREADY_EXISTS', `Property named ${name} already exists.`);
    }
    if (!portal.groups[type].has(groupName)) {
      throw fail(400, 'VALIDATION_ERROR', `Property group ${groupName} does not exist.`);
    }
    const options = Array.isArray(body.options) ? (body.options as Json[]) : [];
    if ((propertyType === 'enumeration' || propertyType === 'bool') && options.length === 0) {
      throw fail(400, 'VALIDATION_ERROR', `${propertyType} properties need options`);
    }
    if (
      propertyType === 'bool' &&
      options
        .map((o) => o.value)
        .sort()
        .join() !== 'false,true'
    ) {
      throw fail(400, 'VALIDATION_ERROR', 'bool properties need exactly the options true and false');
    }
    const at = iso();
    const property: SandboxProperty = {
      name,
      label,
      description: typeof body.description === 'string' ? body.description : '',
      groupName,
      type: propertyType,
      fieldType,
      options: options.map((o, i) => ({
        label: String(o.label),
        value: String(o.value),
        displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : i,
        hidden: o.hidden === true,
      })),
      formField: body.formField !== false,
      hubspotDefined: false,
      readOnly: false,
      createdAt: at,
      updatedAt: at,
    };
    portal.properties[type].set(name, property);
    return property;
  }

  function publicProperty(p: SandboxProperty) {
    return {
      name: p.name,
      label: p.label,
      description: p.description,
      groupName: p.groupName,
      type: p.type,
      fieldType: p.fieldType,
      options: p.options,
      formField: p.formField,
      hubspotDefined: p.hubspotDefined,
      calculated: false,
      externalOptions: false,
      hasUniqueValue: false,
      hidden: false,
      archived: false,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      modificationMetadata: {
        archivable: !p.hubspotDefined,
        readOnlyDefinition: p.hubspotDefined,
        readOnlyValue: p.readOnly,
      },
    };
  }

  // ----- OAuth routes --------------------------------------------------------------------------------------------

  function issueTokens(grant: { portalId: number; scopes: string[]; userId: number }, refreshToken?: string) {
    const n = nextToken++;
    const accessToken = `sandbox-access-${grant.portalId}-${n}`;
    const refresh = refreshToken ?? `sandbox-refresh-${grant.portalId}-${n}`;
    state.accessTokens.set(accessToken, {
      portalId: grant.portalId,
      scopes: [...grant.scopes],
      expiresAt: now().getTime() + tokenLifetime * 1000,
      userId: grant.userId,
    });
    state.refreshTokens.set(refresh, { portalId: grant.portalId, scopes: [...grant.scopes], userId: grant.userId });
    return json(
      {
        access_token: accessToken,
        refresh_token: refresh,
        expires_in: tokenLifetime,
        token_type: 'bearer',
        token_use: 'access_token',
        hub_id: grant.portalId,
        user_id: grant.userId,
        scopes: [...grant.scopes],
      },
      200,
    );
  }

  function oauthError(status: string, message: string) {
    return fail(400, 'VALIDATION_ERROR', message, { status });
  }

  async function token(request: Request) {
    if (!(request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      throw oauthError('BAD_REQUEST', 'the token endpoint takes application/x-www-form-urlencoded bodies');
    }
    const form = new URLSearchParams(await request.text());
    if (form.get('client_id') !== state.app.clientId || form.get('client_secret') !== state.app.clientSecret) {
      throw oauthError('BAD_CLIENT_ID', 'missing or unknown client id or secret');
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = state.authCodes.get(form.get('code') ?? '');
      if (!code || code.used) throw oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (code.redirectUri !== form.get('redirect_uri')) {
        throw oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the one the code was issued for');
      }
      code.used = true;
      return issueTokens(code);
    }
    if (grantType === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const grant = state.refreshTokens.get(refresh);
      if (!grant) throw oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      // HubSpot keeps the refresh token: the same one comes back.
      return issueTokens(grant, refresh);
    }
    throw oauthError('BAD_GRANT_TYPE', `grant_type must be authorization_code or refresh_token`);
  }

  function tokenInfo(tokenValue: string) {
    const grant = state.accessTokens.get(tokenValue);
    const t = now().getTime();
    if (!grant || (grant.expiresAt !== null && grant.expiresAt <= t)) {
      throw fail(404, 'OBJECT_NOT_FOUND', 'Token not found or expired');
    }
    return json(
      {
        token: tokenValue,
        user: `user${grant.userId}@sandbox.example`,
        hub_domain: `sandbox-${grant.portalId}.hubspot.test`,
        scopes: grant.scopes ?? [],
        hub_id: grant.portalId,
        app_id: state.app.appId,
        expires_in: grant.expiresAt === null ? tokenLifetime : Math.max(0, Math.floor((grant.expiresAt - t) / 1000)),
        user_id: grant.userId,
        token_type: 'access',
      },
      200,
    );
  }

  // ----- the handler ---------------------------------------------------------------------------------------------

  async function route(request: Request, call: SandboxCall): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const injected = failures.find(
      (f) =>
        f.left > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? url.pathname === f.path : f.path.test(url.pathname)),
    );
    if (injected) {
      injected.left -= 1;
      return json(
        injected.body ?? {
          status: 'error',
          message: `injected failure ${injected.status}`,
          correlationId: correlationId(),
          category: injected.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR',
        },
        injected.status,
        injected.headers,
      );
    }
    if (segments[0] === 'oauth' && segments[1] === 'v1') {
      if (segments[2] === 'token' && segments.length === 3 && method === 'POST') return token(request);
      if (segments[2] === 'access-tokens' && segments[3] && segments.length === 4 && method === 'GET') {
        return tokenInfo(segments[3]);
      }
      throw fail(404, 'OBJECT_NOT_FOUND', `The HubSpot sandbox has no route for ${method} ${url.pathname}`);
    }
    const { grant } = authenticate(request);
    call.portalId = grant.portalId;
    const headers = throttle(portalState(grant.portalId));
    const response = await crm(request, segments, method, grant);
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  }

  const handle: SandboxHandler = async (request) => {
    const call: SandboxCall = { method: request.method.toUpperCase(), path: new URL(request.url).pathname, status: 0 };
    calls.push(call);
    let response: Response;
    try {
      response = await route(request, call);
    } catch (e) {
      if (!(e instanceof SandboxRequestError)) throw e;
      response = errorResponse(e);
    }
    call.status = response.status;
    return response;
  };

  // ----- seeding -------------------------------------------------------------------------------------------------

  function seeder(portalId: number): PortalSeeder {
    const portal = () => portalState(portalId);
    const add =
      (type: SandboxObjectType) =>
      (properties: Record<string, string> = {}) => {
        const defaults: Record<string, string> = type === 'deals' ? { pipeline: 'default' } : {};
        return newRecord(portal(), type, { ...defaults, ...properties }).id;
      };
    return {
      portalId,
      get portalState() {
        return portal();
      },
      addDeal: add('deals'),
      addCompany: add('companies'),
      addContact: add('contacts'),
      addLineItem: add('line_items'),
      associate: (fromType, fromId, toType, toId) => link(portal(), fromType, fromId, toType, toId),
      addOwner(owner) {
        const id = String(nextId++);
        portal().owners.set(id, {
          id,
          email: owner.email,
          firstName: owner.firstName ?? '',
          lastName: owner.lastName ?? '',
        });
        return id;
      },
      addPipeline(pipeline) {
        const p = portal();
        p.pipelines.push(makePipeline(pipeline.id, pipeline.label, p.pipelines.length, pipeline.stages, iso()));
      },
      get: (type, id) => portal().records[type].get(id),
      list: (type) => [...portal().records[type].values()],
      associated: (fromType, id, toType) => [
        ...(portal()
          .associations.get(associationKey(fromType, id, toType))
          ?.keys() ?? []),
      ],
    };
  }

  function addPortal(portalId: number, tokenSeed?: { accessToken: string; scopes?: string[] }): PortalSeeder {
    if (!state.portals.has(portalId)) state.portals.set(portalId, makePortal(portalId, iso()));
    if (tokenSeed) {
      state.accessTokens.set(tokenSeed.accessToken, {
        portalId,
        scopes: tokenSeed.scopes ?? null,
        expiresAt: null,
        userId: 1,
      });
    }
    return seeder(portalId);
  }

  const first = addPortal(seed.portalId ?? 62515, {
    accessToken: seed.accessToken ?? 'sandbox-token',
    ...(seed.scopes ? { scopes: seed.scopes } : {}),
  });

  return {
    ...first,
    get portalState() {
      return first.portalState;
    },
    handle,
    state,
    calls,
    portal: seeder,
    addPortal,
    issueAuthCode(input) {
      const portalId = input.portalId ?? first.portalId;
      addPortal(portalId);
      const code = `sandbox-code-${nextToken++}`;
      state.authCodes.set(code, {
        portalId,
        scopes: [...input.scopes],
        redirectUri: input.redirectUri,
        userId: 1,
        used: false,
      });
      return code;
    },
    expireAccessToken(tokenValue) {
      const grant = state.accessTokens.get(tokenValue);
      if (grant) grant.expiresAt = now().getTime() - 1;
    },
    failNext(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 });
    },
    setRateLimit(limit) {
      rateLimit = limit;
    },
  };
}
