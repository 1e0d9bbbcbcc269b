/**
 * Contract: for every endpoint the HubSpot sandbox implements, a real client call's request body and the sandbox's
 * response validate against the operation's schemas in HubSpot's own OpenAPI descriptions (test/contracts/specs/
 * hubspot/, HubSpot/HubSpot-public-api-spec-collection @ 99893791383254f52aa07662baeb98aad65cc710), so the fake
 * stays honest and the client sends what HubSpot documents. Dereferenced with @readme/openapi-parser, checked with
 * ajv + ajv-formats. Also checked: the sandbox's scope table against each operation's `security`.
 *
 * Object schemas that leave additionalProperties unsaid are closed (a misspelt field fails here instead of being
 * ignored by HubSpot); maps the spec declares open (`properties`, `metadata`, `context`, …) stay open. One exception,
 * HubSpot's own: error bodies carry `status` (and `errorType`, `policyName` on 429), which its Error schema omits.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dereference } from '@readme/openapi-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { createHubSpotCrm, DEFAULT_BASE_PATH } from '../../src/integrations/hubspot/client.js';
import { accessTokenInfo, exchangeCode, refreshTokens, SCOPES } from '../../src/integrations/hubspot/oauth.js';
import { acceptedScopes, type SandboxOperation } from '../../src/integrations/hubspot/sandbox/catalog.js';
import { createHubSpotSandbox, type HubSpotSandbox } from '../../src/integrations/hubspot/sandbox/index.js';
import { mockVendors } from '../support/msw.js';

type Json = Record<string, unknown>;

const specs = resolve(dirname(fileURLToPath(import.meta.url)), 'specs/hubspot');
const SPEC_FILES = [
  'crm-deals-v3.json',
  'crm-companies-v3.json',
  'crm-contacts-v3.json',
  'crm-line-items-v3.json',
  'crm-notes-v3.json',
  'crm-tasks-v3.json',
  'crm-associations-v4.json',
  'crm-pipelines-v3.json',
  'crm-properties-v3.json',
  'oauth-v1.json',
];

const ERROR_EXTRA_FIELDS = ['status', 'errorType', 'policyName', 'groupName'];

function closeSchemas(schemas: Record<string, Json>): void {
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const schema = node as Json;
    const composed = 'oneOf' in schema || 'anyOf' in schema || 'allOf' in schema;
    const props = schema.properties as Json | undefined;
    if (props && typeof props === 'object' && Object.keys(props).length > 0 && !composed) {
      if (!('additionalProperties' in schema)) schema.additionalProperties = false;
    }
    for (const [k, v] of Object.entries(schema)) if (k !== 'example' && k !== 'examples') visit(v);
  };
  for (const [name, schema] of Object.entries(schemas)) {
    if (name === 'Error') {
      for (const extra of ERROR_EXTRA_FIELDS) (schema.properties as Json)[extra] = { type: 'string' };
    }
    visit(schema);
  }
}

interface Operation {
  file: string;
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  security: string[];
  request?: { contentType: string; schema: Json };
  responses: Record<string, Json | undefined>;
}

function firstContent(content: unknown): { contentType: string; schema: Json } | undefined {
  if (!content || typeof content !== 'object') return undefined;
  const [entry] = Object.entries(content as Record<string, Json>);
  if (!entry) return undefined;
  return { contentType: entry[0], schema: entry[1].schema as Json };
}

async function loadOperations(file: string): Promise<Operation[]> {
  const raw = JSON.parse(readFileSync(resolve(specs, file), 'utf8')) as Json;
  closeSchemas(((raw.components as Json)?.schemas ?? {}) as Record<string, Json>);
  const api = (await dereference(raw as never, { dereference: { circular: 'ignore' } })) as unknown as Json;
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(api.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const o = op as Json;
      const responses: Record<string, Json | undefined> = {};
      for (const [status, response] of Object.entries((o.responses ?? {}) as Record<string, Json>)) {
        responses[status] = firstContent(response.content)?.schema;
      }
      const requestBody = o.requestBody as Json | undefined;
      const security = ((o.security ?? []) as Array<Record<string, string[]>>).flatMap((s) => Object.values(s).flat());
      out.push({
        file,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        security,
        ...(requestBody ? { request: firstContent(requestBody.content) } : {}),
        responses,
      });
    }
  }
  return out;
}

/** The SDK calls /crm/v3/objects/deals/…; HubSpot's deals spec spells the same paths with the type id 0-3. */
const specPath = (path: string) => path.replace(/^\/crm\/v3\/objects\/deals(?=\/|$)/, '/crm/v3/objects/0-3');

