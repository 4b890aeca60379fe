/**
 * What a form holds, kept in this tab's sessionStorage as it is typed, so that a session that
 * ends half-way (log in again, come back) does not cost the person what they wrote.
 */
export type Draft = Readonly<Record<string, string>>;

const keyOf = (form: string) => `easel.draft.${form}`;

export function readDraft(form: string): Draft {
  try {
    const stored = sessionStorage.getItem(keyOf(form));
    const parsed: unknown = stored ? JSON.parse(stored) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Draft) : {};
  } catch {
    return {};
  }
}

export function saveDraft(form: string, element: HTMLFormElement) {
  const fields: Record<string, string> = {};
  for (const [name, value] of new FormData(element)) if (typeof value === 'string') fields[name] = value;
  try {
    sessionStorage.setItem(keyOf(form), JSON.stringify(fields));
  } catch {
    // Storage full or disabled: the form still works, the draft is just not kept.
  }
}

export function clearDraft(form: string) {
  try {
    sessionStorage.removeItem(keyOf(form));
  } catch {
    // Nothing was kept.
  }
}
