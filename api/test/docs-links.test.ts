import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/**
 * The documentation is a set of Markdown files that link to each other and into the code. These
 * tests follow every relative link, so a moved or renamed file, or a renamed heading, fails here
 * instead of in a reader's browser. Links to other sites are not fetched.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Folders never searched: installed packages, git's own files, and what the service and the browser tests write at run time. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'test-artifacts']);
const SKIPPED_TOP_FOLDERS = new Set(['data']);
const README_MAX_LINES = 250;
/** Spelled in two parts so that this file does not match its own search. */
const OUTSIDE_DESIGN_DOCUMENT = ['shared', 'DESIGN.md'].join('/');

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_FOLDERS.has(entry.name) || (dir === ROOT && SKIPPED_TOP_FOLDERS.has(entry.name))) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, keep));
    else if (entry.isFile() && keep(full)) found.push(full);
  }
  return found;
}

const markdownFiles = (): string[] => filesUnder(ROOT, (file) => file.endsWith('.md'));
const relative = (file: string): string => path.relative(ROOT, file);

/** The lines of a Markdown file outside fenced code blocks, with inline code spans blanked out. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((text, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      return;
    }
    if (fence === null) lines.push({ line: i + 1, text: text.replace(/(`+)[^`]*?\1/g, '') });
  });
  return lines;
}

interface Link {
  line: number;
  target: string;
}

/** Inline links and images `[text](target "title")`, reference definitions `[id]: target`, and `<a href>`. */
function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { line, text } of proseLines(markdown)) {
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line, target: m[1]! });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(text);
    if (definition) links.push({ line, target: definition[1]! });
    for (const m of text.matchAll(/<a\s[^>]*href="([^"]+)"/gi)) links.push({ line, target: m[1]! });
  }
  return links;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * GitHub's anchor for a heading: the rendered text (code spans and links reduced to their text),
 * lower-cased, every character that is not a letter, mark, digit, connector, space or hyphen
 * removed, spaces turned into hyphens; a repeated anchor gets -1, -2, ….
 */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its ATX headings (setext headings are not used here) and explicit `id`/`name` attributes. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const text of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (heading) {
      const slug = githubSlug(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const m of text.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/gi)) anchors.add(m[1]!);
  }
  return anchors;
}

/** What is wrong with each relative link of `file` (read from disk unless given), as "file:line → target: reason". */
function brokenLinks(file: string, markdown = readFileSync(file, 'utf8')): string[] {
  const problems: string[] = [];
  for (const { line, target } of linksOf(markdown)) {
    if (isExternal(target)) continue;
    const [pathPart = '', fragment] = target.split('#', 2);
    const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
    const where = `${relative(file)}:${line} → ${target}`;
    if (!resolved.startsWith(ROOT + path.sep) && resolved !== ROOT) {
      problems.push(`${where}: points outside the repository`);
      continue;
    }
    if (resolved !== file && !existsSync(resolved)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (fragment && resolved.endsWith('.md') && (resolved === file || statSync(resolved).isFile())) {
      const target = resolved === file ? markdown : readFileSync(resolved, 'utf8');
      if (!anchorsOf(target).has(decodeURIComponent(fragment))) problems.push(`${where}: no heading with that anchor in ${relative(resolved)}`);
    }
  }
  return problems;
}

describe('documentation links', function () {
  it('when the repository is searched for Markdown, then the README, CONTRIBUTING, the docs and the fixtures’ READMEs are all found', function () {
    const found = markdownFiles().map(relative);
    expect(found).to.include.members([
      'README.md',
      'CONTRIBUTING.md',
      path.join('docs', 'architecture.md'),
      path.join('docs', 'THREATS.md'),
      path.join('docs', 'adr', '0001-storage-port-and-contract-suite.md'),
      path.join('web', 'README.md'),
      path.join('web', 'console', 'README.md'),
      path.join('api', 'test', 'fixtures', 'epcis-examples', 'README.md'),
    ]);
    expect(found.filter((file) => file.split(path.sep).includes('node_modules'))).to.be.empty;
  });

  it('when headings are turned into anchors, then they match the anchors GitHub gives them', function () {
    expect(githubSlug('Rotating `KEY_ENCRYPTION_KEY`')).to.equal('rotating-key_encryption_key');
    expect(githubSlug('Fuzzing (`npm run fuzz`)')).to.equal('fuzzing-npm-run-fuzz');
    expect(githubSlug('What the log protects against, and what it does not')).to.equal('what-the-log-protects-against-and-what-it-does-not');
    expect(githubSlug('docker-compose (MongoDB)')).to.equal('docker-compose-mongodb');
    expect(githubSlug('0005 SQLite with `synchronous=FULL`')).to.equal('0005-sqlite-with-synchronousfull');
    expect(githubSlug('Bảo mật và [liên kết](x.md)')).to.equal('bảo-mật-và-liên-kết');
    expect([...anchorsOf('# Notes\n\n```sh\n# not a heading\n```\n\n## Notes\n')]).to.deep.equal(['notes', 'notes-1']);
  });

  it('when links are read from Markdown, then inline links, definitions and <a href> count, and code spans and fences do not', function () {
    const links = linksOf('See [a](missing.md "title"), `[c](in-code.md)` and <a href="gone.md">d</a>.\n\n```\n[e](in-fence.md)\n```\n[f]: ../up.md\n');
    expect(links.map((l) => l.target)).to.deep.equal(['missing.md', 'gone.md', '../up.md']);
  });

  it('when a link leads nowhere, then the check reports the file, the line and why', function () {
    const file = path.join(ROOT, 'docs', 'an-example.md');
    const markdown = '# Example\n\n[fine](architecture.md#the-event-pipeline), [self](#example), [nowhere](#nowhere), [web](https://example.com/x.md)\n[gone](no-such-page.md)\n[anchor](architecture.md#no-such-heading) [out](../../outside.md)\n';
    expect(brokenLinks(file, markdown)).to.deep.equal([
      `${path.join('docs', 'an-example.md')}:3 → #nowhere: no heading with that anchor in ${path.join('docs', 'an-example.md')}`,
      `${path.join('docs', 'an-example.md')}:4 → no-such-page.md: no such file`,
      `${path.join('docs', 'an-example.md')}:5 → architecture.md#no-such-heading: no heading with that anchor in ${path.join('docs', 'architecture.md')}`,
      `${path.join('docs', 'an-example.md')}:5 → ../../outside.md: points outside the repository`,
    ]);
  });

  it('when every relative link in every Markdown file is followed, then it leads to an existing file or folder, and a #fragment to a heading of the target', function () {
    const problems = markdownFiles().flatMap((file) => brokenLinks(file));
    expect(problems, problems.join('\n')).to.be.empty;
  });

  it('when the Markdown and source files are searched, then none refers to the design document outside the repository', function () {
    const referring = filesUnder(ROOT, () => true)
      .filter((file) => {
        const bytes = readFileSync(file);
        return !bytes.includes(0) && bytes.toString('utf8').includes(OUTSIDE_DESIGN_DOCUMENT);
      })
      .map(relative);
    expect(referring).to.be.empty;
  });

  it(`when the README is read, then it is a landing page of at most ${README_MAX_LINES} lines`, function () {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\n$/, '').split('\n');
    expect(lines.length).to.be.at.most(README_MAX_LINES);
  });
});
