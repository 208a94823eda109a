import type { ComponentChildren } from 'preact';

/** The loading and error states every settings list shares; the children render once the data is there. */
export function LoadState<T>(props: {
  data: T | undefined;
  error: string | null;
  what: string;
  reload: () => void;
  children: (data: T) => ComponentChildren;
}) {
  if (props.error)
    return (
      <div class="center">
        <p role="alert" class="error">
          {props.what} could not be loaded: {props.error}
        </p>
        <button type="button" onClick={props.reload}>
          Try again
        </button>
      </div>
    );
  if (props.data === undefined)
    return (
      <p class="center muted" aria-busy="true">
        Loading {props.what.toLowerCase()}…
      </p>
    );
  return <>{props.children(props.data)}</>;
}
