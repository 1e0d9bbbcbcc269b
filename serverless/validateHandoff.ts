import { ValidateHandoffInput, ValidationViewSchema } from '../src/api/contracts.js';
import type { AppServices } from '../src/app/services.js';
import * as validation from '../src/app/validate-handoff.js';
import { defineHandler } from './handler.js';

/** Judges handoff values against the portal's template without storing anything. */
export const validateHandoff = defineHandler<typeof ValidateHandoffInput, typeof ValidationViewSchema, AppServices>({
  name: 'validateHandoff',
  input: ValidateHandoffInput,
  output: ValidationViewSchema,
  handle: (input, ctx) => validation.validateHandoff(ctx, input),
});
