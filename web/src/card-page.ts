// /card: the position card page.
import './card/card.css';
import { ApiError } from './api/client.js';
import { loadCardFacts, NoPositionError, parseCardQuery, renderCard } from './card/index.js';
import { CARD_LANGS } from './card/index.js';
import { currentLang, message, setLang, t } from './i18n/i18n.js';

async function main(): Promise<void> {
  setLang(currentLang());
  document.title = `${t('card.pageTitle')} — lindero`;
  // The card speaks both languages, its one button too.
  const print = document.getElementById('print')!;
  print.textContent = CARD_LANGS.map((l) => message(l, 'card.print')).join(' · ');
  print.addEventListener('click', () => window.print());
  const root = document.getElementById('card')!;
  const status = (text: string, className = 'card-status') => {
    const p = document.createElement('p');
    p.className = className;
    p.textContent = text;
    root.replaceChildren(p);
  };
  const query = parseCardQuery(location.search);
  if (query.kind === 'none') {
    status(t('card.usage'), 'card-status card-error');
    document.body.dataset.ready = 'usage';
    return;
  }
  try {
    await renderCard(root, await loadCardFacts(query));
    document.body.dataset.ready = 'true';
  } catch (e) {
    if (e instanceof NoPositionError) status(t('card.noUnit', { unit: e.unit }), 'card-status card-error');
    else if (e instanceof ApiError) status(t('card.error', { message: e.message }), 'card-status card-error');
    else status(t('card.error', { message: String(e) }), 'card-status card-error');
    document.body.dataset.ready = 'error';
  }
}

void main();
