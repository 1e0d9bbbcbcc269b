import { describe, expect, it } from '@jest/globals';
import { createQuickBooksFinanceSystem } from '../../../../src/integrations/finance/quickbooks/adapter.js';
import { createQuickBooksSandbox } from '../../../../src/integrations/finance/quickbooks/sandbox/index.js';
import { serveSandbox } from '../../../../src/integrations/sandbox/transport.js';

// No msw here: the demo serves the same sandbox over real loopback HTTP, and the adapter must work against it.
describe('QuickBooks sandbox over HTTP (demo)', () => {
  it('serves the adapter over 127.0.0.1 exactly as through msw', async () => {
    const qbo = createQuickBooksSandbox();
    const { url, close } = await serveSandbox(qbo.handle);
    try {
      const finance = createQuickBooksFinanceSystem({
        realmId: qbo.realmId,
        accessToken: async () => qbo.accessToken,
        baseUrl: url,
      });
      const customer = await finance.createCustomer(
        { legalName: 'Acme', currency: 'USD', paymentTerms: 'net_30', externalRef: 'hs-company-1' },
        'k1',
      );
      expect(await finance.findCustomer({ externalRef: 'hs-company-1' })).toEqual(customer);
      expect(customer.url).toBe(`https://app.qbo.intuit.com/app/customerdetail?nameId=${customer.id}`);
    } finally {
      await close();
    }
  });
});
