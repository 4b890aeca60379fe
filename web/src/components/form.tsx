import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiError } from '../api/errors.ts';
import { useAction } from '../lib/use-action.ts';
import { ErrorNotice } from './error-notice.tsx';

/** What the fields of a form see of its last submit. */
export interface FormState {
  /** The API's complaint about each field it named, in plain words, by field name. */
  readonly fields: Record<string, string>;
  readonly error: ApiError | undefined;
  /** True while the submit's work runs. */
  readonly busy: boolean;
}

interface FormProps {
  /**
   * The work of one submit, given the form element. It may return a notice to show once it
   * succeeds (e.g. "Saved."); a failure is shown above the fields.
   */
  readonly onSubmit: (form: HTMLFormElement) => Promise<string | undefined> | Promise<void>;
  /** The submit button's name, and what it says while the work runs. */
  readonly submit: string;
  readonly busy: string;
  /** The fields, given the last failure so each can show its own complaint. */
  readonly children: (state: FormState) => ComponentChildren;
  readonly class?: string;
  /** Defaults to the primary button. */
  readonly buttonClass?: string;
  /**
   * Whether the failure is scrolled to and focused (when no field it names takes the focus
   * itself); true unless said otherwise.
   */
  readonly focusError?: boolean;
  /** What the form says before its failure and fields. */
  readonly preface?: ComponentChildren;
  /** Other buttons beside the submit button, together in one row (the row alone when null). */
  readonly actions?: ComponentChildren;
  /** What comes after the buttons. */
  readonly after?: ComponentChildren;
}

/**
 * A form sent to the API: the browser's own validation off (the API's messages are the ones
 * shown), one submit at a time with its button disabled and relabelled while it runs, the
 * failure announced above the fields and the notice of a success below the button.
 */
export function Form(props: FormProps) {
  const [notice, setNotice] = useState<string>();
  const action = useAction(async (form: HTMLFormElement) => {
    setNotice(undefined);
    const done = await props.onSubmit(form);
    if (done) setNotice(done);
  });
  const button = (
    <button type="submit" class={props.buttonClass ?? 'button primary'} disabled={action.pending}>
      {action.pending ? props.busy : props.submit}
    </button>
  );
  return (
    <form
      class={props.class}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        action.run(event.currentTarget);
      }}
    >
      {props.preface}
      <ErrorNotice error={action.error} takeFocus={props.focusError ?? true} />
      {props.children({ fields: action.fields, error: action.error, busy: action.pending })}
      {props.actions === undefined ? (
        button
      ) : (
        <div class="actions">
          {button}
          {props.actions}
        </div>
      )}
      {props.after}
      {notice && (
        <p class="notice notice-ok" role="status">
          {notice}
        </p>
      )}
    </form>
  );
}
