import { html, type SafeHtml } from '../../common/html.js';
import { STYLESHEET_PATH } from './style.js';

/** A full page: no inline script or style, so `default-src 'self'` holds (common/html.ts). */
export function layout(title: string, headerExtra: SafeHtml | string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · PagerDuty (sandbox)</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header><span class="brand">PagerDuty</span><span class="tag">sandbox</span>${headerExtra}</header>
<main>
${body}
</main>
</body>
</html>`.value;
}
