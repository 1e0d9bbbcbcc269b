import type { z } from 'zod';
import type { AppServices } from '../src/app/services.js';
import { acknowledgeCorrection } from './acknowledgeCorrection.js';
import { cancelScheduledInvoice } from './cancelScheduledInvoice.js';
import { connectStripe } from './connectStripe.js';
import { decideException } from './decideException.js';
import { getHandoffView } from './getHandoffView.js';
import { getMetrics } from './getMetrics.js';
import { getMonthlyAudit } from './getMonthlyAudit.js';
import { getPaymentStatus } from './getPaymentStatus.js';
import { getSettings } from './getSettings.js';
import type { Handler } from './handler.js';
import { markMilestoneAccepted } from './markMilestoneAccepted.js';
import { requestException } from './requestException.js';
import { reviewHandoff } from './reviewHandoff.js';
import { saveHandoffFields } from './saveHandoffFields.js';
import { saveSettings } from './saveSettings.js';
import { saveTemplate } from './saveTemplate.js';
import { submitHandoff } from './submitHandoff.js';
import { syncBillingSetup } from './syncBillingSetup.js';
import { validateHandoff } from './validateHandoff.js';

/** Every backend function the cards call, mounted at POST /api/<name>. */
export const HANDLERS = [
  getHandoffView,
  saveHandoffFields,
  submitHandoff,
  reviewHandoff,
  requestException,
  decideException,
  syncBillingSetup,
  validateHandoff,
  getPaymentStatus,
  getSettings,
  saveSettings,
  saveTemplate,
  getMetrics,
  getMonthlyAudit,
  markMilestoneAccepted,
  cancelScheduledInvoice,
  connectStripe,
  acknowledgeCorrection,
] as unknown as ReadonlyArray<Handler<z.ZodType, z.ZodType, AppServices>>;
