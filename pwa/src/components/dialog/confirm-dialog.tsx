// A modal confirm: focus moves to it, Escape or Cancel closes it, focus returns to what opened it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import './dialog.css';

export interface ConfirmDialogProps {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy?: boolean;
  /** False keeps the confirm button off until the dialog's own check passes (e.g. a name typed out). */
  canConfirm?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Focus moves into the dialog when it opens and back to what opened it when it closes; Escape closes it.
 */
function useModalFocus(focusFirst: () => void, onEscape: () => void): void {
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    focusFirst();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onEscape();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, []);
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useModalFocus(() => cancelRef.current?.focus(), props.onCancel);
  return (
    <div class="backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title">
        <h2 id="dialog-title">{props.title}</h2>
        <div class="dialog-body">{props.children}</div>
        {props.error && (
          <p role="alert" class="error">
            {props.error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" ref={cancelRef} onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            class="primary"
            disabled={props.busy || props.canConfirm === false}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A modal with free content (the New WhatsApp dialog). */
export function Modal(props: { title: string; children: ComponentChildren; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useModalFocus(
    () => ref.current?.querySelector<HTMLElement>('textarea, select, input, button')?.focus(),
    props.onClose,
  );
  return (
    <div class="backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="modal-title" ref={ref}>
        <div class="dialog-head">
          <h2 id="modal-title">{props.title}</h2>
          <button type="button" class="icon" aria-label="Close" onClick={props.onClose}>
            ✕
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}
