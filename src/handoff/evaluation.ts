import { z } from 'zod';
import { type FieldSection, HANDOFF_FIELD_KEYS, type HandoffFieldKey } from './fields.js';
import type { FieldStatus, RuleId, Suggestion } from './rules.js';
import type { Severity } from './template.js';

/**
 * The result of judging a handoff (see evaluate.ts). Kept apart from the evaluator so that the gate, the exceptions
 * and the lifecycle can read evaluations without depending on billing-plan pricing.
 */

export interface FieldProblem {
  status: Exclude<FieldStatus, 'ok'>;
  reason: string;
  /** `template` for the required-field list, else the id of the rule that raised it. */
  source: 'template' | RuleId;
}

export interface FieldEvaluation {
  key: HandoffFieldKey;
  label: string;
  section: FieldSection;
  status: FieldStatus;
  severity: Severity;
  /** Why the field is not ok; always set when status is not `ok`. */
  reason?: string;
  /** False for a field nobody asked for that only appears because its value is invalid. */
  required: boolean;
  problems: FieldProblem[];
}

export interface HandoffEvaluation {
  templateId: string;
  /** The template version the values were judged against. */
  templateVersion: number;
  evaluatedAt: string;
  fields: FieldEvaluation[];
  /** Whole percent of required fields that are ok; 100 only when all are. */
  percentComplete: number;
  /** No blocking field is short of ok. Warnings do not stop completeness. */
  complete: boolean;
  blockingCount: number;
  warningCount: number;
  suggestions: Suggestion[];
}

const FieldEvaluationSchema = z.object({
  key: z.enum(HANDOFF_FIELD_KEYS as [HandoffFieldKey, ...HandoffFieldKey[]], { error: 'is not a handoff field' }),
  label: z.string(),
  section: z.enum(['commercial', 'billing', 'stakeholders', 'delivery']),
  status: z.enum(['ok', 'missing', 'invalid', 'needs_approval'], {
    error: 'must be ok, missing, invalid or needs_approval',
  }),
  severity: z.enum(['blocking', 'warning'], { error: 'must be blocking or warning' }),
  reason: z.string().optional(),
  required: z.boolean().default(true),
  problems: z.array(z.object({ status: z.string(), reason: z.string(), source: z.string() })).default([]),
});

/** Checks an evaluation handed back in (e.g. from the store) before a gate or a submit relies on it. */
export const HandoffEvaluationSchema = z.object({
  templateId: z.string().min(1, 'is required'),
  templateVersion: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
  evaluatedAt: z.string(),
  fields: z.array(FieldEvaluationSchema),
  percentComplete: z.number().int().min(0).max(100),
  complete: z.boolean(),
  blockingCount: z.number().int().min(0),
  warningCount: z.number().int().min(0),
  suggestions: z.array(z.unknown()).default([]),
});
