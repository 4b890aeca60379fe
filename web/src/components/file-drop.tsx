import { useId, useState } from 'preact/hooks';

interface FileDropProps {
  readonly accept: readonly string[];
  readonly onFile: (file: File) => void;
  readonly disabled?: boolean;
}

/** A file picker that also takes a file dropped on it; the picker keeps it usable by keyboard. */
export function FileDrop({ accept, onFile, disabled }: FileDropProps) {
  const id = useId();
  const [over, setOver] = useState(false);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the file input inside is the way for keyboards.
    <div
      class={over ? 'drop-zone drop-zone-over' : 'drop-zone'}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const file = event.dataTransfer?.files[0];
        if (file && !disabled) onFile(file);
      }}
    >
      <label for={id} class="button secondary">
        Choose an image
      </label>
      <input
        id={id}
        class="visually-hidden"
        type="file"
        accept={accept.join(',')}
        disabled={disabled}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) onFile(file);
          event.currentTarget.value = '';
        }}
      />
      <p>or drop it here</p>
    </div>
  );
}
