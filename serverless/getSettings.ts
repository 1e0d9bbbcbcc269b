import { GetSettingsInput, SettingsViewSchema } from '../src/api/contracts.js';
import type { AppServices } from '../src/app/services.js';
import * as settings from '../src/app/settings-service.js';
import { defineHandler } from './handler.js';

/** The settings page: portal settings, templates, finance connection with connect links, failed billing setups. */
export const getSettings = defineHandler<typeof GetSettingsInput, typeof SettingsViewSchema, AppServices>({
  name: 'getSettings',
  input: GetSettingsInput,
  output: SettingsViewSchema,
  handle: (_input, ctx) => settings.getSettings(ctx),
});
