import { createHash } from 'node:crypto';

/**
 * The install snippet's JavaScript: defines `loupe(...)` as a queue (`loupe.q`) so calls work before the tracker
 * loads, then loads `/t/<ingestKey>.js` asynchronously; the tracker replays the queue. About 250 bytes.
 * Browsers older than mid-2020 (no `String.prototype.replaceAll`, a stand-in for the ES2020 syntax the bundle uses)
 * never load the tracker: their `loupe(...)` calls stay in the queue, silently.
 */
export function installSnippetScript(baseUrl: string, ingestKey: string): string {
  const src = `${baseUrl.replace(/\/+$/, '')}/t/${encodeURIComponent(ingestKey)}.js`;
  return `(function(w,d,s){w.loupe=w.loupe||function(){(w.loupe.q=w.loupe.q||[]).push(arguments)};` +
    `if(!''.replaceAll)return;var e=d.createElement('script');e.async=1;e.src=s;d.head.appendChild(e)})(window,document,${JSON.stringify(src)});`;
}

/** The tag a merchant pastes into <head>. */
export function installSnippet(baseUrl: string, ingestKey: string): string {
  return `<script>${installSnippetScript(baseUrl, ingestKey)}</script>`;
}

/** The CSP source (`'sha256-…'`) that allows the inline snippet on pages with a strict Content-Security-Policy. */
export const snippetCspHash = (script: string): string => `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
