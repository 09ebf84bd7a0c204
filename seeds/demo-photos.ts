import { readFile } from 'node:fs/promises';

/** The demo's photos and logos, drawn by `npm run demo-images` (scripts/demo-images.ts) and committed. */
const FOLDER = new URL('./demo-images/', import.meta.url);

export type DemoImage =
  | 'plot-coffee-rows.webp'
  | 'plot-tea-terraces.webp'
  | 'harvest-coffee-cherries.webp'
  | 'drying-coffee-cherries.webp'
  | 'harvest-tea-shoots.webp'
  | 'product-roast-coffee.jpg'
  | 'product-green-coffee.jpg'
  | 'product-tea.jpg'
  | 'logo-krong-nang-coffee.png'
  | 'logo-bmt-roastery.png'
  | 'logo-tan-cuong-tea.png';

export async function demoImage(name: DemoImage): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(name, FOLDER)));
}
