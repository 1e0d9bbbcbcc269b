/** Text shared by every card: loading, failures, retry. One place, so it can be translated later. */
export const SHARED_STRINGS = {
  loading: 'Loading…',
  retry: 'Try again',
  errorTitle: 'Something went wrong',
  unreachable: 'Could not reach Revenue Handoff. Check your connection and try again.',
  timedOut: 'Revenue Handoff took too long to answer. Try again in a moment.',
  busy: 'Revenue Handoff is busy right now. Try again in a moment.',
  serverTrouble: 'Revenue Handoff is having trouble on its side. Try again in a moment; the problem was logged.',
  unexpectedAnswer:
    'Revenue Handoff answered in a way this card does not understand. Reload the page; if it persists, the app may be updating.',
  rejectedFallback: 'Revenue Handoff could not do that.',
  conflictHint: 'Someone else changed this in the meantime. Reload to see their changes, then try again.',
  forbiddenFallback: 'You are not allowed to do that.',
  reload: 'Reload',
  dismiss: 'Dismiss',
  saving: 'Saving…',
} as const;
