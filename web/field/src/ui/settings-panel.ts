// The settings dialog: warning distance, sound, vibration and the optional report server.
import { t } from '../i18n/i18n.js';
import { checkSettings, type FieldSettings } from '../settings.js';
import { byId, setText } from './dom.js';

export function openSettings(current: FieldSettings): void {
  const form = byId<HTMLFormElement>('settings-form');
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  input('warningDistanceM').value = String(current.warningDistanceM);
  input('sound').checked = current.sound;
  input('vibration').checked = current.vibration;
  input('serverUrl').value = current.serverUrl;
  input('unit').value = current.unit;
  input('apiKey').value = current.apiKey;
  setText(byId('settings-message'), '');
  byId<HTMLDialogElement>('settings').showModal();
}

/** Wires the form: a valid submission is handed to onSave, an invalid one says what is wrong and stays open. */
export function wireSettings(onSave: (settings: FieldSettings) => void): void {
  const form = byId<HTMLFormElement>('settings-form');
  const dialog = byId<HTMLDialogElement>('settings');
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const settings: FieldSettings = {
      warningDistanceM: Number(input('warningDistanceM').value),
      sound: input('sound').checked,
      vibration: input('vibration').checked,
      serverUrl: input('serverUrl').value.trim(),
      unit: input('unit').value,
      apiKey: input('apiKey').value.trim(),
    };
    const problem = checkSettings(settings);
    const note = byId('settings-message');
    note.classList.toggle('problem', problem !== null);
    if (problem) {
      setText(note, t(problem));
      return;
    }
    setText(note, t('settings.saved'));
    onSave(settings);
    dialog.close();
  });
  byId('settings-cancel').addEventListener('click', () => dialog.close());
}
