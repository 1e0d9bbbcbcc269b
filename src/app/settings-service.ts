import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import type { SaveSettingsInput, SaveTemplateInput, SettingsView } from '../api/contracts.js';
import { DomainError } from '../core/errors.js';
import { HANDOFF_FIELDS } from '../handoff/fields.js';
import { parsePortalSettings } from '../settings/portal-settings.js';
import type { AppServices } from './services.js';

type Ctx = HandlerContext<AppServices>;

/** Only RevOps administers the app in a portal. */
function requireAdmin(ctx: Ctx): void {
  if (!ctx.user.roles.includes('revops')) {
    throw new DomainError('forbidden', 'Only RevOps (the revops role) can change the app settings', 'user.roles');
  }
}

/**
 * The settings page: portal settings, templates, finance connection and its connect links, failed setups.
 * @example await getSettings(ctx)
 */
export async function getSettings(ctx: Ctx): Promise<SettingsView> {
  const { store, settings } = ctx.services;
  const [templates, connection, failed] = await Promise.all([
    store.templates.latest(),
    store.finance.connection(),
    store.billing.failedSetups(20),
  ]);
  const admin = ctx.user.roles.includes('revops');
  const connect = async (system: 'quickbooks' | 'xero') =>
    admin && ctx.services.connectUrl ? ctx.services.connectUrl(system) : null;
  return {
    settings: settings as unknown as Record<string, unknown>,
    templates: templates as unknown as Array<Record<string, unknown>>,
    finance: connection
      ? {
          connected: connection.status === 'connected',
          system: connection.system,
          displayName: ctx.services.capabilities(connection.system).displayName,
          status: connection.status,
          lastError: connection.lastError,
        }
      : { connected: false, system: null, displayName: null, status: 'not_connected', lastError: null },
    connectUrls: { quickbooks: await connect('quickbooks'), xero: await connect('xero'), stripe: null },
    fields: HANDOFF_FIELDS.map((f) => ({ key: f.key, label: f.label, section: f.section })),
    failedSetups: failed.map((f) => ({
      dealId: f.dealId,
      handoffId: f.handoffId,
      error: f.lastError?.message ?? 'unknown error',
      at: f.lastError?.at ?? f.updatedAt,
    })),
  };
}

/**
 * Changes the given settings (top-level keys replace the stored ones, the rest stay — so saving thresholds never
 * drops the user roles), validates the whole result, and answers the fresh page. Nothing is stored when invalid.
 * @example await saveSettings(ctx, { settings: { timeZone: 'Europe/Berlin' } })
 */
export async function saveSettings(ctx: Ctx, input: z.output<typeof SaveSettingsInput>): Promise<SettingsView> {
  requireAdmin(ctx);
  const settings = parsePortalSettings({ ...ctx.services.settings, ...input.settings });
  await ctx.services.store.installation.saveSettings(settings);
  return getSettings({ ...ctx, services: { ...ctx.services, settings } });
}

/**
 * Saves a template edit as its next version; handoffs already submitted keep the version they were judged against.
 * @example await saveTemplate(ctx, { template: { ...DEFAULT_CS_TO_FINANCE, sla: { hours: 8, calendar: 'business' } } })
 */
export async function saveTemplate(ctx: Ctx, input: z.output<typeof SaveTemplateInput>): Promise<SettingsView> {
  requireAdmin(ctx);
  await ctx.services.store.templates.saveNewVersion(input.template, ctx.user.id);
  return getSettings(ctx);
}
