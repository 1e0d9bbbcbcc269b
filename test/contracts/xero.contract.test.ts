/**
 * Contract: every body the Xero sandbox answers that the adapter reads, and every body the adapter sends, validates
 * against Xero's own OpenAPI descriptions (test/contracts/specs/xero/, XeroAPI/Xero-OpenAPI @
 * e952d0bda3628facbf7afc5990ad6a0e7e77bd1e). The specs are dereferenced with @readme/openapi-parser (circular
 * references, e.g. Contact → ContactGroups → Contacts, are left to ajv) and checked with ajv.
 *
 * Stricter than the spec in one way: object schemas get `additionalProperties: false`, so a misspelt field in
 * the sandbox or the adapter fails here instead of being ignored by Xero. Exceptions, each one Xero's own:
 * the response envelope (Id, Status, ProviderName, DateTimeUTC) and the invoice's DateString / DueDateString, which
 * Xero's examples in the same spec show but its schemas omit; and validation Elements, which echo the submitted
 * entity (the spec's own 400 example). Xero writes UTC times without a zone (its examples do), so `date-time`
 * accepts a missing zone.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { dereference } from '@readme/openapi-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { parse } from 'yaml';
import { money } from '../../src/core/money.js';
import type { InvoiceDraft } from '../../src/integrations/finance/port.js';
import { createXeroFinanceSystem } from '../../src/integrations/finance/xero/adapter.js';
import { XERO_UK_TAX_RATES } from '../../src/integrations/finance/xero/fixtures.js';
import { createXeroOAuth } from '../../src/integrations/finance/xero/oauth.js';
import { createXeroSandbox, type XeroSandboxCall } from '../../src/integrations/finance/xero/sandbox/index.js';

const specs = resolve(dirname(fileURLToPath(import.meta.url)), 'specs/xero');
type Json = Record<string, unknown>;

const EXTRA_RESPONSE_FIELDS: Record<string, string[]> = {
  Contacts: ['Id', 'Status', 'ProviderName', 'DateTimeUTC'],
  Invoices: ['Id', 'Status', 'ProviderName', 'DateTimeUTC'],
  TaxRates: ['Id', 'Status', 'ProviderName', 'DateTimeUTC'],
  HistoryRecords: ['Id', 'Status', 'ProviderName', 'DateTimeUTC'],
  CreditNotes: ['Id', 'Status', 'ProviderName', 'DateTimeUTC'],
  Accounts: ['Id', 'Status', 'ProviderName', 'DateTimeUTC'],
  Invoice: ['DateString', 'DueDateString'],
};
const OPEN_SCHEMAS = new Set(['Element']);

/** Closes every object schema (additionalProperties: false) except the ones Xero itself leaves open. */
function closeSchemas(schemas: Record<string, Json>): void {
  const visit = (node: unknown, name?: string) => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const schema = node as Json;
    if (schema.properties && typeof schema.properties === 'object' && !('additionalProperties' in schema)) {
      if (!(name && OPEN_SCHEMAS.has(name))) schema.additionalProperties = false;
      for (const extra of (name && EXTRA_RESPONSE_FIELDS[name]) || []) (schema.properties as Json)[extra] = {};
    }
    for (const [k, v] of Object.entries(schema)) if (k !== 'example' && k !== 'examples') visit(v);
  };
  for (const [name, schema] of Object.entries(schemas)) visit(schema, name);
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its plugin is the default export's `default`.
  ajvFormats.default(ajv);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i);
  return ajv;
}

async function load(file: string): Promise<Json> {
  const raw = parse(readFileSync(resolve(specs, file), 'utf8')) as Json;
  closeSchemas(((raw.components as Json)?.schemas ?? {}) as Record<string, Json>);
  return (await dereference(raw as never, { dereference: { circular: 'ignore' } })) as unknown as Json;
}

interface Operation {
  /** JSON pointers into the registered spec, so that circular $refs resolve against it. */
  request?: string;
  responses: Record<string, string | undefined>;
}

