// The layers dialog: load a boundary or fence file from the phone (kept offline), or go back to the built-in line.
import { describePlace, isLinderoError } from '../../../../src/model/index.js';
import type { LayerRole } from '../db.js';
import { t } from '../i18n/i18n.js';
import { byId, setText } from './dom.js';

export interface LayerActions {
  load(role: LayerRole, file: File): Promise<void>;
  reset(role: LayerRole): Promise<void>;
}

export function wireLayers(actions: LayerActions): void {
  const dialog = byId<HTMLDialogElement>('layers');
  const note = byId('layers-message');
  const report = (ok: boolean, text: string) => {
    note.classList.toggle('problem', !ok);
    setText(note, text);
  };
  for (const role of ['boundary', 'fence'] as const) {
    const input = byId<HTMLInputElement>(`${role}-file`);
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      try {
        await actions.load(role, file);
        report(true, t('layers.loaded', { file: file.name }));
      } catch (e) {
        report(false, t('layers.error', { file: file.name, message: describeError(e, file.name) }));
      }
    });
  }
  byId('use-default-boundary').addEventListener('click', () => void actions.reset('boundary').then(() => report(true, ''), (e) => report(false, describeError(e, ''))));
  byId('remove-fence').addEventListener('click', () => void actions.reset('fence').then(() => report(true, ''), (e) => report(false, describeError(e, ''))));
  byId('open-layers').addEventListener('click', () => {
    report(true, '');
    dialog.showModal();
  });
  byId('layers-close').addEventListener('click', () => dialog.close());
}

/** The error with its place (line, feature, field) but without the file name, which the message already gives. */
function describeError(e: unknown, fileName: string): string {
  if (!isLinderoError(e)) return e instanceof Error ? e.message : String(e);
  const place = describePlace({ ...e.place, file: e.place.file === fileName ? undefined : e.place.file });
  return place ? `${place}: ${e.message}` : e.message;
}
