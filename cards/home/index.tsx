import { hubspot } from '@hubspot/ui-extensions';
import { HomePages } from './HomePages.js';

// The entry's only side effect: register the app pages (home).
hubspot.extend<'pages'>(() => <HomePages />);