interface Exchange {
  method: string;
  path: string;
  contentType: string | null;
  requestBody: string;
  status: number;
  responseBody: string;
}

/** Every operation the sandbox implements, with the sandbox operation and object types its scopes are checked for. */
const IMPLEMENTED: Array<{ method: string; template: string; op?: SandboxOperation; types?: string[][] }> = [
  { method: 'POST', template: '/crm/v3/objects/0-3/batch/read', op: 'objects.batchRead', types: [['deals']] },
  {
    method: 'POST',
    template: '/crm/v3/objects/companies/batch/read',
    op: 'objects.batchRead',
    types: [['companies']],
  },
  { method: 'POST', template: '/crm/v3/objects/contacts/batch/read', op: 'objects.batchRead', types: [['contacts']] },
  {
    method: 'POST',
    template: '/crm/v3/objects/line_items/batch/read',
    op: 'objects.batchRead',
    types: [['line_items']],
  },
  { method: 'POST', template: '/crm/v3/objects/0-3/batch/update', op: 'objects.batchUpdate', types: [['deals']] },
  {
    method: 'POST',
    template: '/crm/v3/objects/companies/batch/update',
    op: 'objects.batchUpdate',
    types: [['companies']],
  },
  { method: 'PATCH', template: '/crm/v3/objects/0-3/{dealId}', op: 'objects.update', types: [['deals']] },
  { method: 'POST', template: '/crm/v3/objects/notes', op: 'objects.create', types: [['notes']] },
  { method: 'POST', template: '/crm/v3/objects/tasks', op: 'objects.create', types: [['tasks']] },
  {
    method: 'POST',
    template: '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read',
    op: 'associations.batchRead',
    types: [
      ['deals', 'companies'],
      ['deals', 'contacts'],
      ['deals', 'line_items'],
    ],
  },
  { method: 'GET', template: '/crm/v3/pipelines/{objectType}', op: 'pipelines.list', types: [['deals']] },
  {
    method: 'GET',
    template: '/crm/v3/properties/{objectType}',
    op: 'properties.list',
    types: [['deals'], ['companies'], ['line_items']],
  },
  {
    method: 'POST',
    template: '/crm/v3/properties/{objectType}/batch/create',
    op: 'properties.create',
    types: [['deals'], ['companies'], ['line_items']],
  },
  {
    method: 'GET',
    template: '/crm/v3/properties/{objectType}/groups/{groupName}',
    op: 'groups.read',
    types: [['deals'], ['companies'], ['line_items']],
  },
  {
    method: 'POST',
    template: '/crm/v3/properties/{objectType}/groups',
    op: 'groups.create',
    types: [['deals'], ['companies'], ['line_items']],
  },
  { method: 'POST', template: '/oauth/v1/token' },
  { method: 'GET', template: '/oauth/v1/access-tokens/{token}' },
];

