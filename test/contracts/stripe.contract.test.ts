/**
 * Contract: every customer, invoice (with its lines), invoice item and event the Stripe sandbox answers carries every
 * field of the corresponding example object in Stripe's fixtures3.json (test/contracts/specs/stripe/, stripe/openapi
 * @ f6c2a48fbac2819d1feba8143d942ffc65e1c0d2) with the same JSON type, recursively.
 *
 * Where the fixture holds null the type cannot be read from it; the sandbox's objects are typed with the SDK's types
 * at compile time instead. Where the fixture holds a value and the sandbox answers null (no discount, no parent
 * subscription…), that is accepted only if the `stripe` SDK's TypeScript type of that very field admits null — read
 * here with the TypeScript compiler, so the allowance is Stripe's, not ours.
 *
 * Request bodies: the full Stripe OpenAPI spec is not shipped (fixtures3.json only); the adapter's parameters are
 * typed with the SDK's *Params types at compile time, and the sandbox refuses any parameter it does not know (as
 * Stripe does); the exercise below must run without a single refusal of that kind.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import ts from 'typescript';
import { money } from '../../src/core/money.js';
import type { InvoiceDraft } from '../../src/integrations/finance/port.js';
import { createStripeFinanceSystem } from '../../src/integrations/finance/stripe/adapter.js';
import { stripeFromKey } from '../../src/integrations/finance/stripe/client.js';
import { createStripeSandbox, type StripeSandboxCall } from '../../src/integrations/finance/stripe/sandbox/index.js';

jest.setTimeout(60_000);

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = JSON.parse(readFileSync(resolve(here, 'specs/stripe/fixtures3.json'), 'utf8')).resources as Record<
  string,
  unknown
>;

type Path = Array<string | number>;

/** Reads the SDK's declared types to tell whether a field may be null. */
function sdkNullability() {
  const virtual = resolve(here, '__stripe_contract_types__.ts');
  const source = `import type Stripe from 'stripe';
export type customer = Stripe.Customer;
export type invoice = Stripe.Invoice;
export type invoiceitem = Stripe.InvoiceItem;
export type line_item = Stripe.InvoiceLineItem;
export type event = Stripe.EventBase;
`;
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) =>
    name === virtual ? ts.createSourceFile(name, source, lang) : getSourceFile.call(host, name, lang, ...rest);
  host.fileExists = (name) => name === virtual || fileExists.call(host, name);
  host.readFile = (name) => (name === virtual ? source : readFile.call(host, name));
  const program = ts.createProgram([virtual], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(virtual);
  if (!file) throw new Error('virtual file missing');
  const roots = new Map<string, ts.Type>();
  for (const st of file.statements) {
    if (ts.isTypeAliasDeclaration(st)) {
      const symbol = checker.getSymbolAtLocation(st.name);
      if (symbol) roots.set(st.name.text, checker.getDeclaredTypeOfSymbol(symbol));
    }
  }
  const includesNull = (t: ts.Type) => (t.isUnion() ? t.types : [t]).some((m) => (m.flags & ts.TypeFlags.Null) !== 0);

  return (kind: string, path: Path): boolean => {
    let t = roots.get(kind);
    if (!t) throw new Error(`no SDK type for ${kind}`);
    for (const seg of path) {
      const members = (
        checker.getNonNullableType(t).isUnion()
          ? (checker.getNonNullableType(t) as ts.UnionType).types
          : [checker.getNonNullableType(t)]
      ) as ts.Type[];
      let next: ts.Type | undefined;
      for (const m of members) {
        if (typeof seg === 'number') {
          next = checker.getIndexTypeOfType(m, ts.IndexKind.Number) ?? next;
        } else {
          const prop = m.getProperty(seg);
          if (prop) next = checker.getTypeOfSymbol(prop);
        }
        if (next) break;
      }
      if (!next) return false;
      t = next;
    }
    return includesNull(t);
  };
}

