import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A vendor sandbox is one function from a Fetch `Request` to a `Response`, holding the fake vendor's state.
 * The same function serves the tests (through msw, see test/support/msw.ts) and the local demo (over real HTTP
 * on 127.0.0.1 via `serveSandbox`), so the demo and the tests exercise one fake.
 */
export type SandboxHandler = (request: Request) => Promise<Response>;

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? 'GET';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : body,
  });
}

/**
 * Serves a sandbox over HTTP on the loopback interface. Resolves with the base URL and a `close` function.
 * @example const { url, close } = await serveSandbox(xeroSandbox.handle, 0);
 */
export async function serveSandbox(
  handler: SandboxHandler,
  port = 0,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  let origin = '';
  const server = createServer((req, res) => {
    toRequest(req, origin)
      .then(handler)
      .then(async (response) => {
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          headers[key] = value;
        });
        res.writeHead(response.status, headers);
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `sandbox failure: ${e instanceof Error ? e.message : String(e)}` }));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** A JSON response, the way every sandbox answers. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
