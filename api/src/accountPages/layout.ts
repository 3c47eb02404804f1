/**
 * The two pages e-mailed links land on (password reset, invite acceptance), until the dashboard exists. Plain HTML
 * with a small script that calls the JSON API; the token stays in the page (never sent anywhere but our API).
 */
export function page(title: string, body: string, script: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Loupe</title>
<style>
  body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
  h1{font-size:1.4rem} label{display:block;margin:.8rem 0 .2rem} input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
  button{margin-top:1rem;padding:.55rem 1.1rem;font:inherit;background:#111827;color:#fff;border:0;border-radius:.3rem;cursor:pointer}
  .msg{margin-top:1rem;padding:.6rem .8rem;border-radius:.3rem} .ok{background:#dcfce7} .err{background:#fee2e2} [hidden]{display:none}
</style></head>
<body><h1>${title}</h1>${body}<div id="msg" class="msg" hidden role="status"></div>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);
const show = (text, ok) => { const m = document.getElementById('msg'); m.textContent = text; m.className = 'msg ' + (ok ? 'ok' : 'err'); m.hidden = false; };
async function api(method, path, body, csrf) {
  const headers = { 'content-type': 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await res.text();
  let json = null; try { json = text ? JSON.parse(text) : null; } catch {}
  return { status: res.status, json };
}
${script}
</script></body></html>`;
}

/** Security headers for these pages: no framing, no referrer (the URL held a token), scripts only inline from us. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};
