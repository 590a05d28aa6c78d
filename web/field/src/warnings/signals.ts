// How a warning reaches a person who is not looking at the screen: a vibration pattern and a tone per kind,
// so that "side changed" can be told from "getting close" by feel and by ear.
import type { FieldWarningKind } from './field-warnings.js';

/** Vibration patterns (ms on, off, on…), navigator.vibrate's form. The side change is the longest. */
export const VIBRATION: Record<FieldWarningKind, number[]> = {
  approach: [300],
  uncertain: [120, 80, 120, 80, 120],
  'side-change': [700, 200, 700],
  'entered-strip': [250, 120, 250],
  'left-strip': [250],
};

/** Tones (Hz) played one after another, 180 ms each. */
const TONES: Record<FieldWarningKind, number[]> = {
  approach: [660, 660],
  uncertain: [520, 780, 520],
  'side-change': [880, 660, 880, 660],
  'entered-strip': [600, 800],
  'left-strip': [800, 600],
};

let audio: AudioContext | null = null;

/**
 * Browsers start audio only after the person touches the page (autoplay policy); call this from a tap.
 * Creating the context here, inside the gesture, lets later warnings sound without one.
 */
export function unlockSound(): void {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
}

export function vibrate(kind: FieldWarningKind): void {
  if (typeof navigator.vibrate === 'function') navigator.vibrate(VIBRATION[kind]);
}

/** Plays the warning's tones with Web Audio (nothing to download); silent until unlockSound() has run. */
export function beep(kind: FieldWarningKind): void {
  if (!audio) return;
  const start = audio.currentTime + 0.01;
  TONES[kind].forEach((hz, i) => {
    const osc = audio!.createOscillator();
    const gain = audio!.createGain();
    const at = start + i * 0.2;
    osc.type = 'square';
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
    osc.connect(gain).connect(audio!.destination);
    osc.start(at);
    osc.stop(at + 0.19);
  });
}
