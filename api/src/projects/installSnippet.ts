/**
 * The tag a merchant pastes into <head>. Until the tracker bundle ships (Tracker issue) the snippet only queues
 * calls; its shape — async script + call queue — is the one the tracker will keep.
 */
export function installSnippet(baseUrl: string, ingestKey: string): string {
  const src = `${baseUrl.replace(/\/+$/, '')}/t/${encodeURIComponent(ingestKey)}.js`;
  return `<script>(function(w,d,s,k){w.loupe=w.loupe||function(){(w.loupe.q=w.loupe.q||[]).push(arguments)};` +
    `var e=d.createElement('script');e.async=1;e.src=s;d.head.appendChild(e)})(window,document,${JSON.stringify(src)},${JSON.stringify(ingestKey)});</script>`;
}
