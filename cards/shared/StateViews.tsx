import { Alert, Button, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { BackendError } from './api-client.js';
import { SHARED_STRINGS as S } from './strings.js';

/** The spinner every card shows while its one load is under way. */
export function LoadingView({ label = S.loading }: { label?: string }) {
  return <LoadingSpinner label={label} showLabel layout="centered" />;
}

/** A failed load: what went wrong in plain words, and a button that loads again. */
export function ErrorView({
  error,
  onRetry,
  title = S.errorTitle,
}: {
  error: BackendError;
  onRetry: () => void;
  title?: string;
}) {
  return (
    <ErrorState title={title}>
      <Text>{error.message}</Text>
      <Button onClick={() => onRetry()} testId="retry">
        {S.retry}
      </Button>
    </ErrorState>
  );
}

/** A failed action above the view it left unchanged; a stale revision offers a reload. */
export function ActionErrorAlert({
  error,
  onDismiss,
  onReload,
  title,
}: {
  error: BackendError;
  onDismiss: () => void;
  onReload: () => void;
  title: string;
}) {
  return (
    <Alert title={title} variant="danger" testId="action-error">
      <Flex direction="column" gap="xs">
        <Text>{error.message}</Text>
        <Flex direction="row" gap="sm">
          {error.kind === 'conflict' ? (
            <Button size="xs" onClick={() => onReload()}>
              {S.reload}
            </Button>
          ) : null}
          <Button size="xs" variant="secondary" onClick={() => onDismiss()}>
            {S.dismiss}
          </Button>
        </Flex>
      </Flex>
    </Alert>
  );
}
