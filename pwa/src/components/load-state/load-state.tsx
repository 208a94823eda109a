import type { ComponentChildren } from 'preact';

/** A screen's request (lib/use-load.ts) until its answer is in: the failure in words with Try again, or
 * "Loading…"; the children render once the data is there. `what` names it in both ("Users could not be…"). */
export function LoadState<T>(props: {
  data: T | undefined;
  error: string | null;
  what?: string;
  reload: () => void;
  children: (data: T) => ComponentChildren;
}) {
  if (props.error)
    return (
      <div class="center">
        <p role="alert" class="error">
          {props.what ? `${props.what} could not be loaded: ${props.error}` : props.error}
        </p>
        <button type="button" onClick={props.reload}>
          Try again
        </button>
      </div>
    );
  if (props.data === undefined)
    return (
      <p class="center muted" aria-busy="true">
        {props.what ? `Loading ${props.what.toLowerCase()}…` : 'Loading…'}
      </p>
    );
  return <>{props.children(props.data)}</>;
}
