import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { json, serveSandbox } from '../../../src/integrations/sandbox/transport.js';
import { mockVendors } from '../../support/msw.js';

const echo = async (req: Request) =>
  json({
    method: req.method,
    path: new URL(req.url).pathname,
    body: req.body ? await req.text() : null,
    h: req.headers.get('x-k'),
  });

describe('sandbox transport', () => {
  it('serves a sandbox over HTTP on 127.0.0.1 with method, path, headers and body intact', async () => {
    const { url, close } = await serveSandbox(echo);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/a/b?c=1`, { method: 'POST', body: '{"x":1}', headers: { 'x-k': 'v' } });
      expect(await res.json()).toEqual({ method: 'POST', path: '/a/b', body: '{"x":1}', h: 'v' });
    } finally {
      await close();
    }
  });

  describe('through msw', () => {
    const vendors = mockVendors({ 'https://api.vendor.test': echo });
    beforeAll(() => vendors.start());
    afterAll(() => vendors.stop());

    it('routes a request for the vendor host into the same sandbox', async () => {
      const res = await fetch('https://api.vendor.test/x', { method: 'PUT', body: 'hi' });
      expect(await res.json()).toEqual({ method: 'PUT', path: '/x', body: 'hi', h: null });
    });

    it('refuses a request to a host no sandbox owns, so tests never reach a real API', async () => {
      await expect(fetch('https://api.elsewhere.test/')).rejects.toThrow();
    });
  });
});
