import express, { type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PAYMENT_TERMS_CATALOG } from '../billing/payment-terms.js';
import { withPoInMemo } from '../integrations/finance/quickbooks/notes-markers.js';
import {
  type InvoiceSnapshotContext,
  quickbooksPoNumber,
} from '../integrations/finance/quickbooks/quickbooks-invoice-to-snapshot.js';
import type { QuickBooksSandbox } from '../integrations/finance/quickbooks/sandbox/index.js';
import type { QboInvoice, QboSalesItemLine } from '../integrations/finance/quickbooks/types.js';

/** The QuickBooks PO custom field the app is configured with (QUICKBOOKS_PO_FIELD_ID); none: the memo's PO line. */
type PoCustomField = InvoiceSnapshotContext['poCustomField'];

/**
 * Demo only: play the finance person who edits a customer directly in QuickBooks, and deliver the sandbox's
 * webhooks to the app as QuickBooks would, so a manual correction reaches the deal card within one job cycle.
 *
 *   curl localhost:3000/demo/quickbooks/customers
 *   curl -X POST -H 'content-type: application/json' -d '{"terms":"net_45"}' \
 *     localhost:3000/demo/quickbooks/customers/<id>/terms
 *   curl localhost:3000/demo/quickbooks/invoices
 *   curl -X POST -H 'content-type: application/json' -d '{"poNumber":"PO-2","line":{"index":1,"unitPrice":450}}' \
 *     localhost:3000/demo/quickbooks/invoices/<id>
 *   curl -X POST -H 'content-type: application/json' -d '{}' localhost:3000/demo/quickbooks/invoices/<id>/write-off
 */

/** Body of POST /demo/quickbooks/invoices/:id/write-off: the item and account of the credit memo, and how much. */
const WriteOffSchema = z
  .object({
    itemName: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(100).optional(),
    account: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(100).optional(),
    amount: z.number({ error: 'must be a number' }).positive('must be more than zero').optional(),
  })
  .strict();

/** Body of POST /demo/quickbooks/invoices/:id: a new PO number and/or one sales line's new values. */
const InvoiceEditSchema = z
  .object({
    poNumber: z
      .string({ error: 'must be text' })
      .trim()
      .min(1, 'must not be empty')
      .max(31, 'must be at most 31 characters')
      .optional(),
    line: z
      .object({
        index: z
          .number({ error: 'must be a line number' })
          .int('must be a whole line number')
          .min(1, 'must be 1 or more'),
        description: z.string({ error: 'must be text' }).max(4000, 'must be at most 4000 characters').optional(),
        qty: z.number({ error: 'must be a number' }).positive('must be more than zero').optional(),
        unitPrice: z.number({ error: 'must be a number' }).min(0, 'must not be negative').optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((b) => b.poNumber !== undefined || b.line !== undefined, { message: 'give poNumber and/or line' });

/** 400 naming the first field of the body that is wrong (or the body itself) and what is wrong with it. */
function refuseBody(res: Response, error: z.ZodError): void {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  res.status(400).json({ code: 'invalid_input', path, message: `${path || 'body'} ${issue?.message ?? 'is invalid'}` });
}

function noInvoice(res: Response, id: string): void {
  res.status(404).json({ code: 'not_found', path: 'id', message: `the sandbox has no invoice ${id}` });
}

function invoiceView(inv: QboInvoice, poCustomField: PoCustomField | undefined) {
  const lines = inv.Line.filter((l): l is QboSalesItemLine => l.DetailType === 'SalesItemLineDetail');
  return {
    id: inv.Id,
    number: inv.DocNumber ?? null,
    customerId: inv.CustomerRef.value,
    poNumber: quickbooksPoNumber(inv, poCustomField),
    total: inv.TotalAmt,
    lines: lines.map((l, i) => ({
      index: i + 1,
      description: l.Description ?? '',
      qty: l.SalesItemLineDetail.Qty ?? 1,
      unitPrice: l.SalesItemLineDetail.UnitPrice ?? l.Amount,
      amount: l.Amount,
    })),
  };
}

/**
 * GET /demo/quickbooks/customers lists the sandbox's customers; POST /demo/quickbooks/customers/:id/terms changes
 * one's payment terms (body `{ "terms": "net_45" }`), as a person would in QuickBooks. GET /demo/quickbooks/invoices
 * lists the invoices with their PO number and lines; POST /demo/quickbooks/invoices/:id changes an invoice's PO
 * number (where the app reads and writes it: the configured PO custom field, else the memo's "PO: …" line) and/or one line (body
 * `{ "poNumber": "PO-2", "line": { "index": 1, "qty": 1, "unitPrice": 450 } }`). POST
 * /demo/quickbooks/invoices/:id/write-off writes the invoice off as bad debt the way people do in QuickBooks: a credit
 * memo on the "Bad debt" item (or `itemName`, posting to `account`) applied with Receive Payment, for the whole
 * balance or `amount` (body `{}` or `{ "itemName": "Uncollectible", "account": "Bad debts", "amount": 100 }`).
 * @example app.use(financeEditsRouter(sandboxes.quickbooks))
 */
export function financeEditsRouter(
  quickbooks: QuickBooksSandbox,
  options: { poCustomField?: PoCustomField | undefined } = {},
): Router {
  const { poCustomField } = options;
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
  router.get('/demo/quickbooks/invoices', (_req, res) => {
    res.json([...quickbooks.state.invoices.values()].map((inv) => invoiceView(inv, poCustomField)));
  });
  router.post('/demo/quickbooks/invoices/:id', express.json(), (req, res) => {
    const parsed = InvoiceEditSchema.safeParse(req.body ?? {});
    if (!parsed.success) return refuseBody(res, parsed.error);
    const inv = quickbooks.state.invoices.get(req.params.id);
    if (!inv) return noInvoice(res, req.params.id);
    const { poNumber, line } = parsed.data;
    try {
      const edited = quickbooks.editInvoice(inv.Id, {
        ...(poNumber !== undefined && !poCustomField
          ? {
              customerMemo: withPoInMemo(inv.CustomerMemo?.value, poNumber),
            }
          : {}),
        ...(poNumber !== undefined && poCustomField
          ? { customField: { definitionId: poCustomField.definitionId, value: poNumber } }
          : {}),
        ...(line ? { line } : {}),
      });
      res.json(invoiceView(edited, poCustomField));
    } catch (e) {
      res.status(409).json({ code: 'conflict', path: line ? 'line' : 'poNumber', message: (e as Error).message });
    }
  });
  router.post('/demo/quickbooks/invoices/:id/write-off', express.json(), (req, res) => {
    const parsed = WriteOffSchema.safeParse(req.body ?? {});
    if (!parsed.success) return refuseBody(res, parsed.error);
    if (!quickbooks.state.invoices.has(req.params.id)) return noInvoice(res, req.params.id);
    try {
      const { creditMemo } = quickbooks.writeOff(req.params.id, parsed.data);
      const inv = quickbooks.state.invoices.get(req.params.id) as QboInvoice;
      res.json({ ...invoiceView(inv, poCustomField), balance: inv.Balance, creditMemoId: creditMemo.Id });
    } catch (e) {
      const message = (e as Error).message;
      const path = /account/.test(message) ? 'account' : /voided|balance 0$/.test(message) ? 'id' : 'amount';
      res.status(409).json({ code: 'conflict', path, message });
    }
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
