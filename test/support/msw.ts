import { http } from 'msw';
import { setupServer } from 'msw/node';
import type { SandboxHandler } from '../../src/integrations/sandbox/transport.js';

/**
 * Routes every request to `baseUrl` (any path, any method) into a vendor sandbox.
 * @example const server = mockVendors({ 'https://api.xero.com': xero.handle }); server.listen(...)
 */
export function sandboxRoutes(baseUrl: string, handler: SandboxHandler) {
  const base = baseUrl.replace(/\/$/, '');
  return http.all(`${base}/*`, ({ request }) => handler(request));
}

/** An msw server for several sandboxes that fails the test on any request no sandbox owns (no real network). */
export function mockVendors(routes: Record<string, SandboxHandler>) {
  const server = setupServer(...Object.entries(routes).map(([base, handler]) => sandboxRoutes(base, handler)));
  return {
    server,
    start: () => server.listen({ onUnhandledFrame: 'error' }),
    stop: () => server.close(),
  };
}
