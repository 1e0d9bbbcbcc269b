import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ReactElement } from 'react';
import { type BuildResult, buildProject, REPO_ROOT } from '../../scripts/build-cards.js';
import { DEAL_ID, views } from '../cards/handoff-fixtures.js';

/**
 * Runs a built bundle the way HubSpot's worker does: the worker globals are set before the bundle's first import
 * of @hubspot/ui-extensions, so `hubspot.extend` hands over the render callback, which is then rendered with the
 * package's test renderer; `hubspot.fetch` is `self.hsFetch`. Nothing in this file imports @hubspot/ui-extensions
 * before the bundle does.
 */

const BASE_URL = 'https://handoff.acme.test';
// Inside the repo (test-output/ is ignored) so the bundle's bare imports resolve to this repo's react and
// @hubspot/ui-extensions, as HubSpot's install of the card folder's package.json would.
const OUT = path.join(REPO_ROOT, 'test-output', `bundle-${process.pid}`);
let built: BuildResult;

beforeAll(async () => {
  built = await buildProject({ srcDir: OUT, baseUrl: BASE_URL });
}, 60_000);

afterAll(async () => {
  await rm(OUT, { recursive: true, force: true });
});

type Extend = (api: { context: unknown; actions: unknown }) => ReactElement;
type HsFetch = (url: string, options?: { method?: string; body?: unknown }) => Promise<Response>;

describe('built HandoffChecklist bundle', () => {
  it('registers through hubspot.extend, calls the configured backend once, and renders the handoffs', async () => {
    const bundle = built.bundles.find((b) => b.file.endsWith('HandoffChecklist.jsx'));
    if (!bundle) throw new Error('no HandoffChecklist bundle');
    // Jest treats only .js (under "type": "module") and .ts/.tsx as ES modules; the same code under a .js name.
    const runnable = bundle.file.replace(/\.jsx$/, '.smoke.js');
    await copyFile(bundle.file, runnable);

    const g = globalThis as Record<string, unknown>;
    let extend: Extend | undefined;
    const hsFetch = jest.fn<HsFetch>(
      async () =>
        new Response(JSON.stringify(views.incomplete()), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    g.self = globalThis;
    g.__HUBSPOT_EXTENSION_WORKER__ = true;
    g.extend_V2 = (cb: Extend) => {
      extend = cb;
    };
    g.hsFetch = hsFetch;
    await import(runnable);
    g.__HUBSPOT_EXTENSION_WORKER__ = false;
    if (!extend) throw new Error('the bundle did not call hubspot.extend');

    const { createRenderer } = await import('@hubspot/ui-extensions/testing');
    const { StatusTag, LoadingSpinner } = await import('@hubspot/ui-extensions');
    const r = createRenderer('crm.record.tab');
    const context = { ...r.mocks.context, crm: { objectId: Number(DEAL_ID), objectTypeId: '0-3' } };
    r.render(extend({ context, actions: r.mocks.actions }));
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(r.findByTestId(StatusTag, 'h-fin/status-poNumber').text).toBe('Missing');
    expect(hsFetch).toHaveBeenCalledTimes(1);
    expect(hsFetch.mock.calls[0]?.[0]).toBe(`${BASE_URL}/api/getHandoffView`);
    expect(hsFetch.mock.calls[0]?.[1]).toMatchObject({ method: 'POST', body: { dealId: DEAL_ID } });
  });
});
