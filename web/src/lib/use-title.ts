import { useEffect } from 'preact/hooks';

/** The document title names the page, so history, tabs and screen readers say where you are. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Easel` : 'Easel';
  }, [title]);
}
