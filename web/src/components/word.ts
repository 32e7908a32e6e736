// The word for a server id (a step, state, kind, outcome...) in the current language; the server's
// own wording (or the id) when the workbench has none.
import { useI18n } from 'vue-i18n';

export function useWord() {
  const { t, te } = useI18n();
  return (ns: string, id: string | null | undefined, fallback?: string): string => {
    if (!id) return fallback ?? '';
    const key = `${ns}.${id}`;
    return te(key) ? t(key) : (fallback || id);
  };
}
