/**
 * The demo store's behaviour in the browser (bundled by the api and served as `/demo/store.js`): cart, a
 * four-step checkout reported through `loupe('checkout', …)`, and two planted problems for the dashboard
 * (a button that throws, text that looks clickable and is not).
 */

interface Line {
  id: string;
  name: string;
  price: number;
  qty: number;
}

type LoupeFn = ((...args: unknown[]) => void) & { q?: unknown[][] };
type Step = 'contact' | 'shipping' | 'payment' | 'confirmed';
const STEPS: readonly Step[] = ['contact', 'shipping', 'payment', 'confirmed'];

const eur = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
const cart = new Map<string, Line>();
let token = '';

/** Calls the tracker; before it has loaded, queues the call the way the install snippet does. */
function loupe(...args: unknown[]): void {
  const w = window as Window & { loupe?: LoupeFn };
  if (!w.loupe) {
    const stub: LoupeFn = (...a: unknown[]) => void (stub.q ??= []).push(a);
    w.loupe = stub;
  }
  w.loupe(...args);
}

function el<T extends HTMLElement = HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`demo store: ${selector} is missing`);
  return found;
}

const all = <T extends HTMLElement = HTMLElement>(selector: string): T[] => Array.from(document.querySelectorAll<T>(selector));

/** Cents-exact total: the api converts it to minor units once, and the dashboard shows it back. */
const cartTotal = (): number => Math.round([...cart.values()].reduce((sum, l) => sum + l.price * l.qty * 100, 0)) / 100;
const itemCount = (): number => [...cart.values()].reduce((n, l) => n + l.qty, 0);

function listItems(list: HTMLElement, removable: boolean): void {
  list.replaceChildren(
    ...[...cart.values()].map((line) => {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = `${line.qty} × ${line.name}`;
      const price = document.createElement('span');
      price.textContent = eur.format(line.price * line.qty);
      li.append(label, price);
      if (removable) {
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'remove';
        remove.setAttribute('aria-label', `Remove ${line.name}`);
        remove.textContent = '×';
        remove.addEventListener('click', () => {
          cart.delete(line.id);
          render();
        });
        li.append(remove);
      }
      return li;
    }),
  );
}

function render(): void {
  listItems(el('#cart-items'), true);
  el('#cart-empty').hidden = cart.size > 0;
  el('#cart-count').textContent = String(itemCount());
  el('#cart-total').textContent = eur.format(cartTotal());
  el<HTMLButtonElement>('#checkout-start').disabled = cart.size === 0;
}

/** Rendered when checkout starts and left alone after, so the confirmation still shows what was ordered. */
function renderSummary(): void {
  listItems(el('#summary-items'), false);
  for (const node of all('.checkout-total')) node.textContent = eur.format(cartTotal());
}

function addToCart(card: HTMLElement, button: HTMLButtonElement): void {
  const id = card.dataset.id ?? '';
  const line = cart.get(id) ?? { id, name: card.dataset.name ?? id, price: Number(card.dataset.price), qty: 0 };
  line.qty++;
  cart.set(id, line);
  loupe('event', 'add_to_cart');
  render();
  button.textContent = 'Added ✓';
  button.classList.add('added');
  setTimeout(() => {
    button.textContent = 'Add to cart';
    button.classList.remove('added');
  }, 1200);
}

/** Shows a checkout step and reports it: reaching a step is what the funnel counts. */
function showStep(step: Step): void {
  for (const node of all('#checkout .step')) node.hidden = node.dataset.step !== step;
  const at = STEPS.indexOf(step);
  for (const li of all('.steps li')) {
    const i = STEPS.indexOf(li.dataset.step as Step);
    li.className = i < at ? 'done' : i === at ? 'current' : '';
  }
  loupe('checkout', step, { token, value: cartTotal(), currency: 'EUR' });
  // Each step is its own "page" of this single-page shop: the tracker records SPA navigations as page views.
  history.pushState({ step }, '', `#checkout/${step}`);
  window.scrollTo(0, 0);
}

function startCheckout(): void {
  if (!cart.size) return;
  token = `chk_${Math.random().toString(36).slice(2, 12)}`;
  el('#shop').hidden = true;
  el('#checkout').hidden = false;
  renderSummary();
  showStep('contact');
}

function confirmOrder(): void {
  showStep('confirmed');
  el('#order-number').textContent = `FF-${token.slice(4, 10).toUpperCase()}`;
  loupe('set', 'customer', 'guest');
  cart.clear();
  render();
}

function backToShop(): void {
  el('#checkout').hidden = true;
  el('#shop').hidden = false;
  if (location.hash) history.pushState(null, '', location.pathname);
}

/** Stands in for a gift-card service whose empty answer the page does not expect. */
const fetchGiftCard = (): { balance: number } => JSON.parse('null') as { balance: number };

function init(): void {
  for (const card of all('#products .product')) {
    const button = card.querySelector<HTMLButtonElement>('.add-to-cart');
    button?.addEventListener('click', () => addToCart(card, button));
  }
  el('#checkout-start').addEventListener('click', startCheckout);
  el('#cart-button').addEventListener('click', () => {
    backToShop();
    el('#cart').scrollIntoView({ behavior: 'smooth' });
  });
  const next: Record<string, () => void> = {
    contact: () => showStep('shipping'),
    shipping: () => showStep('payment'),
    payment: confirmOrder,
  };
  for (const form of all<HTMLFormElement>('#checkout form.step')) {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      next[form.dataset.step ?? '']?.();
    });
  }
  el('#continue-shopping').addEventListener('click', backToShop);
  // The planted bug: an uncaught TypeError on every click, which the tracker reports as a js_error.
  el('#gift-card').addEventListener('click', () => {
    el('#gift-status').textContent = `Balance: ${eur.format(fetchGiftCard().balance)}`;
  });
  // Planted for the dashboard: a button wired to nothing (dead clicks), a link whose handler throws.
  el('#wishlist').addEventListener('click', () => undefined);
  el('#size-guide').addEventListener('click', (e) => {
    e.preventDefault();
    throw new Error('size guide unavailable');
  });
  render();
}

init();
