import { Button, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { BackendError, call, TIMEOUT_MS } from '../../cards/shared/api-client.js';
import { BACKEND_URL, DEFAULT_BACKEND_URL } from '../../cards/shared/backend-url.js';
import { SHARED_STRINGS } from '../../cards/shared/strings.js';
import { useBackend } from '../../cards/shared/use-backend.js';
import { deferred, type StubbedBackend, stubBackend } from './backend-stub.js';
import { DEAL_ID, view } from './handoff-fixtures.js';
import { fire } from './render-helpers.js';

let backend: StubbedBackend;
beforeEach(() => {
  backend = stubBackend();
});

async function failure(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BackendError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('api-client', () => {
  it('POSTs the input as a plain object to <backend>/api/<name>, with a timeout under HubSpot’s 15 s', async () => {
    backend.answer('getHandoffView', { body: view() });
    const hsFetch = (globalThis as unknown as { hsFetch: { mock: { calls: unknown[][] } } }).hsFetch;
    const result = await call('getHandoffView', { dealId: DEAL_ID });
    expect(result.deal.id).toBe(DEAL_ID);
    expect(BACKEND_URL).toBe(DEFAULT_BACKEND_URL);
    expect(hsFetch.mock.calls[0]).toEqual([
      'https://revenue-handoff.example.com/api/getHandoffView',
      { method: 'POST', body: { dealId: DEAL_ID }, timeout: TIMEOUT_MS },
    ]);
    expect(TIMEOUT_MS).toBeLessThan(15_000);
  });

  it('turns a 4xx body {code, message, path} into an error carrying the message to show', async () => {
    backend.answer('saveSettings', {
      status: 400,
      body: {
        code: 'invalid_input',
        message: 'settings.timeZone: is not a known IANA time zone',
        path: 'settings.timeZone',
      },
    });
    const e = await failure(call('saveSettings', { settings: { timeZone: 'Mars/Olympus' } }));
    expect(e).toMatchObject({
      kind: 'rejected',
      status: 400,
      code: 'invalid_input',
      path: 'settings.timeZone',
      message: 'settings.timeZone: is not a known IANA time zone',
    });
  });

  it('says what to do for conflicts, refusals, overload and server trouble', async () => {
    backend.answer(
      'submitHandoff',
      { status: 409, body: { code: 'conflict', message: 'Revision 3 is stale.' } },
      { once: true },
    );
    backend.answer(
      'submitHandoff',
      { status: 403, body: { code: 'forbidden', message: 'Only the deal team may submit.' } },
      { once: true },
    );
    backend.answer('submitHandoff', { status: 429, body: {} }, { once: true });
    backend.answer(
      'submitHandoff',
      { status: 500, body: { code: 'internal', message: 'TypeError at line 3' } },
      { once: true },
    );
    const input = { dealId: DEAL_ID, handoffId: 'h-fin', revision: 3 };
    expect(await failure(call('submitHandoff', input))).toMatchObject({
      kind: 'conflict',
      message: `Revision 3 is stale. ${SHARED_STRINGS.conflictHint}`,
    });
    expect(await failure(call('submitHandoff', input))).toMatchObject({
      kind: 'forbidden',
      message: 'Only the deal team may submit.',
    });
    expect(await failure(call('submitHandoff', input))).toMatchObject({
      kind: 'unavailable',
      message: SHARED_STRINGS.busy,
    });
    const e500 = await failure(call('submitHandoff', input));
    expect(e500).toMatchObject({ kind: 'unavailable', message: SHARED_STRINGS.serverTrouble });
    expect(e500.message).not.toContain('TypeError');
  });

  it('refuses an answer that does not match the contract, and reports an unreachable backend', async () => {
    backend.answer('getMetrics', { body: { generatedAt: 3 } }, { once: true });
    backend.answer('getMetrics', 'network-error', { once: true });
    expect(await failure(call('getMetrics', {}))).toMatchObject({
      kind: 'unexpected',
      message: SHARED_STRINGS.unexpectedAnswer,
    });
    expect(await failure(call('getMetrics', {}))).toMatchObject({
      kind: 'unreachable',
      message: SHARED_STRINGS.unreachable,
    });
  });
});

function Probe({ dealId }: { dealId: string }) {
  const b = useBackend('getHandoffView', { dealId });
  const shown = b.state.status === 'success' ? b.state.data.deal.name : b.state.status;
  return (
    <>
      <Text testId="shown">{shown}</Text>
      <Button testId="reload" onClick={() => b.reload()}>
        reload
      </Button>
    </>
  );
}

describe('useBackend', () => {
  it('ignores a response that arrives after a newer load started', async () => {
    const first = deferred<{ body: unknown }>();
    const second = deferred<{ body: unknown }>();
    backend.answer('getHandoffView', first.promise, { once: true });
    backend.answer('getHandoffView', second.promise, { once: true });
    const r = createRenderer('crm.record.tab');
    r.render(<Probe dealId={DEAL_ID} />);
    expect(r.findByTestId(Text, 'shown').text).toBe('loading');
    fire(r.findByTestId(Button, 'reload'), 'onClick');
    await r.waitFor(() => expect(backend.calls).toHaveLength(2));

    const newer = view();
    second.resolve({ body: { ...newer, deal: { ...newer.deal, name: 'Newer answer' } } });
    await r.waitFor(() => expect(r.findByTestId(Text, 'shown').text).toBe('Newer answer'));
    first.resolve({ body: { ...newer, deal: { ...newer.deal, name: 'Stale answer' } } });
    // Give the stale answer every chance to land.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.findByTestId(Text, 'shown').text).toBe('Newer answer');
  });
});
