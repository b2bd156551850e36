/** Small line icons (24×24, currentColor), decorative: callers hide them from assistive tech. */
const common = {
  width: 24,
  height: 24,
  viewBox: '0 0 24 24',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.75,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
  focusable: 'false',
} as const;

export const PlugIcon = () => (
  <svg {...common}>
    <path d="M9 2v5M15 2v5M6 7h12v4a6 6 0 0 1-12 0V7ZM12 17v5" />
  </svg>
);

export const WebhookIcon = () => (
  <svg {...common}>
    <path d="M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2" />
    <path d="m6 17 3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06" />
    <path d="m12 6 3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8" />
  </svg>
);

export const RuleIcon = () => (
  <svg {...common}>
    <path d="M3 5h18l-7 8v6l-4 2v-8L3 5Z" />
  </svg>
);

export const ActivityIcon = () => (
  <svg {...common}>
    <path d="M3 12h4l3-8 4 16 3-8h4" />
  </svg>
);

export const CheckIcon = () => (
  <svg {...common}>
    <path d="m5 12 5 5L20 7" />
  </svg>
);

export const CircleIcon = () => (
  <svg {...common}>
    <circle cx="12" cy="12" r="8" />
  </svg>
);

export const ChevronDownIcon = () => (
  <svg {...common} width={16} height={16}>
    <path d="m6 9 6 6 6-6" />
  </svg>
);

/** The hub's mark: two linked rings, Linear and PagerDuty kept in step. */
export const LogoMark = () => (
  <svg width={28} height={28} viewBox="0 0 28 28" focusable="false" aria-hidden="true">
    <rect width="28" height="28" rx="7" className="logo-bg" />
    <circle cx="11" cy="14" r="5" className="logo-ring" />
    <circle cx="17" cy="14" r="5" className="logo-ring logo-ring-2" />
  </svg>
);
