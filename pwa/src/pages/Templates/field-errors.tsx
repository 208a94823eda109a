// A field's problems under it, and the attributes that tie them to the field for screen readers.

export const errorsId = (field: string) => `tpl-err-${field.replace(/[^a-z0-9]+/gi, '-')}`;

/** aria-invalid and aria-describedby for a field with problems (nothing otherwise). */
export function invalidProps(field: string, problems: readonly string[] | undefined) {
  return problems && problems.length > 0
    ? { 'aria-invalid': true as const, 'aria-describedby': errorsId(field) }
    : { 'aria-invalid': false as const };
}

export function FieldErrors({ field, problems }: { field: string; problems: readonly string[] | undefined }) {
  if (!problems || problems.length === 0) return null;
  return (
    <ul class="field-errors" id={errorsId(field)} data-testid={`errors-${field}`}>
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

/** "12/60": how much of Meta's limit a text uses; over the limit it turns red. */
export function Counter({ length, max }: { length: number; max: number }) {
  return (
    <span class={length > max ? 'tpl-counter error' : 'tpl-counter muted'} aria-hidden="true">
      {length}/{max}
    </span>
  );
}
