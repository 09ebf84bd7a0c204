import type { LotOrigin } from '../../api/src/modules/resolver/service.js';
import type { MediaRecord, OrganizationRecord } from '../../api/src/store/port.js';
import { lotStory, type LotStory, type Photo } from './lot-story.js';
import type { Lang, Messages } from './messages.js';
import { productTitle } from './product-page.js';
import { publicName, publicProducers } from './public-names.js';

/** What the lot page's parts share: the story, and the answers to where, who and what it is. */
export interface LotView {
  origin: LotOrigin;
  lang: Lang;
  m: Messages;
  story: LotStory;
  name: string;
  /** The lot's Digital Link: the page in the default language. */
  page: string;
  /** The product's photo (else the first photo of the lot's history): its renditions. */
  photo: Photo['renditions'];
  /** The cooperatives (and other organizations) that grew it; households stand for their cooperative. */
  producers: OrganizationRecord[];
  unnamedHouseholds: number;
  /** The organization responsible for the lot as the page may name it (a household stands for its cooperative, else is left out). */
  owner: OrganizationRecord | null;
  /** That organization, when it is not among the producers (the roaster that packed it). */
  packer: OrganizationRecord | null;
  provinces: string[];
  communes: string[];
  /** Total area of the plots, measured else declared; null when a plot has neither. */
  areaHa: number | null;
}

const unique = (values: Array<string | null | undefined>): string[] => [...new Set(values.filter((v): v is string => Boolean(v)))];

export function lotView(origin: LotOrigin, lang: Lang, m: Messages): LotView {
  const story = lotStory(origin, (org) => publicName(org, origin.memberOf, m));
  const growers = story.plots.map((p) => p.farmerOrg);
  const { producers, unnamedHouseholds } = publicProducers(growers, origin.memberOf);
  const owner = origin.owner ? (publicProducers([origin.owner], origin.memberOf).producers[0] ?? null) : null;
  if (!producers.length && owner) producers.push(owner);
  // Where it was grown: the growers' province and commune (never a street: a household's address is its home).
  const placed = growers.some(Boolean) ? growers : producers;
  const areas = story.plots.map((p) => p.areaHa ?? p.declaredAreaHa);
  const photo =
    (origin.productPhotos[0] as MediaRecord | undefined)?.renditions ??
    story.plots.flatMap((p) => p.photos)[0]?.renditions ??
    story.steps.flatMap((s) => s.photos)[0]?.renditions ??
    [];
  return {
    origin,
    lang,
    m,
    story,
    name: productTitle(origin.product, origin.batch.product, lang),
    page: origin.links['https://gs1.org/voc/pip']![0]!.href,
    photo,
    producers,
    unnamedHouseholds,
    owner,
    packer: owner && !producers.some((p) => p.id === owner.id) ? owner : null,
    provinces: unique(placed.map((o) => o?.address.province)),
    communes: unique(placed.map((o) => o?.address.commune)),
    areaHa: areas.length && areas.every((a) => a !== null) ? areas.reduce((s: number, a) => s + a!, 0) : null,
  };
}
