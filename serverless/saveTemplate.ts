import { SaveTemplateInput, SettingsViewSchema } from '../src/api/contracts.js';
import type { AppServices } from '../src/app/services.js';
import * as settings from '../src/app/settings-service.js';
import { defineHandler } from './handler.js';

/** Saves a handoff template edit as its next version (RevOps only). */
export const saveTemplate = defineHandler<typeof SaveTemplateInput, typeof SettingsViewSchema, AppServices>({
  name: 'saveTemplate',
  input: SaveTemplateInput,
  output: SettingsViewSchema,
  handle: (input, ctx) => settings.saveTemplate(ctx, input),
});
