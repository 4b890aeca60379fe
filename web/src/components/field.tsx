import { useEffect, useId, useRef } from 'preact/hooks';

interface FieldProps {
  readonly label: string;
  readonly name: string;
  readonly error?: string;
  readonly hint?: string;
  readonly type?: 'text' | 'email' | 'password' | 'number' | 'search';
  readonly required?: boolean;
  readonly autoComplete?: string;
  readonly defaultValue?: string;
  readonly multiline?: boolean;
  readonly rows?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** The id of a <datalist> of suggestions. */
  readonly list?: string;
  readonly inputMode?: 'numeric' | 'text' | 'email';
}

/**
 * A labelled text control whose hint and error are tied to it with aria-describedby, so
 * a screen reader reads the API's complaint with the field it is about.
 */
export function Field(props: FieldProps) {
  const id = useId();
  const control = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // The first field the API complained about takes the focus, so the person lands on it.
  useEffect(() => {
    const element = control.current;
    if (props.error && element && element.form?.querySelector('[aria-invalid="true"]') === element)
      element.focus();
  }, [props.error]);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint && hintId, props.error && errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    ref: control,
    name: props.name,
    required: props.required,
    maxLength: props.maxLength,
    defaultValue: props.defaultValue,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {props.label}
        {props.required && <span class="required"> (required)</span>}
      </label>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 4} />
      ) : (
        <input
          {...common}
          // Preact types each input type apart; this one control serves several.
          {...({ type: props.type ?? 'text', list: props.list } as { type: 'text' })}
          autoComplete={props.autoComplete}
          min={props.min}
          max={props.max}
          inputMode={props.inputMode}
        />
      )}
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

interface SelectFieldProps {
  readonly label: string;
  readonly name: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly defaultValue?: string;
  /** The choice shown, kept in step with it (e.g. from the address); `defaultValue` only starts it. */
  readonly value?: string;
  readonly error?: string;
  readonly onChange?: (value: string) => void;
}

export function SelectField(props: SelectFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onChange={(event) => props.onChange?.(event.currentTarget.value)}
      >
        {props.options.map((option) => (
          // A <select>'s defaultValue is no DOM property: the option it names starts selected.
          <option
            key={option.value}
            value={option.value}
            selected={props.value === undefined ? option.value === props.defaultValue : undefined}
          >
            {option.label}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** The six digits of an authenticator app (two-step login), as every form that asks for them has it. */
export function CodeField({ hint, error }: { readonly hint?: string; readonly error?: string }) {
  return (
    <Field
      label="Code from your authenticator app"
      name="code"
      {...(hint ? { hint } : {})}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      required
      {...(error ? { error } : {})}
    />
  );
}

/** An e-mail address, as every account form asks for it. */
export function EmailField({
  defaultValue,
  error,
}: {
  readonly defaultValue?: string;
  readonly error?: string;
}) {
  return (
    <Field
      label="E-mail"
      name="email"
      type="email"
      autoComplete="email"
      required
      {...(defaultValue === undefined ? {} : { defaultValue })}
      {...(error ? { error } : {})}
    />
  );
}

/** The code we e-mail to confirm an address or to reset a password. */
export function EmailCodeField({ error }: { readonly error?: string }) {
  return (
    <Field
      label="Code"
      name="code"
      autoComplete="one-time-code"
      inputMode="numeric"
      required
      {...(error ? { error } : {})}
    />
  );
}
