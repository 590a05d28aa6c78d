// The side panel's tabs (WAI-ARIA tabs pattern): a click or Enter opens one; the arrow keys, Home and
// End move between them, so the panel is usable without a mouse.
export function wireTabs(tablist: HTMLElement, onOpen: (panelId: string) => void = () => {}): (panelId: string) => void {
  const tabs = [...tablist.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const open = (tab: HTMLButtonElement, focus = false) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(other.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    if (focus) tab.focus();
    onOpen(tab.getAttribute('aria-controls') ?? '');
  };
  for (const tab of tabs) {
    tab.addEventListener('click', () => open(tab));
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? tabs[(i + 1) % tabs.length]
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? tabs[(i - 1 + tabs.length) % tabs.length]
          : e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs[tabs.length - 1] : undefined;
      if (!next) return;
      e.preventDefault();
      open(next, true);
    });
  }
  return (panelId) => {
    const tab = tabs.find((x) => x.getAttribute('aria-controls') === panelId);
    if (tab) open(tab);
  };
}
