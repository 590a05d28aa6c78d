// A warning as the person notices it: vibration and tone (as set), and a line in the warnings list.
import type { FieldSettings } from '../settings.js';
import type { WarningsLog } from '../ui/warnings-log.js';
import type { FieldWarning } from './field-warnings.js';
import { beep, vibrate } from './signals.js';

export function announce(warning: FieldWarning, settings: FieldSettings, log: WarningsLog): void {
  if (settings.vibration) vibrate(warning.kind);
  if (settings.sound) beep(warning.kind);
  log.add(warning, settings.warningDistanceM);
}
