/**
 * The demo store page. Server-rendered so that the only project data on it is the public ingest key; the
 * behaviour (cart, checkout) lives in `client/store.ts`, served as `/demo/store.js`.
 */
import { DEMO_PROJECT_NAME } from '../projects/ensureDemoProject.ts';
import { PRODUCTS, formatEur, type Product } from './products.ts';
import { DEMO_CSS } from './styles.ts';

/** What the page can say about the demo project. */
export type DemoSetup =
  | { status: 'ready'; ingestKey: string; snippet: string }
  | { status: 'no_project' }
  | { status: 'disabled' }
  | { status: 'origin_not_allowed'; origin: string; allowed: readonly string[] };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function notice(setup: DemoSetup): string {
  const name = escapeHtml(DEMO_PROJECT_NAME);
  switch (setup.status) {
    case 'ready':
      return '';
    case 'no_project':
      return `<div class="notice" id="demo-notice"><strong>Nothing is being recorded yet:</strong> there is no “${name}” project.
        Start Loupe with <code>npm start</code> (it sets <code>LOUPE_DEMO=true</code>, which creates the project on first
        start), or create it yourself while the api is stopped:
        <code>npm run loupe -- project create "${name}" --origin ${escapeHtml('<this page\'s origin>')}</code>, then reload.</div>`;
    case 'disabled':
      return `<div class="notice" id="demo-notice"><strong>Nothing is being recorded:</strong> the “${name}” project is disabled.</div>`;
    case 'origin_not_allowed':
      return `<div class="notice" id="demo-notice"><strong>Nothing is being recorded:</strong> the “${name}” project does not
        accept events from <code>${escapeHtml(setup.origin)}</code>. It allows
        ${setup.allowed.map((o) => `<code>${escapeHtml(o)}</code>`).join(', ') || 'no origin'};
        open the demo there, or add this origin to the project's <code>allowedOrigins</code>.</div>`;
  }
}

function productCard(p: Product): string {
  const price = p.price.toFixed(2);
  return `<article class="product" data-id="${escapeHtml(p.id)}" data-name="${escapeHtml(p.name)}" data-price="${price}">
      <svg viewBox="0 0 200 150" role="img" aria-label="${escapeHtml(p.name)}">${p.art}</svg>
      <div class="body">
        <h3>${escapeHtml(p.name)}</h3>
        <p class="meta">${escapeHtml(p.blurb)}</p>
        <div class="row"><span class="price">${formatEur(p.price)}</span>
          <span class="reviews">★★★★★ <small>${p.reviews} reviews</small></span></div>
        <button type="button" class="primary add-to-cart">Add to cart</button>
      </div>
    </article>`;
}

const field = (label: string, name: string, value: string, type = 'text'): string =>
  `<label class="field">${label}<input name="${name}" type="${type}" value="${escapeHtml(value)}" required></label>`;

const CHECKOUT = `<section id="checkout" class="checkout" hidden>
  <div class="panel">
    <ol class="steps"><li data-step="contact">Contact</li><li data-step="shipping">Shipping</li><li data-step="payment">Payment</li><li data-step="confirmed">Done</li></ol>
    <form id="step-contact" class="step" data-step="contact">
      <h2>Contact</h2>
      ${field('Email', 'email', 'ada@example.com', 'email')}
      <p class="note" data-loupe-mask>Signed in as ada@example.com</p>
      <button type="submit" class="primary">Continue to shipping</button>
    </form>
    <form id="step-shipping" class="step" data-step="shipping" hidden>
      <h2>Shipping</h2>
      <div class="pair">${field('First name', 'first', 'Ada')}${field('Last name', 'last', 'Lovelace')}</div>
      ${field('Address', 'address', 'Strandgaten 12')}
      <div class="pair">${field('Postcode', 'postcode', '5013')}${field('City', 'city', 'Bergen')}</div>
      <button type="submit" class="primary">Continue to payment</button>
    </form>
    <form id="step-payment" class="step" data-step="payment" hidden>
      <h2>Payment</h2>
      ${field('Card number', 'card', '4242 4242 4242 4242')}
      <div class="pair">${field('Expiry', 'expiry', '12 / 29')}${field('CVC', 'cvc', '123')}</div>
      <button type="submit" class="primary" id="pay">Pay <span class="checkout-total"></span></button>
      <p class="note">This is a demo: no payment is taken.</p>
    </form>
    <div id="step-confirmed" class="step confirmed" data-step="confirmed" hidden>
      <div class="tick">✓</div>
      <h2>Thank you for your order</h2>
      <p>Order <strong id="order-number"></strong> is on its way.</p>
      <button type="button" class="primary" id="continue-shopping">Continue shopping</button>
    </div>
  </div>
  <aside class="panel summary"><h2>Order summary</h2><ul id="summary-items"></ul>
    <div class="total"><span>Total</span><strong class="checkout-total"></strong></div></aside>
</section>`;

/** The whole page. The tracker is included only when events from it would be accepted. */
export function renderDemoPage(setup: DemoSetup): string {
  // The real install snippet (inline; the page's CSP allows it by hash).
  const tracker = setup.status === 'ready' ? `<script>${setup.snippet}</script>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fjord &amp; Fern · Loupe demo store</title>
<style>${DEMO_CSS}</style>
${tracker}
<script defer src="store.js"></script>
</head>
<body>
<div class="demo-bar">Loupe demo store: what you do here is recorded in the “${escapeHtml(DEMO_PROJECT_NAME)}” project.
  Try the gift-card button, it is broken on purpose. <a href="../docs">API docs</a></div>
${notice(setup)}
<header class="site">
  <a class="brand" href="./">Fjord <span>&amp;</span> Fern</a>
  <nav><span class="nav-link">Shop</span><span class="nav-link">Journal</span><span class="nav-link">About</span></nav>
  <button type="button" class="cart-pill" id="cart-button">Cart <b id="cart-count">0</b></button>
</header>
<section class="hero">
  <div><h1>Quiet things for slow mornings</h1><p>Homeware from small Nordic studios. Free shipping over €50.</p></div>
  <div class="promo">
    <button type="button" class="ghost" id="gift-card">Check gift card balance</button>
    <span class="fake-link" id="care-guide">Read the care guide →</span>
    <button type="button" class="ghost" id="wishlist">Add to wishlist</button>
    <a href="#" id="size-guide">Size guide</a>
    <span class="gift-status" id="gift-status"></span>
  </div>
</section>
<main id="shop" class="layout">
  <section id="products" class="grid">
    ${PRODUCTS.map(productCard).join('\n    ')}
  </section>
  <aside id="cart" class="cart">
    <h2>Your cart</h2>
    <ul id="cart-items"></ul>
    <p class="empty" id="cart-empty">Your cart is empty.</p>
    <div class="total"><span>Total</span><strong id="cart-total">${formatEur(0)}</strong></div>
    <button type="button" class="primary" id="checkout-start" disabled>Checkout</button>
    <p class="note">Prices include VAT.</p>
  </aside>
</main>
${CHECKOUT}
<footer>Fjord &amp; Fern is not a real shop. It exists to show what Loupe records: clicks, scroll depth, errors and the checkout funnel.</footer>
</body>
</html>`;
}
