import type { ResolverMiss } from '../../api/src/modules/resolver/origin-page-renderer.js';
import { renderDocument } from './layout.js';
import type { Lang, Messages } from './messages.js';

/**
 * What a person who scanned a code sees when it leads nowhere. A code whose GTIN is ours but
 * whose lot is not warns that the pack may not be genuine.
 */
export function renderResolverMiss(miss: ResolverMiss, lang: Lang, m: Messages, self: string): string {
  const e = m.errors;
  const title = miss.kind === 'not-registered' ? e.notRegisteredTitle : miss.kind === 'bad-syntax' ? e.badCodeTitle : e.notFoundTitle;
  const body = (
    <>
      <h1>{title}</h1>
      {miss.kind === 'not-registered' ? (
        <>
          <p class="warn" role="alert">
            {e.notRegistered(miss.item.lot ? e.lot(miss.item.lot) : e.serial(miss.item.serial ?? ''), miss.productName)}
          </p>
          <p>
            <a href={miss.productLink}>{e.seeProduct}</a>
          </p>
        </>
      ) : miss.kind === 'bad-syntax' ? (
        <>
          <p class="warn" role="alert">
            {e.badCode}
          </p>
          <p class="small">
            {e.rule}: {(e.rules as Record<string, string>)[miss.rule] ?? miss.rule}
          </p>
        </>
      ) : (
        <p>{e.notFound}</p>
      )}
    </>
  );
  return renderDocument(lang, m, { title, description: title, canonical: null, image: null, ogType: 'website', linkset: null, self, chosen: true }, body);
}
