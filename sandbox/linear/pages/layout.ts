import type { FastifyReply } from 'fastify';
import { html, PAGE_HEADERS, type SafeHtml } from '../../common/html.js';

/**
 * The frame of every Linear stand-in page: no inline script or style (CSP `default-src 'self'`),
 * one stylesheet at /static/linear.css.
 */
export function layout(title: string, body: SafeHtml, nav?: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Linear sandbox</title>
<link rel="stylesheet" href="/static/linear.css">
</head>
<body>
<header class="top"><a class="brand" href="/">Linear <span>sandbox</span></a>${nav ?? ''}</header>
<main>${body}</main>
</body>
</html>`.value;
}

export function sendPage(reply: FastifyReply, status: number, markup: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(markup);
}