const ROOT = 'xero_accounting.yaml';
const pointerEscape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function operations(api: Json): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(api.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete'].includes(method)) continue;
      const o = op as Json;
      const at = `${ROOT}#/paths/${pointerEscape(path)}/${method}`;
      const responses: Record<string, string | undefined> = {};
      for (const [status, r] of Object.entries((o.responses ?? {}) as Record<string, Json>)) {
        const has = (r.content as Json | undefined)?.['application/json'] as Json | undefined;
        responses[status] = has?.schema ? `${at}/responses/${status}/content/application~1json/schema` : undefined;
      }
      const body = ((o.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
        | Json
        | undefined;
      out.set(o.operationId as string, {
        request: body?.schema ? `${at}/requestBody/content/application~1json/schema` : undefined,
        responses,
      });
    }
  }
  return out;
}

let accounting: Json;
let identity: Json;
let webhooks: Json;
let ajv: Ajv;
const compiled = new Map<object | string, ValidateFunction>();

function check(schema: object | string, data: unknown, what: string): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = typeof schema === 'string' ? ajv.getSchema(schema) : ajv.compile(schema);
    if (!validate) throw new Error(`no schema at ${String(schema)}`);
    compiled.set(schema, validate);
  }
  const ok = validate(data);
  if (!ok)
    throw new Error(`${what} does not match Xero's spec: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
}

beforeAll(async () => {
  [accounting, identity, webhooks] = await Promise.all([
    load('xero_accounting.yaml'),
    load('xero-identity.yaml'),
    load('xero-webhooks.yaml'),
  ]);
  ajv = newAjv();
  // Circular references left by the dereferencer resolve against the document they came from.
  ajv.addSchema(accounting as object, ROOT);
});

/** Drives the adapter through every call it makes, against a sandbox that records the exchanges. */
async function exercise(): Promise<{ calls: XeroSandboxCall[]; deliveries: unknown[]; intent: unknown }> {
  let clock = new Date('2026-03-02T09:00:00Z');
  const sandbox = createXeroSandbox({ now: () => clock, taxRates: XERO_UK_TAX_RATES });
  const fetch = (url: URL, init: RequestInit) => sandbox.handle(new Request(url, init));
  const xero = createXeroFinanceSystem({
    tenantId: sandbox.tenantId,
    accessToken: async () => sandbox.accessToken,
    salesAccountCode: '200',
    fetch,
  });
  const draft = {
    legalName: 'Acme Ltd',
    email: 'ap@acme.test',
    apContactName: 'Ada Lovelace',
    address: {
      line1: '1 Main St',
      line2: 'Suite 2',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    currency: 'USD',
    paymentTerms: 'net_30',
    externalRef: 'hs-company-1',
  };
  await xero.findCustomer({ externalRef: 'hs-company-1', email: 'ap@acme.test', legalName: 'Acme Ltd' });
  const customer = await xero.createCustomer(draft, 'k-customer');
  await xero.createCustomer(draft, 'k-customer'); // replay
  await xero.findCustomer({ id: customer.id });
  await xero.updateCustomer(customer.id, { ...draft, paymentTerms: 'eofm_20' }, 'k-update');
  await xero.createCustomer({ ...draft, externalRef: 'hs-company-2' }, 'k-dup').catch(() => undefined); // 400
  const invoice: InvoiceDraft = {
    customerId: customer.id,
    reference: 'rh-1',
    issueDate: '2026-03-01',
    dueDate: '2026-03-31',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: 'PO-1',
    memo: 'Thanks',
    status: 'issued',
    lines: [
      { description: 'Retainer', quantity: 1, unitAmount: money(100000, 'USD'), amount: money(100000, 'USD') },
      { description: 'Hours', quantity: 1.5, unitAmount: money(3333, 'USD'), amount: money(5000, 'USD') },
    ],
  };
  const a = await xero.createInvoice(invoice, 'k-a');
  // Tax: the organisation's rates, then an invoice with a TaxType on each line, and one naming no such rate.
  await xero.taxSetup?.();
  const vat = await xero.createInvoice(
    {
      ...invoice,
      reference: 'rh-vat',
      lines: [
        {
          ...(invoice.lines[0] as InvoiceDraft['lines'][number]),
          tax: { code: 'OUTPUT2', ratePercent: 20, inclusive: false },
        },
        {
          ...(invoice.lines[1] as InvoiceDraft['lines'][number]),
          tax: { code: 'RROUTPUT', ratePercent: 5, inclusive: false },
        },
      ],
    },
    'k-vat',
  );
  const b = await xero.createInvoice({ ...invoice, reference: 'rh-2', status: 'draft' }, 'k-b');
  await xero.createInvoice({ ...invoice, reference: 'rh-1' }, 'k-a2').catch(() => undefined); // 400 duplicate number
  sandbox.payInvoice(a.id, { amount: 100, on: '2026-03-05' });
  sandbox.payInvoice(a.id, { on: '2026-03-06' });
  sandbox.voidInvoice(b.id);
  // A debt written off (credit note to Bad Debts): the next read looks up the chart and the credit note.
  sandbox.writeOffInvoice(vat.id, { on: '2026-03-05' });
  await xero.findInvoiceByReference(customer.id, 'rh-1');
  await xero.listInvoices({ customerId: customer.id });
  // Who changed a contact and an invoice (manual corrections): their History.
  sandbox.setContactTerms(customer.id, 'net_45', 'Priya Shah');
  await xero.whoChanged?.({ kind: 'customer', id: customer.id }, null);
  await xero.whoChanged?.({ kind: 'invoice', id: a.id }, null);
  clock = new Date('2026-03-03T09:00:00Z');
  await xero.listInvoices({ changedSince: new Date('2026-03-01T00:00:00Z') });
  // Full reads the adapter does not make but the demo does.
  await fetch(new URL(`https://api.xero.com/api.xro/2.0/Invoices/${a.id}`), {
    headers: { authorization: `Bearer ${sandbox.accessToken}`, 'xero-tenant-id': sandbox.tenantId },
  });
  // OAuth: code exchange, connections, refresh.
  const oauth = createXeroOAuth({
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    redirectUri: 'https://app.example.test/cb',
    fetch,
    now: () => clock,
  });
  const tokens = await oauth.exchangeCode(sandbox.authorize({ redirectUri: 'https://app.example.test/cb' }));
  await oauth.refresh(tokens.refreshToken as string);
  const delivery = sandbox.webhooks.flush();
  return { calls: sandbox.calls, deliveries: [delivery?.payload], intent: sandbox.webhooks.intentToReceive().payload };
}

