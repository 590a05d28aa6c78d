// The field app's message catalogues: every string a person sees comes from en.json or es.json.
import { createLanguage, type Lang } from '../../../src/i18n/language.js';
import en from './en.json';
import es from './es.json';

export type { Lang, Vars } from '../../../src/i18n/language.js';
export type MessageKey = keyof typeof en;

export const { currentLang, setLang, onLangChange, message, t, applyMessages } = createLanguage<MessageKey>({ en, es }, 'lindero.field.lang');
export const otherLang = (lang: Lang = currentLang()): Lang => (lang === 'en' ? 'es' : 'en');
