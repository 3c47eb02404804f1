/** The demo store's catalogue. Prices are in EUR; the art is inline SVG so the demo needs no image hosting. */
export interface Product {
  id: string;
  name: string;
  blurb: string;
  price: number;
  reviews: number;
  /** Inner markup of a 200×150 SVG. */
  art: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'mug',
    name: 'Stoneware mug',
    blurb: 'Glazed by hand in Bergen',
    price: 24.9,
    reviews: 214,
    art: `<rect width="200" height="150" fill="#f3e6d8"/>
      <path d="M78 52h44v54a12 12 0 0 1-12 12H90a12 12 0 0 1-12-12z" fill="#4f6d7a"/>
      <path d="M122 62h8a14 14 0 0 1 0 28h-8" fill="none" stroke="#4f6d7a" stroke-width="7"/>
      <path d="M78 52h44v10H78z" fill="#e8d9c7" opacity=".55"/>
      <path d="M92 40c-4-6 4-10 0-16M104 40c-4-6 4-10 0-16" stroke="#b9a48f" stroke-width="3" fill="none" stroke-linecap="round"/>
      <ellipse cx="100" cy="126" rx="40" ry="5" fill="#d9c6b1"/>`,
  },
  {
    id: 'tote',
    name: 'Linen tote',
    blurb: 'Undyed flax, sewn in Tallinn',
    price: 39,
    reviews: 88,
    art: `<rect width="200" height="150" fill="#e3ebe1"/>
      <path d="M82 56c0-22 36-22 36 0" fill="none" stroke="#8a7a5c" stroke-width="5"/>
      <path d="M64 56h72l8 66H56z" fill="#d8c9a8"/>
      <path d="M64 56h72l2 14H62z" fill="#c9b890"/>
      <circle cx="100" cy="96" r="11" fill="none" stroke="#6f8f72" stroke-width="4"/>
      <ellipse cx="100" cy="128" rx="48" ry="5" fill="#c8d6c4"/>`,
  },
  {
    id: 'lamp',
    name: 'Brass desk lamp',
    blurb: 'Dimmable, warm 2700 K',
    price: 89,
    reviews: 51,
    art: `<rect width="200" height="150" fill="#e5e8f1"/>
      <path d="M116 84h44l18 40H98z" fill="#f6d27a" opacity=".35"/>
      <ellipse cx="74" cy="122" rx="24" ry="6" fill="#b8892f"/>
      <path d="M74 120 L90 76 L128 60" fill="none" stroke="#c99a3b" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
      <circle cx="90" cy="76" r="5" fill="#a87a22"/>
      <path d="M124 52h28l10 32h-48z" fill="#2f3b52"/>
      <ellipse cx="138" cy="84" rx="24" ry="3" fill="#f6d27a"/>`,
  },
  {
    id: 'fern',
    name: 'Fern in clay pot',
    blurb: 'Easy care, loves shade',
    price: 19.5,
    reviews: 132,
    art: `<rect width="200" height="150" fill="#e2eee5"/>
      <g fill="#4e8a5c">
        <ellipse cx="84" cy="60" rx="9" ry="30" transform="rotate(-35 84 60)"/>
        <ellipse cx="116" cy="60" rx="9" ry="30" transform="rotate(35 116 60)"/>
        <ellipse cx="100" cy="50" rx="9" ry="32"/>
        <ellipse cx="72" cy="80" rx="7" ry="24" transform="rotate(-65 72 80)"/>
        <ellipse cx="128" cy="80" rx="7" ry="24" transform="rotate(65 128 80)"/>
      </g>
      <path d="M74 86h52l-7 36H81z" fill="#c8714e"/>
      <path d="M70 84h60v8H70z" fill="#b5603f"/>`,
  },
  {
    id: 'candle',
    name: 'Beeswax candle',
    blurb: '40 hours, honey scent',
    price: 14.9,
    reviews: 306,
    art: `<rect width="200" height="150" fill="#f5eed8"/>
      <rect x="84" y="58" width="32" height="62" rx="4" fill="#e8b84a"/>
      <path d="M84 70h32M84 82h32M84 94h32M84 106h32" stroke="#d7a337" stroke-width="2"/>
      <path d="M100 58v-8" stroke="#3b3325" stroke-width="2"/>
      <path d="M100 30c8 10 6 18 0 20-6-2-8-10 0-20z" fill="#f28c28"/>
      <ellipse cx="100" cy="124" rx="34" ry="5" fill="#e2d5ae"/>`,
  },
  {
    id: 'notebook',
    name: 'Dot-grid notebook',
    blurb: 'A5, 160 pages, lay-flat',
    price: 12,
    reviews: 97,
    art: `<rect width="200" height="150" fill="#eee3ea"/>
      <rect x="66" y="30" width="68" height="92" rx="5" fill="#7b4b6a"/>
      <rect x="66" y="30" width="10" height="92" rx="3" fill="#6a3f5b"/>
      <path d="M120 30v92" stroke="#e9c46a" stroke-width="4"/>
      <rect x="86" y="52" width="30" height="14" rx="2" fill="#efe1d0"/>`,
  },
];

/** EUR amounts as the store shows them (`€24.90`). */
export const formatEur = (n: number): string => new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(n);
