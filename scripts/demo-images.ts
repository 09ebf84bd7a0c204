/**
 * Draws the demo's photos and logos (seeds/demo-images/) from SVG: shapes, gradients and
 * feTurbulence texture, rendered by sharp into small WebP (photos), JPEG (product photos: marketplaces
 * want square JPEG or PNG) and PNG (logos) files. The seed attaches them
 * through the services, so they pass the same sniffing as a user's upload. Nothing is
 * downloaded; `npm run demo-images` draws them again (a fixed seed, so the same pictures).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../seeds/demo-images');

/** mulberry32: the same pictures every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f1 = (n: number) => n.toFixed(1);

/** A grain filter: fractal noise blended over the source at `strength` (0–1). */
const grain = (id: string, frequency: number, strength: number, seed = 3) =>
  `<filter id="${id}" x="0" y="0" width="100%" height="100%"><feTurbulence type="fractalNoise" baseFrequency="${frequency}" numOctaves="3" seed="${seed}"/>` +
  `<feColorMatrix type="matrix" values="0 0 0 0 0.5  0 0 0 0 0.5  0 0 0 0 0.5  0 0 0 ${strength} 0"/><feComposite in2="SourceGraphic" operator="in"/>` +
  `<feBlend in="SourceGraphic" mode="overlay"/></filter>`;

function svg(width: number, height: number, defs: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs>${defs}</defs>${body}</svg>`;
}

/** Robusta rows seen from a drone: red basalt soil, rows of round bushes with shadows, a few shade trees and a track. */
function coffeeRows(): string {
  const r = prng(11);
  let shadows = '';
  let bushes = '';
  for (let row = -12; row < 32; row++) {
    for (let i = -4; i < 30; i++) {
      const x = i * 52 + row * 12 + (r() - 0.5) * 8;
      const y = row * 40 - i * 8 + (r() - 0.5) * 8;
      if (x < -30 || x > 1230 || y < -30 || y > 930 || r() < 0.04) continue;
      const radius = 19 + r() * 6;
      shadows += `<circle cx="${f1(x + 6)}" cy="${f1(y + 7)}" r="${f1(radius)}"/>`;
      bushes += `<circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(radius)}" fill="url(#bush${Math.floor(r() * 3)})"/>`;
    }
  }
  let trees = '';
  for (let k = 0; k < 7; k++) {
    const x = r() * 1200;
    const y = r() * 900;
    const radius = 38 + r() * 22;
    trees += `<circle cx="${f1(x + 14)}" cy="${f1(y + 16)}" r="${f1(radius)}" fill="#000" opacity=".35"/><circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(radius)}" fill="url(#tree)" filter="url(#leafy)"/>`;
  }
  const bush = (id: number, light: string, dark: string) =>
    `<radialGradient id="bush${id}" cx=".38" cy=".35" r=".7"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></radialGradient>`;
  return svg(
    1200,
    900,
    bush(0, '#5f8f3a', '#1f4418') + bush(1, '#6a9a40', '#24501c') + bush(2, '#55863a', '#1b3d16') +
      '<radialGradient id="tree" cx=".4" cy=".35" r=".7"><stop offset="0" stop-color="#7fae4e"/><stop offset="1" stop-color="#2f5a22"/></radialGradient>' +
      '<linearGradient id="soil" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#9a5034"/><stop offset="1" stop-color="#7a3d27"/></linearGradient>' +
      grain('soilgrain', 0.05, 0.35) + grain('leafy', 0.06, 0.45, 7) + '<filter id="soft"><feGaussianBlur stdDeviation="1"/></filter>',
    `<rect width="1200" height="900" fill="url(#soil)" filter="url(#soilgrain)"/>` +
      `<path d="M-20 700 C 300 640 520 760 800 600 S 1100 420 1240 380" stroke="#b56a45" stroke-width="34" fill="none" opacity=".85"/>` +
      `<g filter="url(#soft)"><g fill="#2a140c" opacity=".45">${shadows}</g><g filter="url(#leafy)">${bushes}</g>${trees}</g>`,
  );
}