describe('Xero contract (sandbox and adapter against Xero’s OpenAPI spec)', () => {
  let run: Awaited<ReturnType<typeof exercise>>;
  beforeAll(async () => {
    run = await exercise();
  });

  it('the tax-rate fixtures validate against Xero’s TaxRates schema and their TaxTypes are Xero’s TaxType values', () => {
    const schemas = (accounting.components as Json).schemas as Record<string, Json>;
    check(schemas.TaxRates as object, { TaxRates: XERO_UK_TAX_RATES }, 'XERO_UK_TAX_RATES');
    const taxTypes = (schemas.TaxType as { enum: string[] }).enum;
    for (const r of XERO_UK_TAX_RATES) expect(taxTypes).toContain(r.TaxType);
    const sent = run.calls.find(
      (c) => c.operation === 'createInvoices' && JSON.stringify(c.requestBody).includes('OUTPUT2'),
    );
    const body = sent?.requestBody as { Invoices: Array<{ LineItems: Array<{ TaxType?: string }> }> } | undefined;
    const items = body?.Invoices[0]?.LineItems;
    expect(items?.map((l) => l.TaxType)).toEqual(['OUTPUT2', 'RROUTPUT', undefined]);
    for (const l of items ?? []) if (l.TaxType) expect(taxTypes).toContain(l.TaxType);
  });

  it('the exercise covers every Accounting API operation the adapter uses, including refusals', () => {
    const seen = new Set(run.calls.map((c) => `${c.operation} ${c.status}`));
    for (const expected of [
      'getContacts 200',
      'getContact 200',
      'createContacts 200',
      'createContacts 400',
      'updateContact 200',
      'createInvoices 200',
      'createInvoices 400',
      'getInvoices 200',
      'getInvoice 200',
      'getConnections 200',
      'token 200',
      'getTaxRates 200',
      'getContactHistory 200',
      'getAccounts 200',
      'getCreditNote 200',
      'getInvoiceHistory 200',
    ]) {
      expect(seen).toContain(expected);
    }
    expect(run.calls.some((c) => c.replayed)).toBe(true);
  });

  it('every Accounting API request body the adapter sent validates against the operation’s request schema', () => {
    const ops = operations(accounting);
    const sent = run.calls.filter((c) => c.requestBody !== undefined && c.path.startsWith('/api.xro/2.0'));
    expect(sent.length).toBeGreaterThanOrEqual(6);
    for (const call of sent) {
      const schema = ops.get(call.operation)?.request;
      expect(schema).toBeDefined();
      check(schema as string, call.requestBody, `${call.operation} request`);
    }
  });

  it('every Accounting API response body validates against the operation’s response schema (200 and 400)', () => {
    const ops = operations(accounting);
    const answered = run.calls.filter((c) => c.path.startsWith('/api.xro/2.0') && c.responseBody !== undefined);
    for (const call of answered) {
      const op = ops.get(call.operation);
      expect(op).toBeDefined();
      // Some 400 answers are documented without a body schema; Xero's Error schema is what they carry.
      const schema =
        op?.responses[String(call.status)] ?? (call.status === 400 ? `${ROOT}#/components/schemas/Error` : undefined);
      expect(schema).toBeDefined();
      check(schema as string, call.responseBody, `${call.operation} ${call.status} response`);
    }
  });

  it('the check has teeth: a misspelt field, a wrong type or a bad enum value fails it', () => {
    const ops = operations(accounting);
    const put = ops.get('createContacts')?.request as string;
    expect(() => check(put, { Contacts: [{ Name: 'A', EmailAdress: 'x' }] }, 'typo')).toThrow(/additional properties/);
    const get = ops.get('getInvoices')?.responses['200'] as string;
    expect(() => check(get, { Invoices: [{ Total: '10.00' }] }, 'type')).toThrow(/must be number/);
    expect(() => check(get, { Invoices: [{ Status: 'OPEN' }] }, 'enum')).toThrow(/allowed values/);
    expect(() =>
      check(get, { Invoices: [{ Contact: { ContactGroups: [{ Contacts: [{ Nmae: 'x' }] }] } }] }, 'deep'),
    ).toThrow(/additional properties/);
  });

  it('identity answers validate: GET /connections (Connection[]) and the token answer (AccessToken)', () => {
    const schemas = (identity.components as Json).schemas as Json;
    const connections = run.calls.filter((c) => c.operation === 'getConnections' && c.status === 200);
    expect(connections.length).toBeGreaterThan(0);
    for (const c of connections) check({ type: 'array', items: schemas.Connection }, c.responseBody, 'connections');
    const tokens = run.calls.filter((c) => c.operation === 'token' && c.status === 200);
    expect(tokens).toHaveLength(2);
    // `scope` is returned by Xero's token endpoint though the AccessToken schema does not list it.
    const accessToken = { ...(schemas.AccessToken as Json), additionalProperties: true };
    for (const t of tokens) check(accessToken, t.responseBody, 'token');
  });

  it('webhook deliveries validate against WebhookEvent; the intent-to-receive probe is the same shape with no events', () => {
    const schema = (webhooks.components as Json).schemas as Json;
    for (const d of run.deliveries) check(schema.WebhookEvent as object, d, 'webhook delivery');
    expect(run.deliveries[0]).toMatchObject({ events: expect.arrayContaining([expect.anything()]) });
    // Xero sends the probe with sequence numbers 0, below the schema's minimum of 1: check the rest of the shape.
    const { firstEventSequence, lastEventSequence, ...rest } = run.intent as Json;
    expect([firstEventSequence, lastEventSequence]).toEqual([0, 0]);
    check({ ...(schema.WebhookEvent as Json), required: ['events', 'entropy'] }, rest, 'intent-to-receive');
  });
});
