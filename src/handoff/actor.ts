import { z } from 'zod';

/** Who is acting: a HubSpot user (or `system` for jobs), with the app roles and teams they hold in this portal. */
export const ActorSchema = z.strictObject({
  userId: z.string({ error: 'must be a user id' }).trim().min(1, 'is required'),
  roles: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
  teams: z.array(z.string().trim().min(1, 'must not be empty')).default([]),
});
export type Actor = z.output<typeof ActorSchema>;
export type ActorInput = z.input<typeof ActorSchema>;

/** The actor background jobs use; its role lets it drive billing steps. */
export const SYSTEM_ACTOR: Actor = { userId: 'system', roles: ['system'], teams: [] };

/** An instant as stored and sent: ISO 8601 with an offset, e.g. `2026-03-02T09:00:00.000Z`. */
export const InstantSchema = z.iso.datetime({ offset: true, error: 'must be a date and time in ISO 8601 format' });

/** "now" as every function of the module takes it. */
export const NowSchema = z.date({ error: 'must be a valid date and time' });