/** Tea terraces on a hill: curved hedges following the contour, a hazy hill behind, morning sky. */
function teaTerraces(): string {
  const r = prng(21);
  let rows = '';
  for (let k = 0; k < 17; k++) {
    const y = 250 + k * 42 + k * k * 0.9;
    const amp = 30 + k * 3;
    const phase = r() * 200;
    const path = `M-40 ${f1(y)} C ${f1(250 + phase)} ${f1(y - amp)} ${f1(650 + phase / 2)} ${f1(y + amp)} 1240 ${f1(y - amp / 2)}`;
    const width = 16 + k * 1.6;
    rows += `<path d="${path}" stroke="#2c4a1c" stroke-width="${f1(width + 10)}" fill="none" transform="translate(0 ${f1(width / 2)})" opacity=".8"/>`;
    rows += `<path d="${path}" stroke="url(#hedge)" stroke-width="${f1(width)}" stroke-linecap="round" fill="none"/>`;
  }
  return svg(
    1200,
    900,
    '<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#c9dbe6"/><stop offset="1" stop-color="#eef1e6"/></linearGradient>' +
      '<linearGradient id="hedge" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9cc95a"/><stop offset="1" stop-color="#4f8a2c"/></linearGradient>' +
      '<linearGradient id="ground" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#557a35"/><stop offset="1" stop-color="#33521f"/></linearGradient>' +
      grain('leaves', 0.12, 0.5, 5) + '<filter id="haze"><feGaussianBlur stdDeviation="6"/></filter>',
    `<rect width="1200" height="900" fill="url(#sky)"/>` +
      `<path d="M0 250 C 200 150 380 190 560 130 S 900 170 1200 110 V 330 H 0 Z" fill="#8fa7a0" filter="url(#haze)"/>` +
      `<path d="M0 300 C 260 220 520 260 760 210 S 1050 240 1200 200 V 900 H 0 Z" fill="url(#ground)"/>` +
      `<g filter="url(#leaves)">${rows}</g>`,
  );
}

/** Ripe Robusta cherries in clusters along a branch, leaves behind. */
function coffeeCherries(): string {
  const r = prng(31);
  let leaves = '';
  for (let k = 0; k < 26; k++) {
    const x = r() * 1200;
    const y = r() * 900;
    const angle = r() * 180;
    const length = 140 + r() * 120;
    leaves += `<g transform="translate(${f1(x)} ${f1(y)}) rotate(${f1(angle)})"><path d="M0 0 C ${f1(length * 0.3)} ${f1(-length * 0.22)} ${f1(length * 0.75)} ${f1(-length * 0.2)} ${f1(length)} 0 C ${f1(length * 0.75)} ${f1(length * 0.2)} ${f1(length * 0.3)} ${f1(length * 0.22)} 0 0 Z" fill="url(#leaf${k % 2})"/><path d="M0 0 L ${f1(length)} 0" stroke="#a9c77a" stroke-width="3" opacity=".6"/></g>`;
  }
  let cherries = '';
  const colours = ['cherryRed', 'cherryRed', 'cherryRed', 'cherryDark', 'cherryOrange', 'cherryGreen'];
  for (let node = 0; node < 7; node++) {
    const cx = 80 + node * 170 + (r() - 0.5) * 30;
    const cy = 640 - node * 75 + (r() - 0.5) * 20;
    for (let c = 0; c < 14; c++) {
      const a = r() * Math.PI * 2;
      const d = r() * 55;
      const x = cx + Math.cos(a) * d;
      const y = cy + Math.sin(a) * d * 0.8;
      const radius = 20 + r() * 7;
      cherries += `<ellipse cx="${f1(x + 4)}" cy="${f1(y + 6)}" rx="${f1(radius)}" ry="${f1(radius * 0.9)}" fill="#1a0a06" opacity=".45"/>`;
      cherries += `<ellipse cx="${f1(x)}" cy="${f1(y)}" rx="${f1(radius)}" ry="${f1(radius * 0.92)}" fill="url(#${colours[Math.floor(r() * colours.length)]})"/>`;
      cherries += `<circle cx="${f1(x + radius * 0.45)}" cy="${f1(y + radius * 0.1)}" r="${f1(radius * 0.12)}" fill="#3a1a10" opacity=".7"/>`;
    }
  }
  const cherry = (id: string, light: string, dark: string) =>
    `<radialGradient id="${id}" cx=".35" cy=".3" r=".75"><stop offset="0" stop-color="#fff" stop-opacity=".85"/><stop offset=".12" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></radialGradient>`;
  return svg(
    1200,
    900,
    '<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#24401c"/><stop offset="1" stop-color="#0f2010"/></linearGradient>' +
      '<linearGradient id="leaf0" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#4f7f2e"/><stop offset="1" stop-color="#254a1a"/></linearGradient>' +
      '<linearGradient id="leaf1" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3f6d27"/><stop offset="1" stop-color="#1c3a15"/></linearGradient>' +
      cherry('cherryRed', '#d2321f', '#6e0d08') + cherry('cherryDark', '#9c1f17', '#430705') + cherry('cherryOrange', '#e0782a', '#8a3a0c') + cherry('cherryGreen', '#8fb04a', '#3f5e1c') +
      '<filter id="soft"><feGaussianBlur stdDeviation="5"/></filter>' + grain('grain', 0.9, 0.25),
    `<rect width="1200" height="900" fill="url(#bg)"/><g filter="url(#soft)" opacity=".9">${leaves}</g>` +
      `<path d="M-20 700 C 300 640 700 420 1230 150" stroke="#6b4a2e" stroke-width="22" fill="none" stroke-linecap="round"/>` +
      `<g filter="url(#grain)">${cherries}</g>`,
  );
}

