import { z } from 'zod';
import { TimeZoneSchema } from '../core/dates.js';
import { parseInput } from '../core/validate.js';
import { BannerThresholdsSchema } from '../receivables/risk.js';

/**
 * A portal's configuration of the app, edited on the settings page. Roles and teams decide who may review a
 * handoff (the template's receiving team) and who may approve exceptions (the template's exception owner role).
 */

export const APP_ROLES = ['sales', 'customer_success', 'finance', 'revops'] as const;
export const AppRoleSchema = z.enum(APP_ROLES, { error: `must be one of ${APP_ROLES.join(', ')}` });

const UserIdSchema = z.string().regex(/^\d+$/, 'must be a HubSpot user id');

/** adopt: write the finance system's value back to HubSpot; flag: show it on the deal for finance to review. */
export const MANUAL_CORRECTION_POLICIES = ['adopt', 'flag'] as const;

export const UserAccessSchema = z.strictObject({
  /** How the thread and the approvals name this HubSpot user, e.g. "Frankie Finance"; unset: "User 3003". */
  name: z.string().trim().min(1, 'is required when given').max(120).optional(),
  roles: z.array(AppRoleSchema).max(APP_ROLES.length).default([]),
  /** Team names matching templates' `fromTeam`/`toTeam`, e.g. `customer_success`, `finance`. */
  teams: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
});

const dayCount = (what: string) =>
  z
    .number({ error: `must be a number of days (${what})` })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(365, 'must be at most 365 days');

/**
 * The renewal handoff (ops → sales): how many days before a contract's renewal date it is created, the reminders
 * after it (each a task for the account owner, days before the renewal date), and whether a renewal deal is
 * created in a pipeline and stage of the portal's choosing.
 */
export const RenewalSettingsSchema = z
  .strictObject({
    leadDays: dayCount('e.g. 90'),
    reminderDays: z.array(dayCount('e.g. 60')).max(5, 'must list at most 5 reminders'),
    createDeal: z.boolean({ error: 'must be yes or no' }),
    pipelineId: z.string().trim().min(1, 'is required').max(100).optional(),
    stageId: z.string().trim().min(1, 'is required').max(100).optional(),
  })
  .superRefine((r, ctx) => {
    r.reminderDays.forEach((d, i) => {
      if (d >= r.leadDays) {
        ctx.addIssue({
          code: 'custom',
          path: ['reminderDays', i],
          message: `${d} is not fewer days than the handoff's lead of ${r.leadDays}: a reminder comes after the handoff (accepted: 1–${r.leadDays - 1})`,
        });
      }
      if (r.reminderDays.indexOf(d) !== i) {
        ctx.addIssue({ code: 'custom', path: ['reminderDays', i], message: `lists ${d} twice` });
      }
    });
    if (r.createDeal) {
      for (const key of ['pipelineId', 'stageId'] as const) {
        if (!r[key]) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when renewal deals are created' });
        }
      }
    }
  })
  .transform((r) => ({ ...r, reminderDays: [...r.reminderDays].sort((a, b) => b - a) }));
export type RenewalSettings = z.output<typeof RenewalSettingsSchema>;

export const DEFAULT_RENEWAL_SETTINGS = { leadDays: 90, reminderDays: [60, 30], createDeal: false };

export const PortalSettingsSchema = z.strictObject({
  timeZone: TimeZoneSchema.default('UTC'),
  users: z.record(UserIdSchema, UserAccessSchema).default({}),
  /** Roles everyone has without being listed (a rep owns the deals they sell). */
  defaultRoles: z.array(AppRoleSchema).default(['sales']),
  /** Deal stages that count as won. Empty: every stage HubSpot marks closed-won. */
  wonStageIds: z.array(z.string().min(1)).default([]),
  /** Where the gate moves a won deal whose handoff is incomplete; unset: back to its previous stage. */
  holdingStageId: z.string().min(1).optional(),
  bannerThresholds: BannerThresholdsSchema.default({
    warningFromDaysPastDue: 1,
    dangerFromDaysPastDue: 30,
    minimumOverdue: [],
  }),
  /** Days before the due date a QuickBooks invoice is issued (it has no drafts). */
  issueLeadDays: z.number().int().min(0).max(60).default(0),
  /** What happens to a change a person made in the finance system after our sync: adopt it into HubSpot, or flag it for review. */
  manualCorrections: z.enum(MANUAL_CORRECTION_POLICIES, { error: 'must be adopt or flag' }).default('flag'),
  renewals: RenewalSettingsSchema.default(DEFAULT_RENEWAL_SETTINGS),
});
export type PortalSettings = z.output<typeof PortalSettingsSchema>;
export type PortalSettingsInput = z.input<typeof PortalSettingsSchema>;

/** The settings of a new installation. */
export const DEFAULT_PORTAL_SETTINGS: PortalSettings = PortalSettingsSchema.parse({});

/**
 * Validates settings (from the settings page or the database) into their full form, with defaults.
 * @example parsePortalSettings({ timeZone: 'Europe/Berlin', users: { '77': { roles: ['finance'], teams: ['finance'] } } })
 */
export function parsePortalSettings(input: unknown): PortalSettings {
  return parseInput(PortalSettingsSchema, input ?? {}, 'settings');
}

/**
 * The roles and teams a user holds in a portal.
 * @example accessOf(settings, '77') // { roles: ['sales', 'finance'], teams: ['finance'] }
 */
export function accessOf(settings: PortalSettings, userId: string): { roles: string[]; teams: string[] } {
  const listed = settings.users[userId];
  const roles = new Set<string>([...settings.defaultRoles, ...(listed?.roles ?? [])]);
  return { roles: [...roles], teams: [...(listed?.teams ?? [])] };
}
