// What a settings form's save came to: the failure read out at once (alert), or the result as a quiet status.
export function SaveResult(props: { failure: string | null; notice: string | null }) {
  return (
    <>
      {props.failure && (
        <p role="alert" class="error small">
          {props.failure}
        </p>
      )}
      {props.notice && (
        <p role="status" class="small ok">
          {props.notice}
        </p>
      )}
    </>
  );
}
