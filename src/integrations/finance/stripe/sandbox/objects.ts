/**
 * Stripe objects as the sandbox stores and answers them: the SDK's own types (Stripe.Customer, Stripe.Invoice…),
 * with the wire form of the few fields the SDK turns into objects on receipt (decimal strings), and the
 * top-level `subscription` field the fixtures at our pinned Stripe commit still carry on invoices. The contract
 * test holds every object to the fields and JSON types of Stripe's fixtures3.json.
 */
import type Stripe from 'stripe';

/** Stripe writes decimals as strings on the wire; the SDK turns them into Decimal objects. */
export interface WirePricing {
  type: 'price_details';
  price_details?: { price: string; product: string };
  unit_amount_decimal: string | null;
}

export type WireLineItem = Omit<Stripe.InvoiceLineItem, 'quantity_decimal' | 'pricing'> & {
  quantity_decimal: string | null;
  pricing: WirePricing | null;
};

export type WireInvoice = Omit<Stripe.Invoice, 'lines'> & {
  lines: { object: 'list'; data: WireLineItem[]; has_more: boolean; url: string };
  /** Present in Stripe's fixtures at the pinned commit; null for invoices not made by a subscription. */
  subscription: string | null;
};

export type WireInvoiceItem = Omit<Stripe.InvoiceItem, 'quantity_decimal' | 'pricing'> & {
  quantity_decimal: string;
  pricing: WirePricing | null;
};

export type WireCustomer = Stripe.Customer;

export interface WireEvent {
  id: string;
  object: 'event';
  api_version: string | null;
  created: number;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/**
 * A fresh customer as Stripe creates it.
 * @example newCustomer('cus_1', 1772442000, 'ABC1234').next_invoice_sequence // 1
 */
export function newCustomer(id: string, created: number, invoicePrefix: string): WireCustomer {
  return {
    id,
    object: 'customer',
    address: null,
    balance: 0,
    created,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: invoicePrefix,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

/**
 * A fresh draft invoice as Stripe creates it (lines and amounts filled in by the sandbox).
 * @example newInvoice('in_1', 1772442000, customer, 'Sandbox Company').status // 'draft'
 */
export function newInvoice(id: string, created: number, customer: WireCustomer, accountName: string): WireInvoice {
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: accountName,
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: false,
    automatic_tax: { enabled: false, liability: null, status: null, disabled_reason: null, provider: null },
    automatically_finalizes_at: null,
    billing_reason: 'manual',
    collection_method: 'charge_automatically',
    created,
    currency: 'usd',
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: { page_size: 'auto' }, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subscription: null,
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: null,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/**
 * The invoice line Stripe shows for an invoice item.
 * @example lineFor(item, 'il_1').amount // item.amount
 */
export function lineFor(item: WireInvoiceItem, lineId: string): WireLineItem {
  return {
    id: lineId,
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: [],
    invoice: typeof item.invoice === 'string' ? item.invoice : null,
    livemode: false,
    metadata: item.metadata ?? {},
    parent: {
      type: 'invoice_item_details',
      invoice_item_details: {
        invoice_item: item.id,
        proration: false,
        proration_details: { credited_items: null },
        subscription: null,
      },
      subscription_item_details: null,
    },
    period: item.period,
    pretax_credit_amounts: [],
    pricing: item.pricing,
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal,
    subscription: null,
    subtotal: item.amount,
    taxes: [],
  };
}
