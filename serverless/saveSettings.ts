import { SaveSettingsInput, SettingsViewSchema } from '../src/api/contracts.js';
import type { AppServices } from '../src/app/services.js';
import * as settings from '../src/app/settings-service.js';
import { defineHandler } from './handler.js';

/** Saves the portal settings (RevOps only) after full validation. */
export const saveSettings = defineHandler<typeof SaveSettingsInput, typeof SettingsViewSchema, AppServices>({
  name: 'saveSettings',
  input: SaveSettingsInput,
  output: SettingsViewSchema,
  handle: (input, ctx) => settings.saveSettings(ctx, input),
});
