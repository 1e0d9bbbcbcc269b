import type { z } from 'zod';
import type { HandlerContext } from '../../serverless/handler.js';
import type { ValidateHandoffInput, ValidationView } from '../api/contracts.js';
import { DomainError } from '../core/errors.js';
import { evaluateHandoff } from '../handoff/evaluate.js';
import { fieldDefinition } from '../handoff/fields.js';
import type { AppServices } from './services.js';

/**
 * Evaluates handoff values against the portal's current template without reading or writing any record: the
 * same rules the gate and submit apply. Unknown field keys are refused by the evaluation with their names.
 * @example await validateHandoff(ctx, { templateId: 'default-cs-to-finance', values: { poRequired: true } })
 */
export async function validateHandoff(
  ctx: HandlerContext<AppServices>,
  input: z.output<typeof ValidateHandoffInput>,
): Promise<ValidationView> {
  const template = await ctx.services.store.templates.get(input.templateId);
  if (!template) throw new DomainError('not_found', `There is no handoff template ${input.templateId}`, 'templateId');
  const connection = await ctx.services.store.finance.connection();
  const e = evaluateHandoff(template, input.values, {
    now: ctx.now,
    timeZone: ctx.services.settings.timeZone,
    ...(connection ? { capabilities: ctx.services.capabilities(connection.system) } : {}),
  });
  return {
    templateId: e.templateId,
    templateVersion: e.templateVersion,
    percentComplete: e.percentComplete,
    complete: e.complete,
    fields: e.fields.map((f) => {
      const def = fieldDefinition(f.key);
      return {
        key: f.key,
        label: f.label,
        section: f.section,
        type: def.type,
        help: def.help,
        status: f.status,
        severity: f.severity,
        ...(f.reason ? { reason: f.reason } : {}),
        required: f.required,
      };
    }),
    suggestions: e.suggestions.map((s) => ({ field: s.field, kind: s.kind, message: s.message })),
  };
}
