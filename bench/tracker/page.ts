import type { Page } from 'playwright-core';

/**
 * The benchmark's store page: ~10k DOM elements (a header, filters, a grid of product cards, a footer) and a bit of
 * page code (add to cart mutates the DOM, a search box), plus the candidate's script tags.
 */
export const CARDS = 700;

function card(i: number): string {
  return `<article class="card" data-id="p${i}"><a class="thumb" href="#p${i}"><img alt="" width="120" height="90" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a>
<div class="body"><h3 class="name">Linen throw no. ${i}</h3><p class="blurb">Stonewashed linen, woven in Kaunas. Soft from the first day.</p>
<div class="meta"><span class="price">€${(19 + (i % 40)).toFixed(2)}</span><span class="stars">★★★★☆</span><small>${i % 97} reviews</small></div>
<ul class="swatches"><li>sand</li><li>moss</li><li>ink</li></ul><button class="add" type="button">Add to cart</button></div></article>`;
}

export function storePage(head: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Bench store</title>
<style>.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}.card{border:1px solid #ddd;padding:6px}.cart{position:fixed;top:0;right:0;background:#fff}</style>
${head}</head><body>
<header><nav>${Array.from({ length: 30 }, (_, i) => `<a href="#c${i}">Category ${i}</a>`).join(' ')}</nav>
<input id="search" type="search" placeholder="Search"><div class="cart">Cart: <b id="count">0</b><ul id="lines"></ul></div></header>
<main class="grid">${Array.from({ length: CARDS }, (_, i) => card(i)).join('\n')}</main>
<footer>${Array.from({ length: 60 }, (_, i) => `<p>Footer link ${i}</p>`).join('')}</footer>
<script>
let n = 0;
document.querySelector('main').addEventListener('click', (e) => {
  const b = e.target.closest('.add'); if (!b) return;
  n++; document.getElementById('count').textContent = n;
  const li = document.createElement('li'); li.textContent = b.closest('.card').querySelector('.name').textContent; document.getElementById('lines').appendChild(li);
});
document.getElementById('search').addEventListener('input', (e) => {
  const q = e.target.value.toLowerCase();
  for (const c of document.querySelectorAll('.card')) c.hidden = q.length > 2 && !c.textContent.toLowerCase().includes(q);
});
</script></body></html>`;
}

/**
 * How the pointer travels to each click target. `path` (the default): a straight path from where the pointer is,
 * one mousemove per frame (~16 ms) over ~250 ms, as a person's pointer does — Chromium delivers mousemove at most
 * once per frame, and a hand takes a few hundred ms between two buttons. Recorders (rrweb, clarity) record
 * mousemove, and every candidate receives the same moves. `jump` (BENCH_POINTER=jump): Playwright's `page.click`
 * alone, which moves the pointer in one step (one mousemove per click) — no visitor moves like that; kept to
 * compare with runs made before November's change.
 */
const POINTER = process.env.BENCH_POINTER === 'jump' ? 'jump' : 'path';
const FRAME_MS = 16;
const PATH_STEPS = 15;

/** Moves the pointer to the middle of `selector` along a straight path, one step per frame. */
async function pointTo(page: Page, selector: string, from: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  const to = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  for (let i = 1; i <= PATH_STEPS; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / PATH_STEPS, from.y + ((to.y - from.y) * i) / PATH_STEPS);
    await new Promise((r) => setTimeout(r, FRAME_MS));
  }
  return to;
}

/** The scripted visit: settle, scroll down, 20 add-to-cart clicks, typing into search, scroll up, settle. */
export async function visit(page: Page): Promise<void> {
  await page.waitForTimeout(1500); // load, idle callbacks, recorder start
  let pointer = { x: 640, y: 450 };
  if (POINTER === 'path') await page.mouse.move(pointer.x, pointer.y);
  for (let i = 0; i < 10; i++) {
    await page.mouse.wheel(0, 900);
    await page.waitForTimeout(120);
  }
  const click = async (selector: string): Promise<void> => {
    if (POINTER === 'jump') return page.click(selector);
    await page.locator(selector).scrollIntoViewIfNeeded();
    pointer = await pointTo(page, selector, pointer);
    await page.mouse.down();
    await page.mouse.up();
  };
  for (let i = 0; i < 20; i++) {
    await click(`.card:nth-of-type(${i * 13 + 1}) .add`);
    await page.waitForTimeout(100);
  }
  await click('#search');
  await page.keyboard.type('linen throw no', { delay: 60 });
  await page.mouse.wheel(0, -3000);
  await page.waitForTimeout(2500); // flushes and idle work after the visit
}