/** Cherries spread to dry on a tarp in the yard: dark red and brown fruits, the blue tarp showing between them. */
function dryingYard(): string {
  const r = prng(41);
  let fruit = '';
  for (let k = 0; k < 1200; k++) {
    const y = 150 + Math.pow(r(), 0.8) * 760;
    const x = r() * 1220 - 10;
    const radius = (16 + r() * 5) * (0.45 + (y / 900) * 0.7);
    fruit += `<circle cx="${f1(x)}" cy="${f1(y)}" r="${f1(radius)}" fill="url(#c${Math.floor(r() * 4)})"/>`;
  }
  const cherry = (id: number, light: string, dark: string) =>
    `<radialGradient id="c${id}" cx=".35" cy=".3" r=".7"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></radialGradient>`;
  return svg(
    1200,
    900,
    '<linearGradient id="tarp" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3d6f9c"/><stop offset="1" stop-color="#24527c"/></linearGradient>' +
      '<linearGradient id="far" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#c4d4de"/><stop offset="1" stop-color="#7a9a62"/></linearGradient>' +
      '<filter id="soft"><feGaussianBlur stdDeviation="1.2"/></filter>' + cherry(0, '#9a3424', '#3e0f09') + cherry(1, '#7a2a1c', '#2e0c08') + cherry(2, '#8c4a2a', '#3a1a0e') + cherry(3, '#6a2418', '#240907'),
    `<rect width="1200" height="900" fill="url(#tarp)"/><rect width="1200" height="160" fill="url(#far)"/>` +
      `<path d="M0 150 L 1200 120 V 170 L 0 190 Z" fill="#24527c"/><path d="M0 160 L 1200 130" stroke="#5d8db8" stroke-width="4"/>` +
      `<g filter="url(#soft)">${fruit}</g>`,
  );
}

