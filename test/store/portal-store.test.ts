import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHandoff, evaluateHandoff } from '../../src/handoff/index.js';
import { DEFAULT_CS_TO_FINANCE } from '../../src/handoff/templates/default-cs-to-finance.js';
import type { Db } from '../../src/store/db.js';
import { portalStore } from '../../src/store/portal-store.js';
import { testDatabases } from '../support/databases.js';

const now = new Date('2026-11-25T12:00:00Z');

async function install(db: Db, portalId: number) {
  await db.query('INSERT INTO installations (portal_id) VALUES ($1)', [portalId]);
  const store = portalStore(db, portalId);
  await store.templates.seed([DEFAULT_CS_TO_FINANCE]);
  return store;
}

function newHandoff(dealId: string) {
  return createHandoff({ id: randomUUID(), dealId, deal: { ownerId: '7' } }, DEFAULT_CS_TO_FINANCE, now);
}

describe.each(testDatabases())('portal store on $name', ({ open }) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('keeps every template version and serves the newest', async () => {
    db = await open();
    const store = await install(db, 1);
    await store.templates.seed([DEFAULT_CS_TO_FINANCE]); // a second install does not add a version
    const edited = await store.templates.saveNewVersion({ ...DEFAULT_CS_TO_FINANCE, name: 'Finance handoff v2' }, 'u1');
    expect(edited.version).toBe(DEFAULT_CS_TO_FINANCE.version + 1);
    expect((await store.templates.get(DEFAULT_CS_TO_FINANCE.id))?.name).toBe('Finance handoff v2');
    expect((await store.templates.get(DEFAULT_CS_TO_FINANCE.id, DEFAULT_CS_TO_FINANCE.version))?.name).toBe(
      DEFAULT_CS_TO_FINANCE.name,
    );
    expect((await store.templates.latest()).map((t) => t.version)).toEqual([edited.version]);
  });

  it('refuses an invalid template edit and keeps the stored versions as they were', async () => {
    db = await open();
    const store = await install(db, 1);
    await expect(
      store.templates.saveNewVersion({ ...DEFAULT_CS_TO_FINANCE, rejectionReasons: [] }, 'u1'),
    ).rejects.toThrow(/rejectionReasons/);
    expect((await store.templates.latest()).map((t) => t.version)).toEqual([DEFAULT_CS_TO_FINANCE.version]);
  });

  it('stores a handoff with its values and evaluation, and refuses a stale concurrent write', async () => {
    db = await open();
    const store = await install(db, 1);
    const h = newHandoff('d-1');
    const evaluation = evaluateHandoff(DEFAULT_CS_TO_FINANCE, {}, { now, timeZone: 'UTC' });
    const saved = await store.handoffs.insert(h, { poRequired: false }, evaluation);
    const [loaded] = await store.handoffs.byDeal('d-1');
    expect(loaded?.handoff).toEqual(h);
    expect(loaded?.data).toEqual({ poRequired: false });
    expect(loaded?.evaluation?.percentComplete).toBe(evaluation.percentComplete);

    const first = await store.handoffs.update({ ...saved, data: { poRequired: true } });
    expect(first.revision).toBe(1);
    await expect(store.handoffs.update({ ...saved, data: { poRequired: false } })).rejects.toThrow(
      /changed by someone else/,
    );
    expect((await store.handoffs.get(h.id))?.data).toEqual({ poRequired: true });
  });

  it("never shows one portal's handoffs, events or exceptions to another", async () => {
    db = await open();
    const a = await install(db, 1);
    const b = await install(db, 2);
    const h = newHandoff('d-1');
    await a.handoffs.insert(h, {}, null);
    await a.events.append([{ handoffId: h.id, type: 'created', actor: 'u1', at: now.toISOString(), payload: {} }]);
    expect(await b.handoffs.get(h.id)).toBeNull();
    expect(await b.handoffs.byDeal('d-1')).toEqual([]);
    expect(await b.events.list(h.id)).toEqual([]);
    expect(await a.events.list(h.id)).toHaveLength(1);
  });

  it('lists the newest events oldest-first', async () => {
    db = await open();
    const store = await install(db, 1);
    const h = newHandoff('d-1');
    await store.handoffs.insert(h, {}, null);
    await store.events.append(
      [1, 2, 3].map((n) => ({ handoffId: h.id, type: `e${n}`, actor: 'u', at: now.toISOString(), payload: { n } })),
    );
    expect((await store.events.list(h.id, 2)).map((e) => e.type)).toEqual(['e2', 'e3']);
  });

  it('rolls back every write of a failed transaction', async () => {
    db = await open();
    const store = await install(db, 1);
    const h = newHandoff('d-1');
    await expect(
      store.transaction(async (tx) => {
        await tx.handoffs.insert(h, {}, null);
        await tx.events.append([{ handoffId: h.id, type: 'x', actor: 'u', at: 'not a time', payload: {} }]);
      }),
    ).rejects.toThrow();
    expect(await store.handoffs.get(h.id)).toBeNull();
  });

  it('says plainly when the app is not installed in a portal', async () => {
    db = await open();
    await expect(portalStore(db, 404).installation.settings()).rejects.toThrow('not installed in portal 404');
  });
});
