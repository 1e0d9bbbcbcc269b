import { HttpResponse, http, passthrough } from 'msw';
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

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * An msw server for several sandboxes. Any request no sandbox owns fails as a network error (tests never reach
 * a real API), except loopback traffic: the app under test itself (supertest, a local server) lives there.
 */
export function mockVendors(routes: Record<string, SandboxHandler>) {
  const server = setupServer(
    ...Object.entries(routes).map(([base, handler]) => sandboxRoutes(base, handler)),
    http.all('*', ({ request }) =>
      LOOPBACK.has(new URL(request.url).hostname) ? passthrough() : HttpResponse.error(),
    ),
  );
  return {
    server,
    start: () => server.listen({ onUnhandledFrame: 'error' }),
    stop: () => server.close(),
  };
}