/** Tea shoots, a bud and two leaves each, against a blurred garden. */
function teaShoots(): string {
  const r = prng(51);
  let bokeh = '';
  for (let k = 0; k < 30; k++) {
    bokeh += `<circle cx="${f1(r() * 1200)}" cy="${f1(r() * 900)}" r="${f1(50 + r() * 110)}" fill="${['#6d9b3f', '#3f6e28', '#a6c76a', '#2b4f1c'][k % 4]}" opacity=".7"/>`;
  }
  const leaf = (x: number, y: number, angle: number, length: number, fill: string) =>
    `<g transform="translate(${f1(x)} ${f1(y)}) rotate(${f1(angle)})"><path d="M0 0 C ${f1(length * 0.25)} ${f1(-length * 0.3)} ${f1(length * 0.8)} ${f1(-length * 0.22)} ${f1(length)} 0 C ${f1(length * 0.8)} ${f1(length * 0.2)} ${f1(length * 0.25)} ${f1(length * 0.3)} 0 0 Z" fill="${fill}"/>` +
    `<path d="M4 0 Q ${f1(length * 0.5)} ${f1(-length * 0.04)} ${f1(length * 0.95)} 0" stroke="#e9f3c9" stroke-width="3" fill="none" opacity=".75"/>` +
    [0.25, 0.45, 0.65].map((t) => `<path d="M${f1(length * t)} -2 l ${f1(length * 0.12)} ${f1(-length * 0.13)} M${f1(length * t)} 2 l ${f1(length * 0.12)} ${f1(length * 0.13)}" stroke="#d7e9a8" stroke-width="2" opacity=".5"/>`).join('') +
    `</g>`;
  let shoots = '';
  for (const [x, y, scale] of [[330, 860, 1.15], [640, 900, 1.3], [930, 860, 1.05]] as const) {
    const top = y - 520 * scale;
    shoots += `<path d="M${x} ${y} C ${x - 20} ${y - 200} ${x + 20} ${top + 200} ${x} ${top}" stroke="#6f8f3a" stroke-width="${f1(12 * scale)}" fill="none"/>`;
    shoots += leaf(x, top + 260 * scale, -150 - r() * 20, 230 * scale, 'url(#old)') + leaf(x, top + 200 * scale, -20 - r() * 20, 220 * scale, 'url(#old)');
    shoots += leaf(x, top + 110 * scale, -125, 150 * scale, 'url(#young)') + leaf(x, top + 70 * scale, -55, 140 * scale, 'url(#young)');
    shoots += `<path d="M${x - 14 * scale} ${top + 10} C ${x - 16 * scale} ${top - 60 * scale} ${x} ${top - 110 * scale} ${x + 4} ${top - 120 * scale} C ${x + 10 * scale} ${top - 90 * scale} ${x + 16 * scale} ${top - 40 * scale} ${x + 12 * scale} ${top + 10} Z" fill="url(#bud)"/>`;
  }
  return svg(
    1200,
    900,
    '<filter id="blur"><feGaussianBlur stdDeviation="40"/></filter>' +
      '<linearGradient id="old" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#5c9a34"/><stop offset="1" stop-color="#2f6420"/></linearGradient>' +
      '<linearGradient id="young" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c4e27a"/><stop offset="1" stop-color="#7fb442"/></linearGradient>' +
      '<linearGradient id="bud" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#e3f0b8"/><stop offset=".5" stop-color="#b8d978"/><stop offset="1" stop-color="#8fbd4f"/></linearGradient>' +
      grain('grain', 0.7, 0.3),
    `<rect width="1200" height="900" fill="#35602a"/><g filter="url(#blur)">${bokeh}</g><g filter="url(#grain)">${shoots}</g>`,
  );
}

/** A product on a light studio background: a bag's silhouette, a label with its text, a shadow. */
function productShot(o: { bag: [string, string]; label: string; ink: string; lines: Array<[string, number]>; mark: string; texture: number }): string {
  const text = o.lines
    .map(([line, size], i) => `<text x="500" y="${520 + o.lines.slice(0, i).reduce((sum, [, s]) => sum + s * 1.3, 0)}" font-size="${size}" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" fill="${o.ink}">${line}</text>`)
    .join('');
  return svg(
    1000,
    1000,
    '<radialGradient id="studio" cx=".5" cy=".4" r=".8"><stop offset="0" stop-color="#fbf8f2"/><stop offset="1" stop-color="#e2dccf"/></radialGradient>' +
      `<linearGradient id="bag" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="${o.bag[1]}"/><stop offset=".35" stop-color="${o.bag[0]}"/><stop offset=".8" stop-color="${o.bag[0]}"/><stop offset="1" stop-color="${o.bag[1]}"/></linearGradient>` +
      '<filter id="shadow"><feGaussianBlur stdDeviation="18"/></filter>' + grain('paper', o.texture, 0.45, 13),
    // The pack fills the middle 4:3 band (y 125–875), which is what a page's 4:3 hero crop keeps.
    `<rect width="1000" height="1000" fill="url(#studio)"/><g transform="translate(90 95) scale(.82)"><ellipse cx="500" cy="905" rx="300" ry="34" fill="#5a4a38" opacity=".45" filter="url(#shadow)"/>` +
      `<path d="M255 190 L 745 190 L 770 880 Q 500 905 230 880 Z" fill="url(#bag)" filter="url(#paper)"/>` +
      `<path d="M255 190 L 745 190 L 748 250 L 252 250 Z" fill="#000" opacity=".14"/><path d="M300 190 L 290 880 M700 190 L 710 880" stroke="#000" stroke-width="3" opacity=".12"/>` +
      `<rect x="300" y="330" width="400" height="440" rx="14" fill="${o.label}"/>` + o.mark + text + '</g>',
  );
}

