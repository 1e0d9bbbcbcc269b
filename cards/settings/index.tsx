import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './SettingsPage.js';

// The entry's only side effect: register the app's settings page.
hubspot.extend<'settings'>(() => <SettingsPage />);