type Problem = string;

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Every fixture field present with the same JSON type; null only where the SDK type allows it. */
function compare(
  kind: string,
  fixture: unknown,
  ours: unknown,
  nullable: (kind: string, path: Path) => boolean,
  path: Path = [],
  problems: Problem[] = [],
): Problem[] {
  const at = path.join('.') || '(root)';
  if (fixture === null) return problems;
  if (ours === null) {
    if (!nullable(kind, path))
      problems.push(
        `${kind}.${at}: null, but the fixture has a ${jsonType(fixture)} and the SDK type does not allow null`,
      );
    return problems;
  }
  if (jsonType(fixture) !== jsonType(ours)) {
    problems.push(`${kind}.${at}: ${jsonType(ours)}, the fixture has ${jsonType(fixture)}`);
    return problems;
  }
  if (Array.isArray(fixture) && Array.isArray(ours)) {
    if (fixture.length > 0) {
      for (const [i, item] of ours.entries()) compare(kind, fixture[0], item, nullable, [...path, i], problems);
    }
    return problems;
  }
  if (typeof fixture === 'object' && typeof ours === 'object') {
    for (const [key, value] of Object.entries(fixture as Record<string, unknown>)) {
      // An event's data.object is a different resource per event type; it is checked as its own kind.
      if (kind === 'event' && path.join('.') === 'data' && key === 'object') continue;
      if (!(key in (ours as Record<string, unknown>))) {
        problems.push(`${kind}.${[...path, key].join('.')}: missing (the fixture has it)`);
        continue;
      }
      compare(kind, value, (ours as Record<string, unknown>)[key], nullable, [...path, key], problems);
    }
  }
  return problems;
}

/** Every Stripe object inside an answer body (lists, search results, event payloads), by its `object` kind. */
function objectsIn(body: unknown, out: Array<{ kind: string; value: Record<string, unknown> }> = []) {
  if (Array.isArray(body)) {
    for (const b of body) objectsIn(b, out);
  } else if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (typeof o.object === 'string' && o.object !== 'list' && o.object !== 'search_result')
      out.push({ kind: o.object, value: o });
    for (const v of Object.values(o)) objectsIn(v, out);
  }
  return out;
}

async function exercise(): Promise<{ calls: StripeSandboxCall[]; delivered: unknown[] }> {
  let clock = new Date('2026-03-02T09:00:00Z');
  const sandbox = createStripeSandbox({ now: () => clock });
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) =>
    sandbox.handle(new Request(input, init))) as typeof globalThis.fetch;
  const stripe = createStripeFinanceSystem({ stripe: stripeFromKey(sandbox.apiKey, { fetch }), now: () => clock });
  const draft = {
    legalName: 'Acme Ltd',
    email: 'ap@acme.test',
    apContactName: 'Ada Lovelace',
    address: { line1: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'US' },
    currency: 'USD',
    paymentTerms: 'net_30',
    externalRef: 'hs-company-1',
  };
  await stripe.findCustomer({ externalRef: 'hs-company-1', email: 'ap@acme.test', legalName: 'Acme Ltd' });
  const customer = await stripe.createCustomer(draft, 'k-c');
  await stripe.createCustomer(draft, 'k-c');
  await stripe.findCustomer({ id: customer.id });
  await stripe.findCustomer({ externalRef: 'hs-company-1' });
  await stripe.updateCustomer(customer.id, { ...draft, paymentTerms: 'net_45' }, 'k-u');
  const invoice: InvoiceDraft = {
    customerId: customer.id,
    reference: 'rh-1',
    issueDate: '2026-03-02',
    dueDate: '2026-04-01',
    currency: 'USD',
    paymentTerms: 'net_30',
    poNumber: 'PO-1',
    memo: 'Thanks',
    status: 'issued',
    lines: [
      {
        description: 'Retainer',
        quantity: 1,
        unitAmount: money(100000, 'USD'),
        amount: money(100000, 'USD'),
        periodStart: '2026-03-01',
        periodEnd: '2026-03-31',
      },
      { description: 'Seats', quantity: 3, unitAmount: money(3333, 'USD'), amount: money(9999, 'USD') },
    ],
  };
  const a = await stripe.createInvoice(invoice, 'k-a');
  clock = new Date('2026-03-02T09:00:01Z');
  const b = await stripe.createInvoice({ ...invoice, reference: 'rh-2' }, 'k-b');
  // Tax: the account's rates, then an invoice whose lines carry them (line taxes and total_taxes in the answers).
  const vat = sandbox.createTaxRate({ display_name: 'VAT', percentage: 19, inclusive: false, country: 'DE' });
  await stripe.taxSetup?.();
  await stripe.createInvoice(
    {
      ...invoice,
      reference: 'rh-tax',
      lines: invoice.lines.map((l) => ({ ...l, tax: { code: vat.id, ratePercent: 19, inclusive: false } })),
    },
    'k-tax',
  );
  clock = new Date('2026-03-02T09:00:02Z');
  const c = await stripe.createInvoice({ ...invoice, reference: 'rh-3', status: 'draft' }, 'k-c2');
  sandbox.payInvoice(a.id, '2026-03-10');
  sandbox.markUncollectible(b.id);
  void c;
  await stripe.findInvoiceByReference(customer.id, 'rh-2');
  await stripe.listInvoices({ customerId: customer.id });
  clock = new Date('2026-03-03T09:00:00Z');
  await stripe.listInvoices({ changedSince: new Date('2026-03-02T00:00:00Z') });
  return { calls: sandbox.calls, delivered: sandbox.webhooks.flush().map((d) => JSON.parse(d.body.toString('utf8'))) };
}