const roastBag = () =>
  productShot({
    bag: ['#b58a58', '#8a6438'],
    label: '#2f1d12',
    ink: '#f3e3c3',
    texture: 0.6,
    mark: '<ellipse cx="500" cy="420" rx="34" ry="46" fill="#c98b4a" transform="rotate(-25 500 420)"/><path d="M486 384 Q 512 420 492 458" stroke="#2f1d12" stroke-width="7" fill="none" transform="rotate(-25 500 420)"/><circle cx="500" cy="240" r="22" fill="#3a2a1c" opacity=".7"/>',
    lines: [['CÀ PHÊ RANG XAY', 34], ['KRÔNG NĂNG', 44], ['ROBUSTA · 500 g', 28], ['Đắk Lắk', 26]],
  });

const teaPacket = () =>
  productShot({
    bag: ['#2f7a45', '#1d5130'],
    label: '#f1e6c4',
    ink: '#1f4a2c',
    texture: 0.4,
    mark: '<path d="M440 450 C 450 380 520 360 570 380 C 560 440 500 470 440 450 Z" fill="#3f8a3a"/><path d="M445 448 Q 500 410 565 382" stroke="#f1e6c4" stroke-width="4" fill="none"/>',
    lines: [['CHÈ TÂN CƯƠNG', 38], ['ĐẶC BIỆT', 46], ['200 g', 30], ['Thái Nguyên', 26]],
  });

/** Green Robusta beans spilling from an open jute sack. */
function greenBeans(): string {
  const r = prng(61);
  let beans = '';
  for (let k = 0; k < 620; k++) {
    const a = r() * Math.PI * 2;
    const d = Math.sqrt(r());
    const x = 500 + Math.cos(a) * d * (k < 460 ? 330 : 420);
    const y = k < 460 ? 470 + Math.sin(a) * d * 105 : 880 + Math.sin(a) * d * 55;
    const rot = r() * 180;
    const shade = ['#a9a77a', '#9c9a6c', '#b7b48a', '#8f8f62', '#c2bf95'][Math.floor(r() * 5)];
    beans += `<g transform="translate(${f1(x)} ${f1(y)}) rotate(${f1(rot)})"><ellipse rx="17" ry="12" fill="${shade}"/><path d="M-13 0 Q 0 4 13 0" stroke="#5f5d3c" stroke-width="2.5" fill="none"/></g>`;
  }
  return svg(
    1000,
    1000,
    '<radialGradient id="studio" cx=".5" cy=".4" r=".8"><stop offset="0" stop-color="#f7f3ea"/><stop offset="1" stop-color="#d9d1c0"/></radialGradient>' +
      '<linearGradient id="jute" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#8a6a3e"/><stop offset=".4" stop-color="#b8955e"/><stop offset="1" stop-color="#7a5c34"/></linearGradient>' +
      grain('weave', 0.45, 0.9, 17) + '<filter id="shadow"><feGaussianBlur stdDeviation="10"/></filter>',
    `<rect width="1000" height="1000" fill="url(#studio)"/><g transform="translate(75 -20) scale(.85)">` +
      `<path d="M140 470 C 120 620 150 760 200 820 L 800 820 C 850 760 880 620 860 470 Z" fill="url(#jute)" filter="url(#weave)"/>` +
      `<ellipse cx="500" cy="470" rx="360" ry="120" fill="#6d5230" filter="url(#weave)"/><ellipse cx="500" cy="478" rx="330" ry="100" fill="#3d2f1c"/>` +
      `<text x="500" y="690" font-size="54" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" fill="#3d2a14" opacity=".75">KRÔNG NĂNG · S16</text>` +
      `<g filter="url(#shadow)" opacity=".35"><ellipse cx="500" cy="880" rx="420" ry="70" fill="#3d2f1c"/></g>${beans}</g>`,
  );
}