describe('HubSpot sandbox and client against HubSpot’s OpenAPI specs', () => {
  let operations: Operation[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  ajvFormats.default(ajv);
  const compiled = new Map<Json, ValidateFunction>();
  const validate = (schema: Json, data: unknown): string | null => {
    let fn = compiled.get(schema);
    if (!fn) {
      fn = ajv.compile(schema);
      compiled.set(schema, fn);
    }
    return fn(data) ? null : ajv.errorsText(fn.errors, { dataVar: 'body' });
  };

  const exchanges: Exchange[] = [];
  let hubspot: HubSpotSandbox = createHubSpotSandbox();
  const vendors = mockVendors({
    [DEFAULT_BASE_PATH]: async (request) => {
      const requestBody = await request.clone().text();
      const response = await hubspot.handle(request);
      exchanges.push({
        method: request.method.toUpperCase(),
        path: new URL(request.url).pathname,
        contentType: request.headers.get('content-type'),
        requestBody,
        status: response.status,
        responseBody: await response.clone().text(),
      });
      return response;
    },
  });

  beforeAll(async () => {
    operations = (await Promise.all(SPEC_FILES.map(loadOperations))).flat();
    vendors.start();
    await exercise();
  }, 30_000);
  afterAll(() => vendors.stop());

  const budget = { requests: 100_000, perMs: 1_000, maxConcurrent: 10 };
  const retry = { minBackoffMs: 5, maxBackoffMs: 20 };
  const redirectUri = 'https://handoff.example.com/oauth/hubspot/callback';
  const credentials = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };

  /** Every client and OAuth call, on happy and unhappy paths, through the recording route above. */
  async function exercise() {
    hubspot = createHubSpotSandbox({ portalId: 4100 });
    const code = hubspot.issueAuthCode({ redirectUri, scopes: SCOPES });
    const tokens = await exchangeCode({ ...credentials, code, redirectUri });
    await exchangeCode({ ...credentials, code, redirectUri }).catch(() => undefined); // 400: code used
    const refreshed = await refreshTokens({ ...credentials, refreshToken: tokens.refreshToken });
    await accessTokenInfo(refreshed.accessToken);
    await accessTokenInfo('no-such-token').catch(() => undefined); // 404

    const crm = createHubSpotCrm({ portalId: 4100, accessToken: async () => refreshed.accessToken, budget, retry });
    const owner = hubspot.addOwner({ email: 'rep@seller.test' });
    const deal = hubspot.addDeal({ dealname: 'Acme', amount: '1200', dealstage: 'contractsent' });
    const company = hubspot.addCompany({ name: 'Acme', city: 'Lyon' });
    const contact = hubspot.addContact({ email: 'ap@acme.test' });
    const item = hubspot.addLineItem({ name: 'Platform', quantity: '1', price: '1200' });
    hubspot.associate('deals', deal, 'companies', company);
    hubspot.associate('deals', deal, 'contacts', contact);
    hubspot.associate('deals', deal, 'line_items', item);

    await crm.ensurePropertyGroupAndProperties(); // 404 group, 201 group, 200 list, 201 properties
    await crm.ensurePropertyGroupAndProperties(); // 200 group
    await crm.batchReadDeals([deal, '999999'], ['dealname', 'amount', 'rh_handoff_status']); // 207
    await crm.batchReadDeals([deal], ['dealname']); // 200
    await crm.batchReadCompanies([company], ['name', 'city']);
    await crm.batchReadContacts([contact], ['email']);
    await crm.batchReadLineItems([item], ['name', 'price']);
    await crm.readAssociations('deals', [deal], 'companies'); // 200
    await crm.readAssociations('deals', [deal, hubspot.addDeal()], 'contacts'); // 207: one deal has none
    await crm.readAssociations('deals', [deal], 'line_items');
    await crm.getDealPipelines();
    await crm.batchUpdateDeals([{ id: deal, properties: { rh_handoff_status: 'submitted', amount: 1300 } }]);
    await crm.batchUpdateDeals([{ id: '999999', properties: { dealname: 'x' } }]).catch(() => undefined); // 207
    await crm.batchUpdateCompanies([{ id: company, properties: { rh_risk_level: 'low', rh_credit_hold: true } }]);
    await crm.updateDealStage(deal, 'closedwon');
    await crm.updateDealStage(deal, 'no_such_stage').catch(() => undefined); // 400
    await crm.createNote({ body: '<p>Missing PO</p>', associations: { deals: [deal], companies: [company] } });
    await crm.createTask({
      subject: 'Finish the handoff',
      body: 'PO number',
      ownerId: owner,
      dueAt: new Date('2026-11-03T17:00:00Z'),
      priority: 'HIGH',
      associations: { deals: [deal] },
    });
    await createHubSpotCrm({ portalId: 4100, accessToken: async () => 'bad', budget, retry })
      .getDealPipelines()
      .catch(() => undefined); // 401

    // 409s, which the client avoids by reading first, straight at the sandbox.
    const direct = (path: string, body: Json) =>
      fetch(`${DEFAULT_BASE_PATH}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${refreshed.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await direct('/crm/v3/properties/deals/groups', { name: 'revenue_handoff', label: 'Revenue Handoff' });
    await direct('/crm/v3/properties/deals', {
      name: 'rh_po_number',
      label: 'PO number',
      type: 'string',
      fieldType: 'text',
      groupName: 'revenue_handoff',
    });

    // 429 with Retry-After, then the retry.
    hubspot.setRateLimit({ requests: 1, windowMs: 1_000 });
    await crm.getDealPipelines();
    await crm.getDealPipelines();
  }

  function operationFor(method: string, path: string): Operation | undefined {
    const candidates = operations.filter((o) => o.method === method && o.pattern.test(specPath(path)));
    return candidates.sort((a, b) => b.literalSegments - a.literalSegments)[0];
  }

  it('exercised every endpoint the sandbox implements, with a successful response', () => {
    const succeeded = new Set(
      exchanges
        .filter((e) => e.status < 300)
        .map((e) => {
          const op = operationFor(e.method, e.path);
          return op ? `${op.method} ${op.template}` : `unmatched ${e.method} ${e.path}`;
        }),
    );
    expect(IMPLEMENTED.map((i) => `${i.method} ${i.template}`).filter((k) => !succeeded.has(k))).toEqual([]);
    expect(exchanges.map((e) => e.status)).toEqual(expect.arrayContaining([207, 400, 401, 404, 409, 429]));
  });

  it('every request matches a documented operation and the client’s bodies validate against its schema', () => {
    const problems: string[] = [];
    for (const e of exchanges) {
      const op = operationFor(e.method, e.path);
      if (!op) {
        problems.push(`${e.method} ${e.path}: no such operation in HubSpot's specs`);
        continue;
      }
      if (!op.request) continue;
      const form = op.request.contentType === 'application/x-www-form-urlencoded';
      if (!e.contentType?.startsWith(op.request.contentType)) {
        problems.push(`${e.method} ${e.path}: sent ${e.contentType}, spec takes ${op.request.contentType}`);
      }
      const body = form ? Object.fromEntries(new URLSearchParams(e.requestBody)) : JSON.parse(e.requestBody || 'null');
      const error = validate(op.request.schema, body);
      if (error) problems.push(`${e.method} ${e.path} request: ${error}`);
    }
    expect(problems).toEqual([]);
  });

  it('every sandbox response validates against the schema for its status (or the default error)', () => {
    const problems: string[] = [];
    for (const e of exchanges) {
      const op = operationFor(e.method, e.path);
      if (!op) continue;
      const schema = op.responses[String(e.status)] ?? op.responses.default;
      if (!schema) {
        problems.push(`${e.method} ${e.path}: spec has no ${e.status} response`);
        continue;
      }
      const error = validate(schema, JSON.parse(e.responseBody));
      if (error) problems.push(`${e.method} ${e.path} ${e.status}: ${error}`);
    }
    expect(problems).toEqual([]);
  });

  it('the sandbox accepts only scopes the spec lists for each operation', () => {
    const problems: string[] = [];
    for (const entry of IMPLEMENTED) {
      if (!entry.op) continue;
      const op = operations.find((o) => o.method === entry.method && o.template === entry.template);
      if (!op) {
        problems.push(`${entry.method} ${entry.template}: not in the specs`);
        continue;
      }
      for (const [type, toType] of entry.types ?? []) {
        const accepted = acceptedScopes(entry.op, type as never, toType as never);
        if (accepted.length === 0) problems.push(`${entry.template} (${type}): sandbox accepts no scope`);
        for (const scope of accepted) {
          if (!op.security.includes(scope)) problems.push(`${entry.template} (${type}): ${scope} not in spec`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
