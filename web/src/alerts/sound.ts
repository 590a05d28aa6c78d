// The crossing alarm: two tones made with Web Audio (no sound file to fetch), mutable, remembered per browser.
const STORAGE_KEY = 'lindero.muted';

let context: AudioContext | null = null;

export function isMuted(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

export function setMuted(muted: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, muted ? '1' : '0');
  } catch {
    // not remembered, still applied by the caller
  }
}

/**
 * Opens the audio output at the person's first touch of the page: browsers allow sound only after one,
 * and opening it can take hundreds of milliseconds, which must not delay the alert on screen.
 */
export function openAudioOnFirstGesture(): void {
  const open = () => {
    if (typeof AudioContext !== 'undefined') context ??= new AudioContext();
  };
  for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, open, { once: true, capture: true });
}

/** Plays the alarm unless muted, after the screen has been updated. */
export function playCrossingAlarm(): void {
  if (isMuted() || typeof AudioContext === 'undefined') return;
  setTimeout(sound, 0);
}

function sound(): void {
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume();
  const start = context.currentTime;
  [880, 660, 880].forEach((hz, i) => {
    const osc = context!.createOscillator();
    const gain = context!.createGain();
    osc.frequency.value = hz;
    osc.type = 'square';
    gain.gain.setValueAtTime(0.0001, start + i * 0.22);
    gain.gain.exponentialRampToValueAtTime(0.25, start + i * 0.22 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.22 + 0.2);
    osc.connect(gain).connect(context!.destination);
    osc.start(start + i * 0.22);
    osc.stop(start + i * 0.22 + 0.21);
  });
}
