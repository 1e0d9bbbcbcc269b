import type { Logger } from 'pino';
import type { z } from 'zod';

/** Who is calling, taken only from HubSpot's signed request and the portal's role settings. */
export interface CallingUser {
  id: string;
  email?: string;
  /** Roles from the portal's settings: `sales`, `customer_success`, `finance`, `revops`. */
  roles: string[];
  teams: string[];
}

/**
 * What every handler receives besides its input. `Services` is filled by the server (store scoped to the
 * portal, HubSpot client, finance gateway, job queue); keeping it generic lets a HubSpot app function supply
 * its own.
 */
export interface HandlerContext<Services = unknown> {
  portalId: number;
  user: CallingUser;
  now: Date;
  logger: Logger;
  services: Services;
}

/**
 * One backend function: `(input, context) => result`, with zod schemas for both sides. The same definition is
 * mounted by the express server (POST /api/<name>) and could be exported as a HubSpot app function.
 */
export interface Handler<I extends z.ZodType, O extends z.ZodType, Services = unknown> {
  name: string;
  input: I;
  output: O;
  handle(input: z.output<I>, context: HandlerContext<Services>): Promise<z.input<O>>;
}

/** Declares a handler; the identity function exists for type inference. */
export function defineHandler<I extends z.ZodType, O extends z.ZodType, Services = unknown>(
  h: Handler<I, O, Services>,
): Handler<I, O, Services> {
  return h;
}
