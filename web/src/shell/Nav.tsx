import { useEffect, useRef, useState } from 'react';
import { Link, TABS } from '../routing.js';

/** Scrolls the tab list sideways so the current tab is fully visible. */
function revealCurrent(scroller: HTMLElement): void {
  const current = scroller.querySelector<HTMLElement>('[aria-current="page"]');
  if (current === null) return;
  const offset = current.getBoundingClientRect().left - scroller.getBoundingClientRect().left;
  if (offset < 0 || offset + current.offsetWidth > scroller.clientWidth) scroller.scrollLeft += offset - 12;
}

/**
 * The main tabs. The current one carries aria-current="page". On narrow screens the list
 * scrolls sideways; a faded edge shows there are more tabs that way.
 */
export function Nav({ path }: { path: string }) {
  const scroller = useRef<HTMLElement>(null);
  const [more, setMore] = useState({ before: false, after: false });

  useEffect(() => {
    const element = scroller.current;
    if (element === null) return undefined;
    const update = () => {
      const before = element.scrollLeft > 1;
      const after = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
      setMore((previous) => (previous.before === before && previous.after === after ? previous : { before, after }));
    };
    const resized = () => {
      revealCurrent(element);
      update();
    };
    update();
    element.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', resized);
    return () => {
      element.removeEventListener('scroll', update);
      window.removeEventListener('resize', resized);
    };
  }, []);

  useEffect(() => {
    if (scroller.current !== null) revealCurrent(scroller.current);
  }, [path]);

  const fade = [more.before ? 'nav-more-before' : '', more.after ? 'nav-more-after' : ''].filter(Boolean).join(' ');
  return (
    <nav ref={scroller} className={fade === '' ? 'nav' : `nav ${fade}`} aria-label="Main">
      <ul>
        {TABS.map((tab) => (
          <li key={tab.path}>
            <Link href={tab.path} className="nav-link" aria-current={path === tab.path || path.startsWith(`${tab.path}/`) ? 'page' : undefined}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
