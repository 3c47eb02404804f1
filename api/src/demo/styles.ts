/** The demo store's stylesheet, inlined in the page. */
export const DEMO_CSS = `
:root { --ink: #1f2430; --muted: #6b7280; --line: #e7e2da; --bg: #faf8f4; --card: #fff; --accent: #2f5d50; --accent-2: #e9c46a; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
button { font: inherit; cursor: pointer; }
.demo-bar { background: var(--ink); color: #d7dae0; font-size: 13px; padding: 8px 24px; text-align: center; }
.demo-bar a { color: var(--accent-2); }
.notice { max-width: 1120px; margin: 16px auto 0; padding: 14px 18px; border-radius: 10px; background: #fff4e5; border: 1px solid #f3c98b; }
.notice code { background: #fde9c8; padding: 1px 5px; border-radius: 4px; }
.site { max-width: 1120px; margin: 0 auto; padding: 20px 24px; display: flex; align-items: center; gap: 32px; }
.brand { font: 600 22px/1 Georgia, "Times New Roman", serif; color: var(--ink); text-decoration: none; letter-spacing: .2px; }
.brand span { color: var(--accent); }
.site nav { display: flex; gap: 22px; color: var(--muted); flex: 1; }
.nav-link { cursor: pointer; }
.nav-link:hover { color: var(--ink); }
.cart-pill { border: 1px solid var(--line); background: var(--card); border-radius: 999px; padding: 8px 16px; }
.cart-pill b { display: inline-block; min-width: 22px; margin-left: 6px; padding: 0 6px; border-radius: 999px; background: var(--accent); color: #fff; font-size: 13px; }
.hero { max-width: 1120px; margin: 0 auto; padding: 28px 24px 8px; display: flex; justify-content: space-between; align-items: end; gap: 24px; flex-wrap: wrap; }
.hero h1 { font: 500 36px/1.15 Georgia, "Times New Roman", serif; margin: 0 0 8px; }
.hero p { margin: 0; color: var(--muted); }
.promo { display: flex; align-items: center; gap: 18px; }
.ghost { border: 1px dashed var(--accent); color: var(--accent); background: transparent; border-radius: 8px; padding: 8px 14px; }
.fake-link { color: var(--accent); text-decoration: underline; text-underline-offset: 3px; cursor: pointer; }
.gift-status { font-size: 13px; color: var(--muted); }
.layout { max-width: 1120px; margin: 0 auto; padding: 24px; display: grid; grid-template-columns: 1fr 300px; gap: 28px; align-items: start; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 20px; }
.product { background: var(--card); border: 1px solid var(--line); border-radius: 14px; overflow: hidden; display: flex; flex-direction: column; transition: box-shadow .15s, transform .15s; }
.product:hover { box-shadow: 0 10px 24px rgba(31, 36, 48, .08); transform: translateY(-2px); }
.product svg { display: block; width: 100%; height: auto; }
.product .body { padding: 14px 16px 16px; display: flex; flex-direction: column; gap: 4px; flex: 1; }
.product h3 { margin: 0; font-size: 16px; font-weight: 600; }
.product .meta { margin: 0; color: var(--muted); font-size: 13px; }
.product .row { display: flex; justify-content: space-between; align-items: center; margin: 8px 0 12px; }
.price { font-weight: 600; font-size: 16px; }
.reviews { color: #b7791f; font-size: 13px; cursor: pointer; }
.reviews small { color: var(--muted); text-decoration: underline; }
.primary { background: var(--accent); color: #fff; border: 0; border-radius: 10px; padding: 10px 16px; font-weight: 600; }
.primary:hover { filter: brightness(1.1); }
.primary:disabled { opacity: .45; cursor: default; filter: none; }
.add-to-cart { margin-top: auto; }
.add-to-cart.added { background: #3f7d62; }
.cart { position: sticky; top: 16px; background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 18px; }
.cart h2, .summary h2 { margin: 0 0 12px; font-size: 17px; }
.cart ul, .summary ul { list-style: none; margin: 0; padding: 0; }
.cart li, .summary li { display: flex; justify-content: space-between; gap: 8px; padding: 8px 0; border-bottom: 1px solid var(--line); font-size: 14px; }
.cart li button { border: 0; background: none; color: var(--muted); padding: 0 4px; }
.empty { color: var(--muted); font-size: 14px; }
.total { display: flex; justify-content: space-between; margin: 14px 0; font-size: 16px; }
.cart .primary { width: 100%; }
.note { color: var(--muted); font-size: 12px; margin: 10px 0 0; }
.checkout { max-width: 1120px; margin: 0 auto; padding: 24px; display: grid; grid-template-columns: 1fr 300px; gap: 28px; align-items: start; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 24px; }
.steps { display: flex; gap: 8px; list-style: none; padding: 0; margin: 0 0 22px; counter-reset: step; }
.steps li { flex: 1; padding: 8px 10px; border-radius: 8px; background: #f1eee8; color: var(--muted); font-size: 13px; counter-increment: step; }
.steps li::before { content: counter(step) ". "; }
.steps li.current { background: var(--accent); color: #fff; }
.steps li.done { background: #dbe8e1; color: var(--accent); }
.step h2 { margin: 0 0 14px; font-size: 20px; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; font-size: 13px; color: var(--muted); }
.field input, .field select { font: inherit; color: var(--ink); padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.confirmed { text-align: center; padding: 24px 0; }
.confirmed .tick { width: 56px; height: 56px; margin: 0 auto 12px; border-radius: 50%; background: #dbe8e1; color: var(--accent); display: grid; place-items: center; font-size: 28px; }
footer { max-width: 1120px; margin: 24px auto; padding: 16px 24px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); }
@media (max-width: 820px) { .layout, .checkout { grid-template-columns: 1fr; } .site nav { display: none; } }
`;