/** A round logo: a ring in the organization's colours and a mark (no words: it must read at the size of a QR code's centre). */
function logo(o: { ring: string; fill: string; mark: string }): string {
  return svg(512, 512, '', `<circle cx="256" cy="256" r="250" fill="${o.ring}"/><circle cx="256" cy="256" r="196" fill="${o.fill}"/>${o.mark}`);
}

const IMAGES: Array<{ file: string; draw: () => string; format: 'jpeg' | 'webp' | 'png'; quality?: number }> = [
  { file: 'plot-coffee-rows.webp', draw: coffeeRows, format: 'webp', quality: 42 },
  { file: 'plot-tea-terraces.webp', draw: teaTerraces, format: 'webp', quality: 62 },
  { file: 'harvest-coffee-cherries.webp', draw: coffeeCherries, format: 'webp', quality: 70 },
  { file: 'drying-coffee-cherries.webp', draw: dryingYard, format: 'webp', quality: 40 },
  { file: 'harvest-tea-shoots.webp', draw: teaShoots, format: 'webp', quality: 70 },
  { file: 'product-roast-coffee.jpg', draw: roastBag, format: 'jpeg', quality: 70 },
  { file: 'product-green-coffee.jpg', draw: greenBeans, format: 'jpeg', quality: 58 },
  { file: 'product-tea.jpg', draw: teaPacket, format: 'jpeg', quality: 72 },
  {
    file: 'logo-krong-nang-coffee.png',
    format: 'png',
    draw: () =>
      logo({
        ring: '#4a2c1a',
        fill: '#f4ead5',
        mark: '<ellipse cx="256" cy="290" rx="70" ry="95" fill="#6b3b1f" transform="rotate(-20 256 290)"/><path d="M236 205 Q 290 290 246 380" stroke="#f4ead5" stroke-width="14" fill="none" transform="rotate(-20 256 290)"/><path d="M300 170 C 330 130 380 130 400 150 C 370 180 330 190 300 170 Z" fill="#3f7a2f"/>',
      }),
  },
  {
    file: 'logo-bmt-roastery.png',
    format: 'png',
    draw: () =>
      logo({
        ring: '#1f1a17',
        fill: '#c8842f',
        mark: '<path d="M166 250 H 346 V 300 C 346 360 306 390 256 390 C 206 390 166 360 166 300 Z" fill="#fff"/><path d="M346 270 C 396 270 396 330 346 330" stroke="#fff" stroke-width="16" fill="none"/><path d="M220 230 C 200 200 240 180 220 150 M260 230 C 240 200 280 180 260 150 M300 230 C 280 200 320 180 300 150" stroke="#fff" stroke-width="10" fill="none" stroke-linecap="round"/>',
      }),
  },
  {
    file: 'logo-tan-cuong-tea.png',
    format: 'png',
    draw: () =>
      logo({
        ring: '#1d5130',
        fill: '#eef5e1',
        mark: '<path d="M170 330 C 170 220 270 170 370 190 C 360 290 290 350 170 330 Z" fill="#3f8a3a"/><path d="M175 325 Q 270 260 365 195" stroke="#eef5e1" stroke-width="9" fill="none"/><path d="M230 300 l 10 -40 M280 265 l 10 -38 M320 232 l 10 -30" stroke="#eef5e1" stroke-width="6"/>',
      }),
  },
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const image of IMAGES) {
    const rendered = sharp(Buffer.from(image.draw()));
    const bytes =
      image.format === 'jpeg'
        ? await rendered.jpeg({ quality: image.quality ?? 70, mozjpeg: true, chromaSubsampling: '4:2:0' }).toBuffer()
        : image.format === 'webp'
          ? await rendered.webp({ quality: image.quality ?? 70, effort: 6 }).toBuffer()
          : await rendered.png({ palette: true, colours: 48, compressionLevel: 9 }).toBuffer();
    writeFileSync(path.join(OUT, image.file), bytes);
    console.log(`${image.file}: ${(bytes.length / 1024).toFixed(1)} KB`);
  }
}

await main();
