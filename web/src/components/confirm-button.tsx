import { useId, useRef } from 'preact/hooks';

interface ConfirmButtonProps {
  readonly label: string;
  readonly question: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly disabled?: boolean;
  /** The size of the buttons beside it, e.g. a comment's Edit. */
  readonly small?: boolean;
}

/**
 * A destructive action asks first, in a modal <dialog>: it traps focus, closes on Escape,
 * and gives focus back to the button that opened it.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const questionId = useId();
  return (
    <>
      <button
        type="button"
        class={props.small ? 'button danger small' : 'button danger'}
        disabled={props.disabled}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} class="dialog" aria-labelledby={questionId}>
        <p id={questionId}>{props.question}</p>
        <div class="actions">
          <button type="button" class="button secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            class="button danger"
            onClick={() => {
              dialog.current?.close();
              props.onConfirm();
            }}
          >
            {props.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
