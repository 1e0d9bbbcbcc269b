import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { PAYMENT_TERMS_CATALOG } from '../billing/payment-terms.js';
import type { QuickBooksSandbox } from '../integrations/finance/quickbooks/sandbox/index.js';

/**
 * Demo only: play the finance person who edits a customer directly in QuickBooks, and deliver the sandbox's
 * webhooks to the app as QuickBooks would, so a manual correction reaches the deal card within one job cycle.
 *
 *   curl localhost:3000/demo/quickbooks/customers
 *   curl -X POST -H 'content-type: application/json' -d '{"terms":"net_45"}' \
 *     localhost:3000/demo/quickbooks/customers/<id>/terms
 */

/**
 * GET /demo/quickbooks/customers lists the sandbox's customers; POST /demo/quickbooks/customers/:id/terms changes
 * one's payment terms (body `{ "terms": "net_45" }`), as a person would in QuickBooks.
 * @example app.use(financeEditsRouter(sandboxes.quickbooks))
 */
export function financeEditsRouter(quickbooks: QuickBooksSandbox): Router {
  const router = express.Router();
  const codes = PAYMENT_TERMS_CATALOG.map((t) => t.code);
  router.get('/demo/quickbooks/customers', (_req, res) => {
    const terms = quickbooks.state.terms;
    res.json(
      [...quickbooks.state.customers.values()].map((c) => ({
        id: c.Id,
        name: c.CompanyName ?? c.DisplayName,
        terms: c.SalesTermRef ? (terms.get(c.SalesTermRef.value)?.Name ?? null) : null,
      })),
    );
  });
  router.post('/demo/quickbooks/customers/:id/terms', express.json(), (req, res) => {
    const terms = (req.body as { terms?: unknown } | undefined)?.terms;
    if (typeof terms !== 'string' || !codes.includes(terms)) {
      res.status(400).json({
        code: 'invalid_input',
        path: 'terms',
        message: `terms ${JSON.stringify(terms ?? null)} is not one of ${codes.join(', ')}`,
      });
      return;
    }
    if (!quickbooks.state.customers.has(req.params.id)) {
      res.status(404).json({ code: 'not_found', path: 'id', message: `the sandbox has no customer ${req.params.id}` });
      return;
    }
    const c = quickbooks.setCustomerTerms(req.params.id, terms);
    res.json({ id: c.Id, terms, lastUpdatedTime: c.MetaData.LastUpdatedTime });
  });
  return router;
}

/**
 * Delivers the sandbox's pending QuickBooks events to the app's own webhook route every `everyMs`, signed with the
 * verifier token, as Intuit does. Returns a stop function.
 * @example const stop = forwardQuickBooksWebhooks(sandboxes.quickbooks, 'http://127.0.0.1:3000', logger)
 */
export function forwardQuickBooksWebhooks(
  quickbooks: QuickBooksSandbox,
  baseUrl: string,
  logger: Logger,
  everyMs = 2_000,
): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const delivery = quickbooks.webhooks.takeDelivery();
    if (!delivery) return;
    busy = true;
    fetch(`${baseUrl}/webhooks/quickbooks`, { method: 'POST', headers: delivery.headers, body: delivery.body })
      .then((r) => {
        if (!r.ok) logger.warn({ status: r.status }, 'demo: the app refused a QuickBooks sandbox webhook');
      })
      .catch((e: unknown) => logger.warn({ err: e }, 'demo: could not deliver a QuickBooks sandbox webhook'))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
