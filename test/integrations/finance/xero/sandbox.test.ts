import { describe, expect, it } from '@jest/globals';
import { createXeroSandbox } from '../../../../src/integrations/finance/xero/sandbox/index.js';
import { compileWhere, WhereParseError } from '../../../../src/integrations/finance/xero/sandbox/where.js';

const API = 'https://api.xero.com/api.xro/2.0';

function client(sandbox: ReturnType<typeof createXeroSandbox>) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    sandbox.handle(
      new Request(`${API}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${sandbox.accessToken}`,
          'xero-tenant-id': sandbox.tenantId,
          'content-type': 'application/json',
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
}

describe('Xero sandbox', () => {
  it('reports the remaining budgets on every answer and counts a 60-second sliding window', async () => {
    let clock = new Date('2026-03-02T09:00:00Z');
    const sandbox = createXeroSandbox({ now: () => clock, limits: { perMinute: 3 } });
    const call = client(sandbox);
    const first = await call('GET', '/Contacts');
    expect(first.headers.get('x-minlimit-remaining')).toBe('2');
    expect(first.headers.get('x-daylimit-remaining')).toBe('4999');
    expect(first.headers.get('x-appminlimit-remaining')).toBe('9999');
    await call('GET', '/Contacts');
    await call('GET', '/Contacts');
    clock = new Date('2026-03-02T09:00:20Z');
    const refused = await call('GET', '/Contacts');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('40');
    expect(refused.headers.get('x-rate-limit-problem')).toBe('minute');
    clock = new Date('2026-03-02T09:01:00Z');
    expect((await call('GET', '/Contacts')).status).toBe(200);
  });

  it('refuses a missing or unknown token (401) and a tenant the token cannot reach (403)', async () => {
    const sandbox = createXeroSandbox();
    const call = client(sandbox);
    expect((await call('GET', '/Contacts', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call('GET', '/Contacts', undefined, { 'xero-tenant-id': 'other' })).status).toBe(403);
  });

  it('replays the first answer for a repeated Idempotency-Key and changes nothing', async () => {
    const sandbox = createXeroSandbox();
    const call = client(sandbox);
    const body = { Contacts: [{ Name: 'Acme' }] };
    const a = await (await call('PUT', '/Contacts?summarizeErrors=true', body, { 'idempotency-key': 'k' })).json();
    const b = await (await call('PUT', '/Contacts?summarizeErrors=true', body, { 'idempotency-key': 'k' })).json();
    expect(b).toEqual(a);
    expect(sandbox.state.orgs.get(sandbox.tenantId)?.contacts.size).toBe(1);
  });

  it('does not remember a refused request, so it can be corrected and sent again with its key', async () => {
    const sandbox = createXeroSandbox();
    const call = client(sandbox);
    const bad = await call(
      'PUT',
      '/Contacts?summarizeErrors=true',
      { Contacts: [{ Name: '' }] },
      { 'idempotency-key': 'k' },
    );
    expect(bad.status).toBe(400);
    const good = await call(
      'PUT',
      '/Contacts?summarizeErrors=true',
      { Contacts: [{ Name: 'Acme' }] },
      { 'idempotency-key': 'k' },
    );
    expect(good.status).toBe(200);
  });

  it('refuses a write without a JSON object body (PostDataInvalidException)', async () => {
    const sandbox = createXeroSandbox();
    const res = await client(sandbox)('PUT', '/Invoices', undefined, { 'idempotency-key': 'k' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ Type: 'PostDataInvalidException' });
  });

  it('without summarizeErrors answers 200 with the element’s ValidationErrors, as Xero does', async () => {
    const sandbox = createXeroSandbox();
    const res = await client(sandbox)('PUT', '/Contacts', { Contacts: [{ Name: '' }] }, { 'idempotency-key': 'k' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Contacts: Array<{ HasValidationErrors: boolean }> };
    expect(body.Contacts[0]?.HasValidationErrors).toBe(true);
  });

  it('derives a missing due date from the contact’s terms and numbers invoices INV-0001… when not given', async () => {
    const sandbox = createXeroSandbox();
    const contactId = sandbox.addContact({
      Name: 'Acme',
      PaymentTerms: { Sales: { Day: 20, Type: 'OFFOLLOWINGMONTH' } },
    });
    const res = await client(sandbox)(
      'PUT',
      '/Invoices',
      {
        Invoices: [
          {
            Type: 'ACCREC',
            Contact: { ContactID: contactId },
            Date: '2026-01-31',
            Status: 'AUTHORISED',
            LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 10, AccountCode: '200' }],
          },
        ],
      },
      { 'idempotency-key': 'k' },
    );
    const body = (await res.json()) as { Invoices: Array<Record<string, unknown>> };
    expect(body.Invoices[0]).toMatchObject({
      InvoiceNumber: 'INV-0001',
      DueDateString: '2026-02-20T00:00:00',
      Total: 10,
    });
  });

  it('rounds Quantity × UnitAmount half away from zero to the currency, as Xero’s line totals do', async () => {
    const sandbox = createXeroSandbox();
    const contactId = sandbox.addContact({ Name: 'Acme' });
    const res = await client(sandbox)(
      'PUT',
      '/Invoices',
      {
        Invoices: [
          {
            Type: 'ACCREC',
            Contact: { ContactID: contactId },
            LineItems: [{ Description: 'x', Quantity: 1.5, UnitAmount: 33.33 }],
          },
        ],
      },
      { 'idempotency-key': 'k' },
    );
    const body = (await res.json()) as { Invoices: Array<{ Total: number; LineItems: Array<{ LineAmount: number }> }> };
    expect(body.Invoices[0]?.LineItems[0]?.LineAmount).toBe(50);
    expect(body.Invoices[0]?.Total).toBe(50);
  });

  it('answers 404 in Xero’s words and a where clause it cannot parse with QueryParseException', async () => {
    const sandbox = createXeroSandbox();
    const call = client(sandbox);
    const missing = await call('GET', '/Invoices/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("The resource you're looking for cannot be found");
    const bad = await call('GET', `/Contacts?where=${encodeURIComponent('Nickname=="x"')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ Type: 'QueryParseException' });
  });

  it('helpers: pay in part then in full, void, delete a draft, age, and refuse what Xero refuses', async () => {
    let clock = new Date('2026-03-02T09:00:00Z');
    const sandbox = createXeroSandbox({ now: () => clock });
    const contactId = sandbox.addContact({ Name: 'Acme' });
    const call = client(sandbox);
    const make = async (status: string, n: string) => {
      const res = await call(
        'PUT',
        '/Invoices',
        {
          Invoices: [
            {
              Type: 'ACCREC',
              Contact: { ContactID: contactId },
              InvoiceNumber: n,
              Date: '2026-03-01',
              DueDate: '2026-03-31',
              Status: status,
              LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 100, AccountCode: '200' }],
            },
          ],
        },
        { 'idempotency-key': n },
      );
      return ((await res.json()) as { Invoices: Array<{ InvoiceID: string }> }).Invoices[0]?.InvoiceID as string;
    };
    const a = await make('AUTHORISED', 'A');
    const d = await make('DRAFT', 'D');
    sandbox.payInvoice(a, { amount: 40, on: '2026-03-05' });
    expect(() => sandbox.voidInvoice(a)).toThrow(/payments/);
    sandbox.payInvoice(a, { on: '2026-03-06' });
    const inv = sandbox.state.orgs.get(sandbox.tenantId)?.invoices.get(a);
    expect(inv).toMatchObject({ status: 'PAID', fullyPaidOn: '2026-03-06' });
    expect(() => sandbox.payInvoice(d)).toThrow(/AUTHORISED/);
    sandbox.ageInvoice(d, 60);
    expect(sandbox.state.orgs.get(sandbox.tenantId)?.invoices.get(d)).toMatchObject({
      date: '2025-12-31',
      dueDate: '2026-01-30',
    });
    sandbox.voidInvoice(d);
    expect(sandbox.state.orgs.get(sandbox.tenantId)?.invoices.get(d)?.status).toBe('DELETED');
    clock = new Date('2026-03-07T00:00:00Z');
    const e = await make('DRAFT', 'E');
    sandbox.authoriseInvoice(e);
    expect(sandbox.state.orgs.get(sandbox.tenantId)?.invoices.get(e)?.status).toBe('AUTHORISED');
  });
});

describe('Xero sandbox where filter', () => {
  const fields = ['Name', 'ContactNumber', 'EmailAddress', 'Contact.ContactID', 'IsCustomer'];
  it('understands ==, !=, null, booleans, guid(), ToLower, Contains, StartsWith, AND and &&', () => {
    const r = { Name: 'Acme "Best" Ltd', ContactNumber: 'HS-1', Contact: { ContactID: 'abc' }, IsCustomer: true };
    expect(compileWhere('ContactNumber=="hs-1"', 'Contact', fields)(r)).toBe(true);
    expect(compileWhere('Name=="Acme \\"Best\\" Ltd" AND IsCustomer==true', 'Contact', fields)(r)).toBe(true);
    expect(compileWhere('EmailAddress==null && Contact.ContactID==guid("ABC")', 'Contact', fields)(r)).toBe(true);
    expect(compileWhere('EmailAddress!=null', 'Contact', fields)(r)).toBe(false);
    expect(compileWhere('Name.ToLower()=="acme \\"best\\" ltd"', 'Contact', fields)(r)).toBe(true);
    expect(compileWhere('Name.Contains("best")', 'Contact', fields)(r)).toBe(true);
    expect(compileWhere('Name.StartsWith("Ltd")', 'Contact', fields)(r)).toBe(false);
  });

  it('refuses unknown fields and syntax with Xero-like messages', () => {
    expect(() => compileWhere('Foo=="x"', 'Contact', fields)).toThrow(
      "No property or field 'Foo' exists in type 'Contact'",
    );
    expect(() => compileWhere('Name = "x"', 'Contact', fields)).toThrow(WhereParseError);
  });
});
