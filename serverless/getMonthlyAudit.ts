import { GetMonthlyAuditInput, MonthlyAuditViewSchema } from '../src/api/contracts.js';
import * as audit from '../src/app/audit-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** The monthly audit (handoffs, late invoices, manual corrections, post-mortems, overdue and DSO trend). */
export const getMonthlyAudit = defineHandler<typeof GetMonthlyAuditInput, typeof MonthlyAuditViewSchema, AppServices>({
  name: 'getMonthlyAudit',
  input: GetMonthlyAuditInput,
  output: MonthlyAuditViewSchema,
  handle: (input, ctx) => audit.getMonthlyAudit(ctx, input),
});
