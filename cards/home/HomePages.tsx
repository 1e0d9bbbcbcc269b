import { createPageRouter, PageRoutes } from '@hubspot/ui-extensions/pages';
import { Home } from './Home.js';
import { MonthlyAudit } from './MonthlyAudit.js';

/** The app's pages: the home page (revenue-readiness metrics) at the index route, the monthly audit at /audit. */
export const HomePages = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={Home} />
    <PageRoutes.Route path="/audit" component={MonthlyAudit} />
  </PageRoutes>,
);
