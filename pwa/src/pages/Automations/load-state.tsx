/** A screen's request until its answer is in: the failure in words (with Try again), or "Loading…". */
export function LoadState(props: { error: string | null; loaded: boolean; onRetry?: () => void }) {
  if (props.error)
    return (
      <div class="center">
        <p role="alert" class="error">
          {props.error}
        </p>
        {props.onRetry && (
          <button type="button" onClick={props.onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  if (!props.loaded)
    return (
      <p class="center muted" aria-busy="true">
        Loading…
      </p>
    );
  return null;
}
