import { images } from '../api/endpoints.ts';
import type { ImageKind } from '../api/types.ts';
import { SelectField } from '../components/field.tsx';
import { ImageGrid } from '../components/image-grid.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { usePaged } from '../lib/use-paged.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

const kinds: readonly { value: ImageKind | ''; label: string }[] = [
  { value: '', label: 'All my images' },
  { value: 'generated', label: 'Generated' },
  { value: 'edited', label: 'Edited' },
  { value: 'uploaded', label: 'Uploaded' },
  { value: 'portrait', label: 'Portraits' },
];

export function MyImagesPage() {
  useTitle('My images');
  const kind = (place.value.search.get('kind') ?? '') as ImageKind | '';
  const list = usePaged(`mine:${kind}`, (cursor) => images.mine(cursor, kind || undefined));
  return (
    <section>
      <h1>My images</h1>
      <div class="toolbar">
        <SelectField
          label="Show"
          name="kind"
          value={kind}
          options={kinds}
          onChange={(value) => navigate(value ? `/mine?kind=${value}` : '/mine', { replace: true })}
        />
        <p class="actions">
          <a class="button primary" href="/generate">
            Generate
          </a>
          <a class="button secondary" href="/upload">
            Upload
          </a>
        </p>
      </div>
      {list.started && !list.error && list.items.length === 0 && (
        <p class="empty">Nothing here yet. Generate or upload an image to start.</p>
      )}
      <ImageGrid images={list.items} showOwner={false} />
      <LoadMore list={list} label="images" />
    </section>
  );
}
