import { GetPaymentStatusInput, PaymentStatusViewSchema } from '../src/api/contracts.js';
import * as payments from '../src/app/payment-status.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** The overdue-invoice banner and payment history of a company, or of a deal's company (upsell warning). */
export const getPaymentStatus = defineHandler<
  typeof GetPaymentStatusInput,
  typeof PaymentStatusViewSchema,
  AppServices
>({
  name: 'getPaymentStatus',
  input: GetPaymentStatusInput,
  output: PaymentStatusViewSchema,
  handle: (input, ctx) => payments.getPaymentStatus(ctx, input),
});
