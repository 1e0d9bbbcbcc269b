import { createPageRouter, PageRoutes } from '@hubspot/ui-extensions/pages';
import { Home } from './Home.js';

/** The app's pages: today only the home page (revenue-readiness metrics) at the index route. */
export const HomePages = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={Home} />
  </PageRoutes>,
);
