const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

interface Op {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required: boolean; schema: unknown }[];
  responses?: Record<string, { description: string }>;
  requestBody?: unknown;
  'x-loupe-auth'?: string;
}

/** A self-contained HTML page listing every route of an OpenAPI document (no external assets). */
export function renderApiDocs(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, Op>>;
  const sections: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? [])
        .map((p) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''}): <code>${esc(JSON.stringify(p.schema))}</code></li>`)
        .join('');
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${esc(status)}</b> ${esc(r.description)}</li>`)
        .join('');
      sections.push(`<section><h2><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h2>
<p>${esc(op.summary ?? '')}</p><p class="auth">Auth: ${esc(op['x-loupe-auth'] ?? 'public')}</p>
${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ''}${op.requestBody ? `<h3>Body</h3><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre>` : ''}
<h3>Responses</h3><ul>${responses}</ul></section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Loupe API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.05rem}.m{display:inline-block;min-width:4.5em;padding:2px 6px;border-radius:4px;color:#fff;background:#555;font-size:.8rem;text-align:center}
.get{background:#2a7ae2}.post{background:#2e9d4f}.patch{background:#c77c02}.delete{background:#c0392b}.auth{color:#666;font-size:.9rem}pre{background:#f5f5f7;padding:.5rem;overflow:auto;max-height:20rem}</style></head>
<body><h1>Loupe API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Project routes take <code>Authorization: Bearer lpt_…</code>.</p>
${sections.join('\n')}</body></html>`;
}
