import { AssociationTypes, Client } from '@hubspot/api-client';
import type { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import type { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import type {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { HubSpotError, type HubSpotErrorKind } from './errors.js';
import {
  type CrmObjectType,
  type PropertyDefinition,
  type PropertyDefinitions,
  REVENUE_HANDOFF_PROPERTIES,
} from './properties.js';
import { type RetryPolicy, withHubSpotRetry } from './retry.js';

/**
 * The one module through which the app talks to HubSpot's CRM. It speaks in plain records (ids, property maps,
 * stages) and keeps the SDK, its models and its paths inside, so moving from the v3/v4 paths the SDK calls today
 * to the date-based `/crm/objects/2026-09/…` paths (v4 associations lose support on 2027-03-30, v1–v3 in
 * September 2027) changes this file and nothing else.
 *
 * Per portal: one SDK client whose Bottleneck limiter holds HubSpot's per-app budget for that portal, shared by
 * every HubSpotCrm built for the portal in this process. Retries and error mapping are in retry.ts / errors.ts.
 */

export const DEFAULT_BASE_PATH = 'https://api.hubapi.com';

/** HubSpot's batch endpoints take at most 100 inputs per call. */
export const BATCH_LIMIT = 100;

/** A CRM record: its id and the requested properties as HubSpot stores them (strings; null when empty). */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date | null;
  updatedAt: Date | null;
  archived: boolean;
}

/** A value to write: numbers and booleans become HubSpot's strings, null clears the property. */
export type PropertyValue = string | number | boolean | null;

export interface RecordUpdate {
  id: string;
  properties: Record<string, PropertyValue>;
}

export interface DealStage {
  id: string;
  label: string;
  displayOrder: number;
  isClosed: boolean;
  /** Closed and won: HubSpot marks these with isClosed and probability 1.0. */
  closedWon: boolean;
  /** Win probability 0–1 from the stage metadata, null when the stage has none. */
  probability: number | null;
}

export interface DealPipeline {
  id: string;
  label: string;
  displayOrder: number;
  /** In display order; archived stages left out. */
  stages: DealStage[];
}

/** Records a note or task is attached to. */
export interface EngagementAssociations {
  deals?: readonly string[];
  companies?: readonly string[];
  contacts?: readonly string[];
}

export interface NoteInput {
  /** Rendered as HTML by HubSpot. */
  body: string;
  associations: EngagementAssociations;
  /** When the note is dated on the timeline; now by default. */
  timestamp?: Date;
}

export interface TaskInput {
  subject: string;
  body: string;
  /** HubSpot owner id of the person who should do it (usually the deal owner). */
  ownerId?: string;
  dueAt: Date;
  priority?: 'LOW' | 'MEDIUM' | 'HIGH';
  associations: EngagementAssociations;
}

export interface DealInput {
  properties: Record<string, string>;
  associations: { companies?: readonly string[] };
}

export interface EnsurePropertiesResult {
  /** `objectType/groupName` of each group created now. */
  createdGroups: string[];
  /** `objectType/propertyName` of each property created now. Empty on every run after the first. */
  createdProperties: string[];
}

/** The app's view of a portal's CRM. */
export interface HubSpotCrm {
  readonly portalId: number;
  batchReadDeals(ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]>;
  batchReadCompanies(ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]>;
  batchReadContacts(ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]>;
  batchReadLineItems(ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]>;
  /** Associated record ids per requested id (every id present, [] when it has none). */
  readAssociations(
    fromType: CrmObjectType,
    ids: readonly string[],
    toType: CrmObjectType,
  ): Promise<Record<string, string[]>>;
  batchUpdateDeals(updates: readonly RecordUpdate[]): Promise<CrmRecord[]>;
  batchUpdateCompanies(updates: readonly RecordUpdate[]): Promise<CrmRecord[]>;
  /** The billing contact's name, email and phone live on the contact record. */
  batchUpdateContacts(updates: readonly RecordUpdate[]): Promise<CrmRecord[]>;
  getDealPipelines(): Promise<DealPipeline[]>;
  updateDealStage(dealId: string, stageId: string): Promise<CrmRecord>;
  createNote(input: NoteInput): Promise<{ id: string }>;
  createTask(input: TaskInput): Promise<{ id: string }>;
  /** Creates a deal (e.g. a renewal deal), associated with the given companies. */
  createDeal(input: DealInput): Promise<{ id: string }>;
  /**
   * Tasks or deals whose properties equal every given value (HubSpot's search, operator EQ); `associations.deal`
   * filters by an associated deal. Search lags writes by seconds: a caller uses it to find what a crashed attempt
   * may have created, never as its only guard against duplicates.
   */
  searchObjects(
    type: 'tasks' | 'deals',
    equals: Record<string, string>,
    properties: readonly string[],
  ): Promise<CrmRecord[]>;
  ensurePropertyGroupAndProperties(definitions?: PropertyDefinitions): Promise<EnsurePropertiesResult>;
}

/** HubSpot's per-app limit for one portal: ≈100 requests per rolling 10 s on the lowest tiers, more on higher ones. */
export interface RateBudget {
  requests: number;
  perMs: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
}

export const DEFAULT_RATE_BUDGET: RateBudget = { requests: 100, perMs: 10_000, maxConcurrent: 5 };

export interface HubSpotCrmOptions {
  /** Called before each request, so a refreshed token is picked up without rebuilding the client. */
  accessToken: () => Promise<string>;
  portalId: number;
  /** https://api.hubapi.com by default; the sandbox URL in tests and the demo. */
  basePath?: string;
  budget?: Partial<RateBudget>;
  retry?: Partial<RetryPolicy>;
}

type SdkConfig = NonNullable<ConstructorParameters<typeof Client>[0]>;
type LimiterOptions = NonNullable<SdkConfig['limiterOptions']>;

/**
 * Bottleneck reservoir settings for a budget. Bottleneck refills in fixed steps while HubSpot counts a rolling
 * window, and a window can span one step more than it contains; so the window is cut into (up to) ten steps and
 * each step gets 1/(steps + 1) of the budget, which keeps every rolling window within the budget.
 * @example reservoirFor({ requests: 100, perMs: 10_000, maxConcurrent: 5 }) // { reservoir: 9, reservoirRefreshAmount: 9, reservoirRefreshInterval: 1000, maxConcurrent: 5 }
 */
export function reservoirFor(budget: RateBudget): {
  reservoir: number;
  reservoirRefreshAmount: number;
  reservoirRefreshInterval: number;
  maxConcurrent: number;
} {
  if (!(budget.requests >= 1) || !(budget.perMs > 0)) {
    throw new RangeError(`a HubSpot rate budget needs at least 1 request per positive interval`);
  }
  const steps = Math.max(1, Math.min(10, budget.requests - 1));
  const perStep = Math.max(1, Math.floor(budget.requests / (steps + 1)));
  return {
    reservoir: perStep,
    reservoirRefreshAmount: perStep,
    reservoirRefreshInterval: Math.ceil(budget.perMs / steps),
    maxConcurrent: Math.max(1, budget.maxConcurrent),
  };
}

/** The SDK APIs we call, taken from one SDK client so they share its limiter. */
interface PortalApis {
  deals: Client['crm']['deals'];
  companies: Client['crm']['companies'];
  contacts: Client['crm']['contacts'];
  lineItems: Client['crm']['lineItems'];
  associations: Client['crm']['associations']['v4']['batchApi'];
  pipelines: Client['crm']['pipelines']['pipelinesApi'];
  notes: Client['crm']['objects']['notes']['basicApi'];
  tasks: Client['crm']['objects']['tasks']['basicApi'];
  taskSearch: Client['crm']['objects']['tasks']['searchApi'];
  propertyGroups: Client['crm']['properties']['groupsApi'];
  properties: Client['crm']['properties']['coreApi'];
  propertiesBatch: Client['crm']['properties']['batchApi'];
}

const portals = new Map<string, PortalApis>();

/**
 * Why every API is taken right after `new Client`: the SDK keeps its decorators (limiter, retry) in a process-wide
 * singleton that each `new Client` overwrites, and applies them when an API object is first touched. Touching them
 * all now binds this portal's limiter for good; the empty client afterwards leaves the singleton clean for others.
 */
function portalApis(basePath: string, portalId: number, budget: RateBudget): PortalApis {
  const key = `${basePath}|${portalId}|${budget.requests}/${budget.perMs}/${budget.maxConcurrent}`;
  const existing = portals.get(key);
  if (existing) return existing;
  const limiterOptions: LimiterOptions = { id: `hubspot-portal-${portalId}`, ...reservoirFor(budget) };
  const sdk = new Client({ basePath, limiterOptions, numberOfApiCallRetries: 0 });
  const apis: PortalApis = {
    deals: sdk.crm.deals,
    companies: sdk.crm.companies,
    contacts: sdk.crm.contacts,
    lineItems: sdk.crm.lineItems,
    associations: sdk.crm.associations.v4.batchApi,
    pipelines: sdk.crm.pipelines.pipelinesApi,
    notes: sdk.crm.objects.notes.basicApi,
    tasks: sdk.crm.objects.tasks.basicApi,
    taskSearch: sdk.crm.objects.tasks.searchApi,
    propertyGroups: sdk.crm.properties.groupsApi,
    properties: sdk.crm.properties.coreApi,
    propertiesBatch: sdk.crm.properties.batchApi,
  };
  new Client({ numberOfApiCallRetries: 0 });
  portals.set(key, apis);
  return apis;
}

/**
 * An SDK client without a portal limiter, for the OAuth endpoints (oauth.ts): they run before a portal is known.
 * @example const sdk = unlimitedSdkClient('https://api.hubapi.com'); await sdk.oauth.tokensApi.create(…)
 */
export function unlimitedSdkClient(basePath: string = DEFAULT_BASE_PATH): Client {
  return new Client({ basePath: basePath.replace(/\/$/, ''), numberOfApiCallRetries: 0 });
}

interface HeaderContext {
  setHeaderParam(key: string, value: string): void;
}

/**
 * Per-call SDK options that set the bearer token. A per-call middleware rather than the SDK's `accessToken`
 * because the token changes (refresh) while the limiter must stay: one SDK client per portal, any token.
 */
function bearer(accessToken: () => Promise<string>) {
  return {
    middleware: [
      {
        async pre<C extends HeaderContext>(context: C): Promise<C> {
          context.setHeaderParam('Authorization', `Bearer ${await accessToken()}`);
          return context;
        },
        async post<R>(context: R): Promise<R> {
          return context;
        },
      },
    ],
    middlewareMergeStrategy: 'append' as const,
  };
}

/**
 * Splits a list into runs of at most `size`.
 * @example chunk(['a', 'b', 'c'], 2) // [['a', 'b'], ['c']]
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The string HubSpot stores for a value: numbers in plain notation, booleans as 'true'/'false', '' to clear.
 * @example toHubSpotValue(true) // 'true'
 */
export function toHubSpotValue(value: PropertyValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot store ${value} in a HubSpot property`);
    return String(value);
  }
  return value;
}

interface SdkRecord {
  id: string;
  properties: { [key: string]: string | null };
  createdAt?: Date;
  updatedAt?: Date;
  archived?: boolean;
}

function toRecord(r: SdkRecord): CrmRecord {
  return {
    id: String(r.id),
    properties: { ...r.properties },
    createdAt: r.createdAt instanceof Date ? r.createdAt : null,
    updatedAt: r.updatedAt instanceof Date ? r.updatedAt : null,
    archived: r.archived ?? false,
  };
}

interface SdkBatchError {
  category: string;
  message: string;
  context?: { [key: string]: string[] };
}

function kindOfCategory(category: string): HubSpotErrorKind {
  if (category === 'OBJECT_NOT_FOUND') return 'not_found';
  if (category === 'VALIDATION_ERROR' || category === 'INVALID_OPTION') return 'validation';
  if (category === 'RATE_LIMITS') return 'rate_limited';
  return 'unknown';
}

/** Part of a batch failed (HTTP 207): one error naming every failure. */
function batchFailure(operation: string, errors: readonly SdkBatchError[]): HubSpotError {
  const first = errors[0] as SdkBatchError;
  return new HubSpotError(kindOfCategory(first.category), errors.map((e) => e.message).join('; '), {
    status: 207,
    category: first.category,
    operation,
  });
}

function errorsOf(response: object): SdkBatchError[] {
  const errors = (response as { errors?: SdkBatchError[] }).errors;
  return Array.isArray(errors) ? errors : [];
}

/** Association type ids HubSpot defines for notes and tasks (the SDK's AssociationTypes enum). */
const ENGAGEMENT_ASSOCIATION_TYPES = {
  note: {
    deals: AssociationTypes.noteToDeal,
    companies: AssociationTypes.noteToCompany,
    contacts: AssociationTypes.noteToContact,
  },
  task: {
    deals: AssociationTypes.taskToDeal,
    companies: AssociationTypes.taskToCompany,
    contacts: AssociationTypes.taskToContact,
  },
} as const;

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as AssociationSpecAssociationCategoryEnum.HubspotDefined;

function engagementAssociations(kind: 'note' | 'task', to: EngagementAssociations) {
  const out: Array<{
    to: { id: string };
    types: Array<{ associationCategory: typeof HUBSPOT_DEFINED; associationTypeId: number }>;
  }> = [];
  for (const object of ['deals', 'companies', 'contacts'] as const) {
    for (const id of new Set(to[object] ?? [])) {
      out.push({
        to: { id },
        types: [
          { associationCategory: HUBSPOT_DEFINED, associationTypeId: ENGAGEMENT_ASSOCIATION_TYPES[kind][object] },
        ],
      });
    }
  }
  return out;
}

function toStage(s: {
  id: string;
  label: string;
  displayOrder: number;
  metadata?: { [key: string]: string };
}): DealStage {
  const metadata = s.metadata ?? {};
  const probability =
    metadata.probability !== undefined && metadata.probability !== '' ? Number(metadata.probability) : null;
  const isClosed = metadata.isClosed === 'true';
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    isClosed,
    // `closedWon` is honoured too should HubSpot state it outright; probability 1.0 is what it sends today.
    closedWon: isClosed && (probability === 1 || metadata.closedWon === 'true'),
    probability: probability !== null && Number.isFinite(probability) ? probability : null,
  };
}

const byDisplayOrder = (a: { displayOrder: number }, b: { displayOrder: number }) => a.displayOrder - b.displayOrder;

function mergeUpdates(updates: readonly RecordUpdate[]): Array<{ id: string; properties: Record<string, string> }> {
  // HubSpot refuses a batch naming one id twice; later values win, as they would in two calls.
  const merged = new Map<string, Record<string, string>>();
  for (const u of updates) {
    const properties = merged.get(u.id) ?? {};
    for (const [name, v] of Object.entries(u.properties)) properties[name] = toHubSpotValue(v);
    merged.set(u.id, properties);
  }
  return [...merged].map(([id, properties]) => ({ id, properties }));
}

/**
 * Builds the CRM view of one portal.
 * @example const crm = createHubSpotCrm({ portalId: 42, accessToken: () => tokens.accessTokenFor(42) }); await crm.getDealPipelines();
 */
export function createHubSpotCrm(options: HubSpotCrmOptions): HubSpotCrm {
  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/$/, '');
  const portalId = options.portalId;
  const apis = portalApis(basePath, portalId, { ...DEFAULT_RATE_BUDGET, ...options.budget });
  const auth = bearer(options.accessToken);

  const call = <T>(operation: string, idempotent: boolean, request: () => Promise<T>): Promise<T> =>
    withHubSpotRetry(request, { operation: `${operation}, portal ${portalId}`, idempotent, policy: options.retry });

  type ObjectApi = PortalApis['deals'] | PortalApis['companies'] | PortalApis['contacts'] | PortalApis['lineItems'];

  async function batchRead(
    name: string,
    api: ObjectApi,
    ids: readonly string[],
    properties: readonly string[],
  ): Promise<CrmRecord[]> {
    const parts = chunk([...new Set(ids)], BATCH_LIMIT);
    const responses = await Promise.all(
      parts.map((part) =>
        call(`${name} batch read`, true, () =>
          api.batchApi.read(
            { inputs: part.map((id) => ({ id })), properties: [...properties], propertiesWithHistory: [] },
            undefined,
            auth,
          ),
        ),
      ),
    );
    const records: CrmRecord[] = [];
    for (const response of responses) {
      // Ids that do not exist come back as OBJECT_NOT_FOUND errors (207); a read simply has no record for them.
      const failures = errorsOf(response).filter((e) => e.category !== 'OBJECT_NOT_FOUND');
      if (failures.length > 0) throw batchFailure(`${name} batch read, portal ${portalId}`, failures);
      for (const r of response.results) records.push(toRecord(r));
    }
    return records;
  }

  async function batchUpdate(
    name: string,
    api: PortalApis['deals'] | PortalApis['companies'] | PortalApis['contacts'],
    updates: readonly RecordUpdate[],
  ): Promise<CrmRecord[]> {
    const parts = chunk(mergeUpdates(updates), BATCH_LIMIT);
    const responses = await Promise.all(
      parts.map((inputs) => call(`${name} batch update`, true, () => api.batchApi.update({ inputs }, auth))),
    );
    const records: CrmRecord[] = [];
    for (const response of responses) {
      const errors = errorsOf(response);
      // A write that silently missed a record would leave the CRM wrong; the caller decides what to do.
      if (errors.length > 0) throw batchFailure(`${name} batch update, portal ${portalId}`, errors);
      for (const r of response.results) records.push(toRecord(r));
    }
    return records;
  }

  async function readAssociations(
    fromType: CrmObjectType,
    ids: readonly string[],
    toType: CrmObjectType,
  ): Promise<Record<string, string[]>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, Set<string>>(unique.map((id) => [id, new Set<string>()]));
    // Each id may page: HubSpot returns `paging.next.after` for it and we ask again for that id only.
    let pending: Array<{ id: string; after?: string }> = unique.map((id) => ({ id }));
    while (pending.length > 0) {
      const responses = await Promise.all(
        chunk(pending, BATCH_LIMIT).map((inputs) =>
          call(`${fromType}→${toType} associations batch read`, true, () =>
            apis.associations.getPage(fromType, toType, { inputs }, auth),
          ),
        ),
      );
      pending = [];
      for (const response of responses) {
        // An id with no associations is reported as an error (207); it simply has none.
        const failures = errorsOf(response).filter((e) => e.category !== 'OBJECT_NOT_FOUND');
        if (failures.length > 0) {
          throw batchFailure(`${fromType}→${toType} associations batch read, portal ${portalId}`, failures);
        }
        for (const result of response.results) {
          const fromId = String(result._from.id);
          const set = found.get(fromId) ?? new Set<string>();
          for (const to of result.to) set.add(String(to.toObjectId));
          found.set(fromId, set);
          const after = result.paging?.next?.after;
          if (after) pending.push({ id: fromId, after });
        }
      }
    }
    return Object.fromEntries([...found].map(([id, set]) => [id, [...set]]));
  }

  async function ensureGroup(objectType: CrmObjectType, group: PropertyDefinitions['group']): Promise<boolean> {
    try {
      await call(`${objectType} property group read`, true, () =>
        apis.propertyGroups.getByName(objectType, group.name, auth),
      );
      return false;
    } catch (e) {
      if (!(e instanceof HubSpotError && e.kind === 'not_found')) throw e;
    }
    try {
      await call(`${objectType} property group create`, true, () =>
        apis.propertyGroups.create(objectType, group, auth),
      );
      return true;
    } catch (e) {
      // Another worker created it between our read and our create: the group exists, which is all we want.
      if (e instanceof HubSpotError && e.kind === 'conflict') return false;
      throw e;
    }
  }

  /** The SDK's PropertyCreate for one of our definitions. */
  function propertyCreate(groupName: string, def: PropertyDefinition) {
    return {
      name: def.name,
      label: def.label,
      description: def.description,
      groupName,
      type: def.type as PropertyCreateTypeEnum,
      fieldType: def.fieldType as PropertyCreateFieldTypeEnum,
      formField: def.formField,
      ...(def.options
        ? {
            options: def.options.map((o, displayOrder) => ({
              label: o.label,
              value: o.value,
              hidden: false,
              displayOrder,
            })),
          }
        : {}),
    };
  }

  /**
   * Creates the missing properties of one object type with batch creates (one call per 100 instead of one per
   * property: an install then costs a handful of calls of the portal's budget). Returns the names created. A
   * property another worker created meanwhile comes back as a batch error; whatever exists after a re-read is
   * all we want, so only properties still missing then are an error.
   */
  async function createProperties(
    objectType: CrmObjectType,
    groupName: string,
    defs: ReadonlyArray<PropertyDefinition>,
  ): Promise<string[]> {
    const created: string[] = [];
    const failures: SdkBatchError[] = [];
    for (const part of chunk([...defs], BATCH_LIMIT)) {
      const response = await call(`${objectType} properties batch create`, true, () =>
        apis.propertiesBatch.create(objectType, { inputs: part.map((d) => propertyCreate(groupName, d)) }, auth),
      );
      for (const r of response.results) created.push(r.name);
      failures.push(...errorsOf(response));
    }
    if (failures.length > 0) {
      const after = await call(`${objectType} properties read`, true, () =>
        apis.properties.getAll(objectType, undefined, undefined, auth),
      );
      const present = new Set(after.results.map((p) => p.name));
      if (defs.some((d) => !present.has(d.name))) {
        throw batchFailure(`${objectType} properties batch create, portal ${portalId}`, failures);
      }
    }
    return created;
  }

  return {
    portalId,
    batchReadDeals: (ids, properties) => batchRead('deals', apis.deals, ids, properties),
    batchReadCompanies: (ids, properties) => batchRead('companies', apis.companies, ids, properties),
    batchReadContacts: (ids, properties) => batchRead('contacts', apis.contacts, ids, properties),
    batchReadLineItems: (ids, properties) => batchRead('line items', apis.lineItems, ids, properties),
    readAssociations,
    batchUpdateDeals: (updates) => batchUpdate('deals', apis.deals, updates),
    batchUpdateCompanies: (updates) => batchUpdate('companies', apis.companies, updates),
    batchUpdateContacts: (updates) => batchUpdate('contacts', apis.contacts, updates),

    async getDealPipelines() {
      const response = await call('deal pipelines read', true, () => apis.pipelines.getAll('deals', auth));
      return response.results
        .filter((p) => !p.archived)
        .sort(byDisplayOrder)
        .map((p) => ({
          id: p.id,
          label: p.label,
          displayOrder: p.displayOrder,
          stages: p.stages
            .filter((s) => !s.archived)
            .sort(byDisplayOrder)
            .map(toStage),
        }));
    },

    async updateDealStage(dealId, stageId) {
      const updated = await call(`deal ${dealId} stage update`, true, () =>
        apis.deals.basicApi.update(dealId, { properties: { dealstage: stageId } }, undefined, auth),
      );
      return toRecord(updated);
    },

    async createNote(input) {
      const created = await call('note create', false, () =>
        apis.notes.create(
          {
            properties: {
              hs_note_body: input.body,
              hs_timestamp: (input.timestamp ?? new Date()).toISOString(),
            },
            associations: engagementAssociations('note', input.associations),
          },
          auth,
        ),
      );
      return { id: String(created.id) };
    },

    async createTask(input) {
      const properties: Record<string, string> = {
        hs_task_subject: input.subject,
        hs_task_body: input.body,
        hs_timestamp: input.dueAt.toISOString(),
        hs_task_status: 'NOT_STARTED',
        hs_task_type: 'TODO',
      };
      if (input.ownerId) properties.hubspot_owner_id = input.ownerId;
      if (input.priority) properties.hs_task_priority = input.priority;
      const created = await call('task create', false, () =>
        apis.tasks.create({ properties, associations: engagementAssociations('task', input.associations) }, auth),
      );
      return { id: String(created.id) };
    },

    async createDeal(input) {
      const associations = [...new Set(input.associations.companies ?? [])].map((id) => ({
        to: { id },
        types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.dealToCompany }],
      }));
      const created = await call('deal create', false, () =>
        apis.deals.basicApi.create({ properties: { ...input.properties }, associations }, auth),
      );
      return { id: String(created.id) };
    },

    async searchObjects(type, equals, properties) {
      const request = {
        filterGroups: [
          {
            filters: Object.entries(equals).map(([propertyName, value]) => ({
              propertyName,
              operator: 'EQ' as FilterOperatorEnum,
              value,
            })),
          },
        ],
        properties: [...properties],
        limit: 100,
      };
      const response = await call(`${type} search`, true, () =>
        type === 'tasks'
          ? apis.taskSearch.doSearch(request, auth)
          : apis.deals.searchApi.doSearch(request as never, auth),
      );
      return response.results.map(toRecord);
    },

    async ensurePropertyGroupAndProperties(definitions = REVENUE_HANDOFF_PROPERTIES) {
      const result: EnsurePropertiesResult = { createdGroups: [], createdProperties: [] };
      for (const [objectType, defs] of Object.entries(definitions.properties) as Array<
        [CrmObjectType, ReadonlyArray<PropertyDefinition>]
      >) {
        if (defs.length === 0) continue;
        if (await ensureGroup(objectType, definitions.group)) {
          result.createdGroups.push(`${objectType}/${definitions.group.name}`);
        }
        // One read of all properties, then a create only for what is missing: a second run makes no writes.
        const existing = await call(`${objectType} properties read`, true, () =>
          apis.properties.getAll(objectType, undefined, undefined, auth),
        );
        const names = new Set(existing.results.map((p) => p.name));
        const missing = defs.filter((def) => !names.has(def.name));
        if (missing.length === 0) continue;
        for (const name of await createProperties(objectType, definitions.group.name, missing)) {
          result.createdProperties.push(`${objectType}/${name}`);
        }
      }
      return result;
    },
  };
}