describe('Stripe contract (sandbox objects against Stripe’s fixtures3.json)', () => {
  let run: Awaited<ReturnType<typeof exercise>>;
  let nullable: ReturnType<typeof sdkNullability>;
  beforeAll(async () => {
    nullable = sdkNullability();
    run = await exercise();
  });

  it('the exercise ran without a refused parameter and answered every object kind the adapter reads', () => {
    const refused = run.calls.filter((c) => c.status >= 400);
    expect(refused).toEqual([]);
    const kinds = new Set(run.calls.flatMap((c) => objectsIn(c.responseBody).map((o) => o.kind)));
    for (const kind of ['customer', 'invoice', 'invoiceitem', 'line_item', 'event']) expect(kinds).toContain(kind);
  });

  for (const kind of ['customer', 'invoice', 'invoiceitem', 'line_item', 'event']) {
    it(`every ${kind} the sandbox answered (and every webhook payload) has the fixture’s fields and JSON types`, () => {
      const objects = [...run.calls.flatMap((c) => objectsIn(c.responseBody)), ...objectsIn(run.delivered)].filter(
        (o) => o.kind === kind,
      );
      expect(objects.length).toBeGreaterThan(0);
      const problems = new Set(objects.flatMap((o) => compare(kind, fixtures[kind], o.value, nullable)));
      expect([...problems]).toEqual([]);
    });
  }

  it('the sandbox’s tax rate has every field of Stripe’s tax_rate fixture, and taxed lines carry their taxes', () => {
    const rates = run.calls.flatMap((c) =>
      ((c.responseBody as { object?: string; data?: Array<Record<string, unknown>> })?.object === 'list'
        ? ((c.responseBody as { data: Array<Record<string, unknown>> }).data ?? [])
        : []
      ).filter((o) => o.object === 'tax_rate'),
    );
    expect(rates.length).toBeGreaterThan(0);
    const fixture = fixtures.tax_rate as Record<string, unknown>;
    for (const r of rates) for (const key of Object.keys(fixture)) expect(Object.keys(r)).toContain(key);
    const lines = run.calls.flatMap((c) => objectsIn(c.responseBody)).filter((o) => o.kind === 'line_item');
    const taxed = lines.filter((o) => ((o.value as { taxes?: unknown[] }).taxes ?? []).length > 0);
    expect(taxed.length).toBeGreaterThan(0);
    const first = taxed[0]?.value as { taxes: Array<{ amount: number; type: string }> } | undefined;
    expect(first?.taxes[0]).toMatchObject({
      amount: 19_000,
      type: 'tax_rate_details',
    });
  });

  it('the check has teeth: a missing field, a wrong type or a null the SDK forbids is reported', () => {
    const customer = objectsIn(run.calls.map((c) => c.responseBody)).find((o) => o.kind === 'customer')?.value ?? {};
    const { invoice_prefix: _gone, ...missing } = customer;
    expect(compare('customer', fixtures.customer, missing, nullable)).toEqual([
      'customer.invoice_prefix: missing (the fixture has it)',
    ]);
    expect(compare('customer', fixtures.customer, { ...customer, balance: '0' }, nullable)).toEqual([
      'customer.balance: string, the fixture has number',
    ]);
    expect(compare('customer', fixtures.customer, { ...customer, created: null }, nullable)).toEqual([
      'customer.created: null, but the fixture has a number and the SDK type does not allow null',
    ]);
    expect(nullable('invoice', ['status_transitions', 'paid_at'])).toBe(true);
    expect(nullable('invoice', ['lines', 'data', 0, 'amount'])).toBe(false);
  });
});
