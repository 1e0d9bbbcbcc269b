import { GetMetricsInput, MetricsViewSchema } from '../src/api/contracts.js';
import * as metrics from '../src/app/metrics-service.js';
import type { AppServices } from '../src/app/services.js';
import { defineHandler } from './handler.js';

/** The revenue-readiness metrics for the app home page. */
export const getMetrics = defineHandler<typeof GetMetricsInput, typeof MetricsViewSchema, AppServices>({
  name: 'getMetrics',
  input: GetMetricsInput,
  output: MetricsViewSchema,
  handle: (_input, ctx) => metrics.getMetrics(ctx),
});
