import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import sharp from 'sharp';
import request from 'supertest';
import type { ProvenanceBundle } from '../src/verifier/bundle-format.js';
import { verifyBundle } from '../src/verifier/verify-bundle.js';
import { startHarness, squarePlot, type Harness } from './support/harness.js';
import { withRawBody } from './support/raw-body.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROBLEM = /application\/problem\+json/;
const SHA256 = /^[0-9a-f]{64}$/;

interface Rendition {
  width: number;
  url: string;
  sha256?: string;
}

interface MediaItem {
  id: string;
  sha256: string;
  mediaType: string;
  width: number | null;
  height: number | null;
  renditions: Rendition[];
  evidence: { takenAt: string | null; gps: { lat: number; lon: number } | null };
  attachesTo: string | null;
  eventId: string;
}

interface StepView {
  id: string;
  eventID: string;
  type: string;
  orgId: string;
  event: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Test files

/** EXIF as a phone writes it: camera, serial, capture time with offset, GPS (13.0415278 N, 108.3726111 E). */
const CAMERA_EXIF = {
  IFD0: { Make: 'TestPhone', Model: 'TP-1' },
  IFD2: { DateTimeOriginal: '2025:11:19 07:30:12', OffsetTimeOriginal: '+07:00', BodySerialNumber: 'SERIAL-7731-XYZ' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '13/1 2/1 29.5/1', GPSLongitudeRef: 'E', GPSLongitude: '108/1 22/1 21.4/1' },
};
const EXPECTED_LAT = 13 + 2 / 60 + 29.5 / 3600; // 13.0415278
const EXPECTED_LON = 108 + 22 / 60 + 21.4 / 3600; // 108.3726111

let colour = 0;
/** A distinct plain background each call, so each generated image has its own hash. */
const nextBackground = () => {
  colour += 1;
  return { r: (colour * 37) % 256, g: (colour * 91) % 256, b: (colour * 53) % 256 };
};

const plain = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: nextBackground() } });

const jpegWithExif = (width = 800, height = 600): Promise<Buffer> => plain(width, height).jpeg().withExif(CAMERA_EXIF).toBuffer();
const jpegPlain = (width = 640, height = 480): Promise<Buffer> => plain(width, height).jpeg().toBuffer();
const pngPlain = (width = 300, height = 200): Promise<Buffer> => plain(width, height).png().toBuffer();
const webpPlain = (width = 300, height = 200): Promise<Buffer> => plain(width, height).webp().toBuffer();
const gifPlain = (): Promise<Buffer> => plain(40, 30).gif().toBuffer();
/** Random pixels: barely compressible. */
const noisyJpeg = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: nextBackground(), noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .jpeg({ quality: 95 })
    .toBuffer();

/** A small but complete PDF (one empty page) with a correct xref table, ending in %%EOF. */
function minimalPdf(note = 'farm-trace'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Note (${note}) >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/**
 * A decompression bomb: a valid 1-bit greyscale PNG of 10000×10000 pixels (100 megapixels, well
 * over the default 40 MP limit) whose all-zero pixel data deflates to a few kilobytes.
 */
function pngBomb(side = 10_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(side * (1 + Math.ceil(side / 8))); // filter byte 0 + zero pixels, each row
  const idat = zlib.deflateSync(raw, { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

type Metadata = Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------------
// Blob folders

/** Every file under `dir`, as paths relative to `dir` (none when it does not exist). */
function walk(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name), path.join(prefix, entry.name)) : [path.join(prefix, entry.name)],
  );
}

const blobsDir = (h: Harness) => path.join(h.dir, 'blobs');

interface BlobSnapshot {
  stored: string[];
  tmp: string[];
}

function blobSnapshot(h: Harness): BlobSnapshot {
  const root = blobsDir(h);
  return {
    stored: [...walk(path.join(root, 'originals')).map((f) => `originals/${f}`), ...walk(path.join(root, 'renditions')).map((f) => `renditions/${f}`)].sort(),
    tmp: walk(path.join(root, 'tmp')),
  };
}

const renditionFile = (h: Harness, sha: string) => path.join(blobsDir(h), 'renditions', sha.slice(0, 2), sha);
const originalFile = (h: Harness, sha: string) => path.join(blobsDir(h), 'originals', sha.slice(0, 2), sha);

// ---------------------------------------------------------------------------------------------
// HTTP helpers

/** Reads any response body as raw bytes. */

const getBytes = (h: Harness, url: string, auth?: string) => {
  const req = withRawBody(request(h.app).get(url));
  return auth ? req.set('Authorization', auth) : req;
};

/** POST of files in the multipart field `field` (default "file", repeated per file). */
function upload(h: Harness, url: string, auth: string | null, files: Array<[Buffer, string]>, field = 'file') {
  let req = request(h.app).post(url);
  if (auth) req = req.set('Authorization', auth);
  for (const [bytes, name] of files) req = req.attach(field, bytes, name);
  return req;
}

/** The problem document of a response (also when it was read as raw bytes). */
function problemOf(res: request.Response): { status?: number; title?: string; detail?: string; errors?: Array<{ path: string; message: string }> } {
  return Buffer.isBuffer(res.body) ? JSON.parse(res.body.toString('utf8')) : res.body;
}

function expectProblem(res: request.Response, status: number, errorPath?: string): void {
  const problem = problemOf(res);
  expect(res.status, JSON.stringify(problem)).to.equal(status);
  expect(res.headers['content-type']).to.match(PROBLEM);
  expect(problem.status).to.equal(status);
  expect(problem.title).to.be.a('string');
  if (errorPath !== undefined) expect(problem.errors?.[0]?.path, JSON.stringify(problem)).to.equal(errorPath);
}

const pathOf = (url: string) => new URL(url).pathname;

let shift = 0;

/** A fresh plot and lot of `auth`'s organization (coop@); returns the lot id. */
async function newLot(h: Harness, auth: string): Promise<string> {
  shift += 0.002;
  const plot = await request(h.app)
    .post('/api/v1/plots')
    .set('Authorization', auth)
    .send({ name: `Rẫy ảnh ${shift.toFixed(3)}`, crops: ['coffee-robusta'], geometry: squarePlot(0.6 + shift) });
  expect(plot.status, JSON.stringify(plot.body)).to.equal(201);
  const harvestedAt = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  const lot = await request(h.app)
    .post('/api/v1/batches')
    .set('Authorization', auth)
    .send({ plotIds: [plot.body.id], product: 'Cà phê Robusta quả tươi', harvestedAt, quantity: { value: 1000, unit: 'kg' } });
  expect(lot.status, JSON.stringify(lot.body)).to.equal(201);
  return lot.body.id as string;
}

async function stepsOf(h: Harness, lotId: string, auth: string): Promise<StepView[]> {
  const res = await request(h.app).get(`/api/v1/batches/${lotId}/steps?limit=500`).set('Authorization', auth);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.items as StepView[];
}

async function lotByNumber(h: Harness, auth: string, lotNumber: string): Promise<{ id: string; published: boolean }> {
  const res = await request(h.app).get('/api/v1/batches?limit=500').set('Authorization', auth).expect(200);
  const lot = (res.body.items as Array<{ id: string; lotNumber: string; published: boolean }>).find((l) => l.lotNumber === lotNumber);
  expect(lot, `lot ${lotNumber}`).to.not.equal(undefined);
  return lot!;
}

const at = (hoursAgo: number) => `${new Date(Date.now() - hoursAgo * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

async function addStep(h: Harness, lotId: string, body: Record<string, unknown>, auth: string): Promise<StepView> {
  const res = await request(h.app).post(`/api/v1/batches/${lotId}/steps`).set('Authorization', auth).send(body);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as StepView;
}

/** Fetches a rendition without a token and checks what every public rendition must be. */
async function expectPublicRendition(h: Harness, r: Rendition): Promise<{ bytes: Buffer; meta: Metadata }> {
  const url = pathOf(r.url);
  expect(url).to.match(/^\/media\/[0-9a-f]{64}\.webp$/);
  const res = await getBytes(h, url);
  expect(res.status, `GET ${url}`).to.equal(200);
  expect(res.headers['content-type']).to.match(/^image\/webp/);
  expect(res.headers['cache-control']).to.include('immutable');
  const bytes = res.body as Buffer;
  const meta = await sharp(bytes).metadata();
  expect(meta.format).to.equal('webp');
  expect(meta.width, `width of ${url}`).to.equal(r.width);
  expect(meta.exif, 'EXIF in a public rendition').to.equal(undefined);
  expect(meta.xmp, 'XMP in a public rendition').to.equal(undefined);
  expect(bytes.includes(Buffer.from('SERIAL-7731-XYZ')), 'camera serial in a public rendition').to.equal(false);
  if (r.sha256) expect(sha256(bytes)).to.equal(r.sha256);
  return { bytes, meta };
}

/** Starts the async child process (the test's own server must keep answering while it runs). */
function runVerifyCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function reservePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------

describe('Media uploads', function () {
  this.timeout(60_000);

  describe('photos and documents on a lot', () => {
    let h: Harness;
    let coop: string;
    let lotId: string;

    beforeEach(async () => {
      h = await startHarness({ seed: true });
      coop = await h.login('coop@demo.test');
      lotId = await newLot(h, coop);
    });
    afterEach(() => h.close());

    it('when a JPEG with EXIF GPS and capture time is uploaded to a lot in the coop’s custody, then it answers 201 with its SHA-256, the GPS and time as evidence, and public metadata-free WebP renditions', async () => {
      const photo = await jpegWithExif(800, 600);
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'drying.jpg']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const items = res.body.items as MediaItem[];
      expect(items).to.have.length(1);
      const item = items[0]!;
      expect(item.id).to.be.a('string').and.not.empty;
      expect(item.sha256).to.equal(sha256(photo));
      expect(item.mediaType).to.equal('image/jpeg');
      expect(item.evidence.takenAt).to.equal('2025-11-19T07:30:12+07:00');
      expect(item.evidence.gps).to.not.equal(null);
      expect(item.evidence.gps!.lat).to.be.closeTo(EXPECTED_LAT, 1e-6);
      expect(item.evidence.gps!.lon).to.be.closeTo(EXPECTED_LON, 1e-6);
      expect(item.evidence.gps!.lat).to.be.closeTo(13.0415278, 1e-6);
      expect(item.evidence.gps!.lon).to.be.closeTo(108.3726111, 1e-6);

      expect(item.renditions).to.not.be.empty;
      for (const r of item.renditions) expect(r.width).to.be.at.most(800);
      expect(new Set(item.renditions.map((r) => r.width)).size, 'distinct widths').to.equal(item.renditions.length);
      for (const r of item.renditions) await expectPublicRendition(h, r);

      // The original is stored under its hash with the metadata intact; the renditions are elsewhere.
      expect(readFileSync(originalFile(h, item.sha256)).equals(photo)).to.equal(true);
      expect(existsSync(renditionFile(h, item.sha256)), 'an original stored as a rendition').to.equal(false);
    });

    it('when a JPEG without EXIF is uploaded, then its evidence is {takenAt: null, gps: null}', async () => {
      const photo = await jpegPlain(640, 480);
      expect((await sharp(photo).metadata()).exif).to.equal(undefined);
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'plain.jpg']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const item = (res.body.items as MediaItem[])[0]!;
      expect(item.evidence).to.deep.equal({ takenAt: null, gps: null });
      expect(item.sha256).to.equal(sha256(photo));
      expect(item.renditions).to.not.be.empty;
    });

    it('when the EXIF GPS is south and west and the capture time has no offset, then the evidence has negative coordinates and Vietnam time (+07:00) is assumed', async () => {
      const photo = await plain(400, 300)
        .jpeg()
        .withExif({
          IFD0: { Make: 'TestPhone' },
          IFD2: { DateTimeOriginal: '2025:12:01 16:05:00' },
          IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '8/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '35/1 15/1 36/1' },
        })
        .toBuffer();
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'south.jpg']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const { evidence } = (res.body.items as MediaItem[])[0]!;
      expect(evidence.takenAt).to.equal('2025-12-01T16:05:00+07:00');
      expect(evidence.gps!.lat).to.be.closeTo(-8.5, 1e-6);
      expect(evidence.gps!.lon).to.be.closeTo(-(35 + 15 / 60 + 36 / 3600), 1e-6);
    });

    it('when a JPEG has EXIF orientation 6, then its renditions are auto-oriented: width and height swapped relative to the stored pixels', async () => {
      const photo = await plain(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
      const stored = await sharp(photo).metadata();
      expect([stored.width, stored.height, stored.orientation]).to.deep.equal([400, 200, 6]);
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'sideways.jpg']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const item = (res.body.items as MediaItem[])[0]!;
      expect([item.width, item.height]).to.deep.equal([200, 400]);
      expect(item.renditions).to.not.be.empty;
      for (const r of item.renditions) {
        const { meta } = await expectPublicRendition(h, r);
        expect(meta.height! > meta.width!, `rendition ${meta.width}×${meta.height} is portrait`).to.equal(true);
        expect(meta.height).to.equal(meta.width! * 2);
        expect(meta.orientation ?? 1, 'no orientation tag left to apply').to.equal(1);
      }
      expect(item.renditions.map((r) => r.width)).to.include(200);
    });

    it('when a minimal valid PDF is uploaded, then it is stored as application/pdf with no renditions and the original downloads byte for byte', async () => {
      const pdf = minimalPdf();
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[pdf, 'certificate.pdf']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const item = (res.body.items as MediaItem[])[0]!;
      expect(item.mediaType).to.equal('application/pdf');
      expect(item.renditions).to.deep.equal([]);
      expect(item.sha256).to.equal(sha256(pdf));
      expect(item.evidence).to.deep.equal({ takenAt: null, gps: null });
      const original = await getBytes(h, `/api/v1/media/${item.id}/original`, coop);
      expect(original.status).to.equal(200);
      expect(original.headers['content-type']).to.match(/^application\/pdf/);
      expect((original.body as Buffer).equals(pdf)).to.equal(true);
    });

    it('when a PNG, a WebP and a JPEG are sent in one request (field "file" repeated), then there is one item each and ONE signed media event on the lot lists all three hashes', async () => {
      const png = await pngPlain();
      const webp = await webpPlain();
      const jpeg = await jpegPlain();
      const before = await stepsOf(h, lotId, coop);
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [
        [png, 'a.png'],
        [webp, 'b.webp'],
        [jpeg, 'c.jpg'],
      ]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const items = res.body.items as MediaItem[];
      expect(items.map((i) => i.mediaType)).to.deep.equal(['image/png', 'image/webp', 'image/jpeg']);
      expect(items.map((i) => i.sha256)).to.deep.equal([sha256(png), sha256(webp), sha256(jpeg)]);
      expect(new Set(items.map((i) => i.id)).size).to.equal(3);
      for (const item of items) {
        expect(item.renditions).to.not.be.empty;
        for (const r of item.renditions) await expectPublicRendition(h, r);
      }

      const after = await stepsOf(h, lotId, coop);
      expect(after).to.have.length(before.length + 1);
      const added = after.filter((s) => !before.some((b) => b.id === s.id));
      expect(added).to.have.length(1);
      const mediaStep = added[0]!;
      expect(mediaStep.type).to.equal('media');
      expect(mediaStep.event['ft:stepType']).to.equal('media');
      expect(mediaStep.event['ft:media']).to.deep.equal(items.map((i) => i.sha256));
      expect(new Set(items.map((i) => i.eventId))).to.deep.equal(new Set([mediaStep.eventID]));
      expect(after.filter((s) => s.type === 'media')).to.have.length(1);
    });

    it('when a PNG is named photo.pdf, then the content decides: it is stored as image/png with renditions', async () => {
      const png = await pngPlain();
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[png, 'photo.pdf']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const item = (res.body.items as MediaItem[])[0]!;
      expect(item.mediaType).to.equal('image/png');
      expect(item.renditions).to.not.be.empty;
    });
  });

  describe('rejected uploads write nothing', () => {
    interface Rejection {
      title: string;
      env?: Record<string, string>;
      /** Builds the request (auth set) to the lot's media URL. */
      send: (req: request.Test) => PromiseLike<request.Response>;
      status: number;
      errorPath?: string;
      detail?: RegExp;
    }

    const attach = (files: Array<[Buffer, string]>, field = 'file') => (req: request.Test) => {
      for (const [bytes, name] of files) req = req.attach(field, bytes, name);
      return req;
    };

    const cases: Rejection[] = [
      {
        title: 'when a text file is named x.jpg, then it answers 415 at file[0]',
        send: attach([[Buffer.from('just some text, not a photo at all\n'.repeat(20)), 'x.jpg']]),
        status: 415,
        errorPath: 'file[0]',
      },
      {
        title: 'when a GIF is uploaded, then it answers 415 at file[0]',
        send: async (req) => attach([[await gifPlain(), 'anim.gif']])(req),
        status: 415,
        errorPath: 'file[0]',
      },
      {
        title: 'when the second of two files is a text file, then it answers 415 at file[1] and the good first file is not stored either',
        send: async (req) => attach([
          [await pngPlain(), 'good.png'],
          [Buffer.from('%not an image%'.repeat(10)), 'bad.png'],
        ])(req),
        status: 415,
        errorPath: 'file[1]',
      },
      {
        title: 'when a zero-byte file is uploaded, then it answers 400',
        send: attach([[Buffer.alloc(0), 'empty.jpg']]),
        status: 400,
        errorPath: 'file[0]',
      },
      {
        title: 'when a truncated JPEG (first half of a real one) is uploaded, then it answers 400 at file[0]',
        send: async (req) => {
          const full = await noisyJpeg(400, 300);
          return attach([[full.subarray(0, Math.floor(full.length / 2)), 'half.jpg']])(req);
        },
        status: 400,
        errorPath: 'file[0]',
      },
      {
        title: 'when a PNG decompression bomb (10000×10000 px in a few KB) is uploaded, then it answers 413 naming the pixel limit',
        send: attach([[pngBomb(), 'bomb.png']]),
        status: 413,
        errorPath: 'file[0]',
        detail: /40,000,000 pixels/,
      },
      {
        title: 'when MEDIA_MAX_PIXELS is 1000000 and a 2000×1000 image is uploaded, then it answers 413 naming the pixel limit',
        env: { MEDIA_MAX_PIXELS: '1000000' },
        send: async (req) => attach([[await pngPlain(2000, 1000), 'wide.png']])(req),
        status: 413,
        errorPath: 'file[0]',
        detail: /1,000,000 pixels/,
      },
      {
        title: 'when MEDIA_MAX_FILE_MB is 1 and a 1.5 MB file is uploaded, then it answers 413',
        env: { MEDIA_MAX_FILE_MB: '1' },
        send: attach([[Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(1.5 * 1024 * 1024)]), 'big.jpg']]),
        status: 413,
        detail: /1 MB/,
      },
      {
        title: 'when MEDIA_MAX_FILES is 2 and three files are sent, then it answers 413',
        env: { MEDIA_MAX_FILES: '2' },
        send: async (req) => attach([
          [await pngPlain(), 'a.png'],
          [await pngPlain(), 'b.png'],
          [await pngPlain(), 'c.png'],
        ])(req),
        status: 413,
      },
      {
        title: 'when the file is sent in a field named "photo", then it answers 400 naming that field',
        send: async (req) => attach([[await pngPlain(), 'a.png']], 'photo')(req),
        status: 400,
        errorPath: 'photo',
      },
      {
        title: 'when a text field is sent alongside the file, then it answers 400',
        send: async (req) => attach([[await pngPlain(), 'a.png']])(req.field('note', 'hello')),
        status: 400,
      },
      {
        title: 'when a multipart body has no file at all, then it answers 400',
        send: (req) => req.type('multipart/form-data; boundary=xyz').send('--xyz--\r\n'),
        status: 400,
      },
      {
        title: 'when a JSON body is sent instead of multipart, then it answers 415',
        send: (req) => req.send({ file: 'aGVsbG8=' }),
        status: 415,
      },
    ];

    for (const c of cases) {
      it(`${c.title}; the lot gains no step, no blob is stored and tmp/ stays empty`, async () => {
        const h = await startHarness({ seed: true, ...(c.env ? { env: c.env } : {}) });
        try {
          const coop = await h.login('coop@demo.test');
          const lotId = await newLot(h, coop);
          // An earlier good upload, so the folders exist and hold something to compare with.
          expect((await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[await jpegPlain(320, 240), 'ok.jpg']])).status).to.equal(201);
          const stepsBefore = (await stepsOf(h, lotId, coop)).length;
          const blobsBefore = blobSnapshot(h);
          expect(blobsBefore.stored.filter((f) => f.startsWith('originals/')).length).to.be.at.least(1);

          const res = await c.send(request(h.app).post(`/api/v1/batches/${lotId}/media`).set('Authorization', coop));
          expectProblem(res, c.status, c.errorPath);
          if (c.detail) expect(problemOf(res).detail).to.match(c.detail);

          expect((await stepsOf(h, lotId, coop)).length, 'steps after the rejection').to.equal(stepsBefore);
          const blobsAfter = blobSnapshot(h);
          expect(blobsAfter.stored, 'files in originals/ and renditions/').to.deep.equal(blobsBefore.stored);
          expect(blobsAfter.tmp, 'files in tmp/').to.deep.equal([]);
          const listed = await request(h.app).get(`/api/v1/batches/${lotId}/media`).set('Authorization', coop).expect(200);
          expect(listed.body.items).to.have.length(1);
        } finally {
          await h.close();
        }
      });
    }

    it('when a decompression bomb is uploaded, then it is refused at file[0] with a 4xx within a second (never decoded) and nothing is written', async () => {
      const h = await startHarness({ seed: true });
      try {
        const coop = await h.login('coop@demo.test');
        const lotId = await newLot(h, coop);
        const bomb = pngBomb();
        expect(bomb.length, 'the bomb is small on disk').to.be.below(100_000);
        const stepsBefore = (await stepsOf(h, lotId, coop)).length;
        const blobsBefore = blobSnapshot(h);
        const started = Date.now();
        const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[bomb, 'bomb.png']]);
        expect(Date.now() - started, 'ms to refuse the bomb').to.be.below(1000);
        expect([400, 413], JSON.stringify(res.body)).to.include(res.status);
        expectProblem(res, res.status, 'file[0]');
        expect((await stepsOf(h, lotId, coop)).length).to.equal(stepsBefore);
        expect(blobSnapshot(h)).to.deep.equal(blobsBefore);
      } finally {
        await h.close();
      }
    });
  });

  describe('where files go', () => {
    let h: Harness;
    let coop: string;

    beforeEach(async () => {
      h = await startHarness({ seed: true });
      coop = await h.login('coop@demo.test');
    });
    afterEach(() => h.close());

    it('when an upload’s transaction fails after its files are stored, then the files stay, so an upload of the same bytes racing it never names a missing file', async () => {
      const lotId = await newLot(h, coop);
      const photo = await jpegPlain(480, 360);
      // Fault injection on the real database: the media row cannot be written.
      const db = new Database(path.join(h.dir, 'trace.db'));
      db.exec("CREATE TRIGGER refuse_media BEFORE INSERT ON media BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
      const failed = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'a.jpg']]);
      expect(failed.status).to.equal(500);
      expect(existsSync(originalFile(h, sha256(photo))), 'the original stays after the failure').to.equal(true);
      db.exec('DROP TRIGGER refuse_media');
      db.close();

      const stored = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'b.jpg']]);
      expect(stored.status, JSON.stringify(stored.body)).to.equal(201);
      for (const r of (stored.body.items as MediaItem[])[0]!.renditions) await getBytes(h, pathOf(r.url)).expect(200);
      expect(blobSnapshot(h).tmp).to.deep.equal([]);
    });

    it('when the farmer attaches a photo to his own plot, then it answers 201 attached to the plot’s registration and GET /plots/{id}/media lists it for him and the coop', async () => {
      const farmer = await h.login('farmer@demo.test');
      const plots = await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', farmer).expect(200);
      const plot = (plots.body.items as Array<{ id: string; name: string; eventId: string }>).find((p) => p.name === 'Rẫy Ea Tóh 1');
      expect(plot, 'the farmer’s plot Rẫy Ea Tóh 1').to.not.equal(undefined);

      const photo = await jpegWithExif(640, 480);
      const res = await upload(h, `/api/v1/plots/${plot!.id}/media`, farmer, [[photo, 'plot.jpg']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const item = (res.body.items as MediaItem[])[0]!;
      expect(item.sha256).to.equal(sha256(photo));
      expect(item.attachesTo).to.equal(plot!.eventId);
      expect(item.evidence.gps).to.not.equal(null);

      for (const auth of [farmer, coop]) {
        const list = await request(h.app).get(`/api/v1/plots/${plot!.id}/media`).set('Authorization', auth);
        expect(list.status, JSON.stringify(list.body)).to.equal(200);
        // Oldest first: the demo's own plot photo, then this one.
        expect((list.body.items as MediaItem[]).map((i) => i.id).at(-1)).to.equal(item.id);
      }
      const other = await request(h.app).get(`/api/v1/plots/${plot!.id}/media`).set('Authorization', await h.login('other-coop@demo.test'));
      expectProblem(other, 404);
    });

    it('when a photo is attached to a step by its stepId, then it answers 201 with attachesTo = the step’s eventID, the media event points at it, and GET /batches/{id}/media lists lot and step files', async () => {
      const lotId = await newLot(h, coop);
      const drying = await addStep(h, lotId, { type: 'drying', occurredAt: at(5) }, coop);
      expect(drying.id).to.match(SHA256);

      const lotPhoto = await jpegPlain();
      const lotRes = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[lotPhoto, 'lot.jpg']]);
      expect(lotRes.status, JSON.stringify(lotRes.body)).to.equal(201);
      expect((lotRes.body.items as MediaItem[])[0]!.attachesTo).to.equal(null);

      const stepPhoto = await jpegWithExif(500, 400);
      const stepRes = await upload(h, `/api/v1/batches/${lotId}/steps/${drying.id}/media`, coop, [[stepPhoto, 'drying.jpg']]);
      expect(stepRes.status, JSON.stringify(stepRes.body)).to.equal(201);
      const stepItem = (stepRes.body.items as MediaItem[])[0]!;
      expect(stepItem.attachesTo).to.equal(drying.eventID);
      expect(stepItem.sha256).to.equal(sha256(stepPhoto));

      const steps = await stepsOf(h, lotId, coop);
      const mediaEvents = steps.filter((s) => s.type === 'media');
      expect(mediaEvents).to.have.length(2);
      const stepEvent = mediaEvents.find((s) => s.eventID === stepItem.eventId);
      expect(stepEvent?.event['ft:attachesTo']).to.equal(drying.eventID);
      expect(stepEvent?.event['ft:media']).to.deep.equal([stepItem.sha256]);

      const list = await request(h.app).get(`/api/v1/batches/${lotId}/media`).set('Authorization', coop);
      expect(list.status, JSON.stringify(list.body)).to.equal(200);
      expect((list.body.items as MediaItem[]).map((i) => i.sha256)).to.deep.equal([sha256(lotPhoto), sha256(stepPhoto)]);
    });

    it('when the stepId is not a 64-hex event hash or names no step of the lot, then it answers 400 / 404 and nothing is written', async () => {
      const lotId = await newLot(h, coop);
      const before = blobSnapshot(h);
      const stepsBefore = (await stepsOf(h, lotId, coop)).length;
      const bad = await upload(h, `/api/v1/batches/${lotId}/steps/not-a-hash/media`, coop, [[await pngPlain(), 'a.png']]);
      expectProblem(bad, 400);
      const unknown = await upload(h, `/api/v1/batches/${lotId}/steps/${'ab'.repeat(32)}/media`, coop, [[await pngPlain(), 'a.png']]);
      expectProblem(unknown, 404);
      expect(blobSnapshot(h)).to.deep.equal(before);
      expect((await stepsOf(h, lotId, coop)).length).to.equal(stepsBefore);
    });
  });

  describe('privacy and isolation', () => {
    let h: Harness;
    let coop: string;
    let lotId: string;
    let item: MediaItem;
    let photo: Buffer;

    beforeEach(async () => {
      h = await startHarness({ seed: true });
      coop = await h.login('coop@demo.test');
      lotId = await newLot(h, coop);
      photo = await jpegWithExif(640, 480);
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'private.jpg']]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      item = (res.body.items as MediaItem[])[0]!;
    });
    afterEach(() => h.close());

    it('when the uploading organization downloads the original, then it gets the exact bytes with the EXIF (serial, GPS) intact and a private cache header', async () => {
      const res = await getBytes(h, `/api/v1/media/${item.id}/original`, coop);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^image\/jpeg/);
      expect(res.headers['cache-control']).to.match(/private|no-store/);
      const bytes = res.body as Buffer;
      expect(bytes.equals(photo)).to.equal(true);
      expect((await sharp(bytes).metadata()).exif).to.not.equal(undefined);
      expect(bytes.includes(Buffer.from('SERIAL-7731-XYZ'))).to.equal(true);
    });

    it('when another cooperative, or the roaster that received the lot, asks for the original or the media record, then it is 404', async () => {
      const other = await h.login('other-coop@demo.test');
      expectProblem(await getBytes(h, `/api/v1/media/${item.id}/original`, other), 404);
      expectProblem(await request(h.app).get(`/api/v1/media/${item.id}`).set('Authorization', other), 404);

      // The roaster joins the lot's chain of custody: it can read the lot, not the original photo.
      const processor = await h.login('processor@demo.test');
      await addStep(h, lotId, { type: 'shipping', occurredAt: at(4), receiver: 'bmt-roastery' }, coop);
      await addStep(h, lotId, { type: 'receiving', occurredAt: at(2) }, processor);
      await request(h.app).get(`/api/v1/batches/${lotId}`).set('Authorization', processor).expect(200);
      const byRoaster = await getBytes(h, `/api/v1/media/${item.id}/original`, processor);
      expectProblem(byRoaster, 404);
      expect((byRoaster.body as Buffer).includes(photo.subarray(0, 64))).to.equal(false);

      // The uploader still can.
      expect((await getBytes(h, `/api/v1/media/${item.id}/original`, coop)).status).to.equal(200);
    });

    it('when another cooperative uploads to the coop’s plot or lot, then it is 404 and nothing is written', async () => {
      const other = await h.login('other-coop@demo.test');
      const plots = await request(h.app).get('/api/v1/plots?limit=500').set('Authorization', coop).expect(200);
      const coopPlot = (plots.body.items as Array<{ id: string }>)[0]!;
      const before = blobSnapshot(h);
      const stepsBefore = await stepsOf(h, lotId, coop);

      expectProblem(await upload(h, `/api/v1/plots/${coopPlot.id}/media`, other, [[await jpegWithExif(), 'x.jpg']]), 404);
      expectProblem(await upload(h, `/api/v1/batches/${lotId}/media`, other, [[await jpegWithExif(), 'x.jpg']]), 404);
      expectProblem(await upload(h, `/api/v1/batches/${lotId}/steps/${stepsBefore[0]!.id}/media`, other, [[await jpegWithExif(), 'x.jpg']]), 404);

      expect(blobSnapshot(h)).to.deep.equal(before);
      expect((await stepsOf(h, lotId, coop)).length).to.equal(stepsBefore.length);
    });

    it('when there is no token, then upload, list and original all answer 401 and nothing is written', async () => {
      const before = blobSnapshot(h);
      expectProblem(await upload(h, `/api/v1/batches/${lotId}/media`, null, [[await pngPlain(), 'a.png']]), 401);
      expectProblem(await request(h.app).get(`/api/v1/batches/${lotId}/media`), 401);
      expectProblem(await getBytes(h, `/api/v1/media/${item.id}/original`), 401);
      expect(blobSnapshot(h)).to.deep.equal(before);
    });

    it('when a rendition path is not <64 hex>.webp, then it answers 400 or 404 as problem+json and never a file', async () => {
      // Something a traversal would reach if it escaped the renditions bucket.
      writeFileSync(path.join(h.dir, 'secret-marker.json'), '{"secret":"do-not-serve"}');
      const r = item.renditions[0]!;
      const renditionSha = pathOf(r.url).slice('/media/'.length, -'.webp'.length);
      const probes = [
        '/media/..%2f..%2fsecret-marker.json',
        '/media/..%2f..%2f..%2fsecret-marker.json',
        `/media/..%2foriginals%2f${item.sha256.slice(0, 2)}%2f${item.sha256}`,
        `/media/..%2f..%2foriginals%2f${item.sha256.slice(0, 2)}%2f${item.sha256}.webp`,
        '/media/abc.webp',
        `/media/${renditionSha.toUpperCase()}.webp`,
        `/media/${renditionSha}`,
        `/media/${renditionSha}.jpg`,
        `/media/${renditionSha}.webp.json`,
      ];
      for (const probe of probes) {
        const res = await getBytes(h, probe);
        expect([400, 404], `${probe} → ${res.status}`).to.include(res.status);
        expect(res.headers['content-type'], probe).to.match(PROBLEM);
        const text = (res.body as Buffer).toString('latin1');
        expect(text, probe).to.not.include('do-not-serve');
        expect((res.body as Buffer).includes(photo.subarray(0, 64)), probe).to.equal(false);
      }
    });

    it('when an original’s sha256 is requested as a public rendition, then it is 404 (originals are never public)', async () => {
      const res = await getBytes(h, `/media/${item.sha256}.webp`);
      expectProblem(res, 404);
      expect((res.body as Buffer).includes(photo.subarray(0, 64))).to.equal(false);
      // while the genuine rendition is served
      expect((await getBytes(h, pathOf(item.renditions[0]!.url))).status).to.equal(200);
    });
  });

  describe('provenance', () => {
    let h: Harness;
    let server: Server | null = null;

    afterEach(async () => {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = null;
      await h.close();
    });

    const fetchMediaFrom = (hh: Harness) => async (url: string): Promise<Uint8Array> => {
      const res = await getBytes(hh, pathOf(url));
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return new Uint8Array(res.body as Buffer);
    };

    it('when a photo is uploaded to a published lot, then the public bundle verifies with fetchMedia and the CLI --fetch-media; a rendition swapped on disk fails check "media" in both', async () => {
      const port = await reservePort();
      h = await startHarness({ seed: true, env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
      server = h.app.listen(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        server!.once('listening', resolve);
        server!.once('error', reject);
      });
      const coop = await h.login('coop@demo.test');
      const lot = await lotByNumber(h, coop, 'EHO-2512-S1');
      expect(lot.published).to.equal(true);

      const photo = await jpegWithExif(900, 600);
      const res = await upload(h, `/api/v1/batches/${lot.id}/media`, coop, [
        [photo, 'packing.jpg'],
        [minimalPdf('lab report'), 'lab.pdf'],
      ]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const [image, pdf] = res.body.items as [MediaItem, MediaItem];
      expect(image.renditions.length).to.be.greaterThan(0);
      for (const r of image.renditions) expect(r.url.startsWith(`http://127.0.0.1:${port}/media/`), r.url).to.equal(true);

      const bundleRes = await request(h.app).get(`/api/v1/batches/${lot.id}/provenance`);
      expect(bundleRes.status, JSON.stringify(bundleRes.body)).to.equal(200);
      const bundle = bundleRes.body as ProvenanceBundle;
      const renditionShas = image.renditions.map((r) => pathOf(r.url).slice('/media/'.length, -'.webp'.length));
      expect(bundle.media.map((m) => m.sha256)).to.include.members(renditionShas);

      // The media event is signed into the lot's history and names both originals.
      const mediaPayloads = bundle.events
        .map((e) => JSON.parse(Buffer.from(e.jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>)
        .filter((p) => p['ft:stepType'] === 'media' && (p['ft:media'] as string[]).includes(image.sha256));
      expect(mediaPayloads).to.have.length(1);
      expect(mediaPayloads[0]!['ft:media']).to.deep.equal([image.sha256, pdf.sha256]);

      const good = await verifyBundle(structuredClone(bundle), { fetchMedia: fetchMediaFrom(h) });
      expect(good.valid, JSON.stringify(good.events.filter((e) => !e.valid))).to.equal(true);
      // Every rendition in the bundle: this upload's and the demo's photos of the lot's harvest and plot.
      expect(good.mediaChecked).to.equal(bundle.media.length);

      const file = path.join(h.dir, 'bundle.json');
      writeFileSync(file, JSON.stringify(bundle));
      const cliGood = await runVerifyCli([file, '--fetch-media']);
      expect(cliGood.status, cliGood.stdout + cliGood.stderr).to.equal(0);
      expect(cliGood.stdout).to.match(/photos matched/);

      // Swap one public rendition on disk for another image.
      const victim = image.renditions[0]!;
      const victimSha = pathOf(victim.url).slice('/media/'.length, -'.webp'.length);
      const target = renditionFile(h, victimSha);
      expect(existsSync(target), target).to.equal(true);
      writeFileSync(target, await plain(victim.width, Math.round((victim.width * 2) / 3)).webp().toBuffer());
      const served = await getBytes(h, pathOf(victim.url));
      expect(served.status).to.equal(200);
      expect(sha256(served.body as Buffer)).to.not.equal(victimSha);

      const bad = await verifyBundle(structuredClone(bundle), { fetchMedia: fetchMediaFrom(h) });
      expect(bad.valid).to.equal(false);
      const failures = bad.events.flatMap((e) => e.failures);
      expect(failures.map((f) => f.check)).to.deep.equal(['media']);
      expect(failures[0]!.message).to.include(victimSha);
      const failed = bad.events.find((e) => !e.valid);
      expect(failed?.stepType).to.equal('media');

      // Without fetching media the signatures alone still verify (the swap is only in the served file).
      expect((await verifyBundle(structuredClone(bundle))).valid).to.equal(true);

      const cliBad = await runVerifyCli([file, '--fetch-media']);
      expect(cliBad.status, cliBad.stdout + cliBad.stderr).to.equal(1);
      expect(cliBad.stdout).to.match(/^INVALID/);
      expect(cliBad.stdout).to.match(/\n\s+media: /);
      expect(cliBad.stdout).to.include(victimSha);
    });

    it('when a photo is uploaded to a lot and the lot is then published, then the bundle lists every rendition URL and fetchMedia matches them all', async () => {
      h = await startHarness({ seed: true });
      const coop = await h.login('coop@demo.test');
      const lotId = await newLot(h, coop);
      const res = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [
        [await jpegWithExif(1400, 900), 'big.jpg'],
        [await pngPlain(), 'small.png'],
      ]);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const items = res.body.items as MediaItem[];
      const publish = await request(h.app).post(`/api/v1/batches/${lotId}/publish`).set('Authorization', coop);
      expect(publish.status, JSON.stringify(publish.body)).to.equal(200);
      const bundle = (await request(h.app).get(`/api/v1/batches/${lotId}/provenance`).expect(200)).body as ProvenanceBundle;
      const expected = items.flatMap((i) => i.renditions.map((r) => r.url)).sort();
      expect(bundle.media.map((m) => m.url).sort()).to.deep.equal(expected);
      const report = await verifyBundle(bundle, { fetchMedia: fetchMediaFrom(h) });
      expect(report.valid, JSON.stringify(report.events.filter((e) => !e.valid))).to.equal(true);
      expect(report.mediaChecked).to.equal(expected.length);
    });
  });

  describe('Idempotency-Key on an upload', () => {
    let h: Harness;
    let coop: string;
    let lotId: string;

    beforeEach(async () => {
      h = await startHarness({ seed: true });
      coop = await h.login('coop@demo.test');
      lotId = await newLot(h, coop);
    });
    afterEach(() => h.close());

    it('when the same key and the same file are sent twice, then the second answer replays the first and the lot has one media event', async () => {
      const photo = await jpegWithExif();
      const stepsBefore = (await stepsOf(h, lotId, coop)).length;
      const first = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'a.jpg']]).set('Idempotency-Key', 'upload-1');
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      const blobs = blobSnapshot(h);
      const second = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[photo, 'a.jpg']]).set('Idempotency-Key', 'upload-1');
      expect(second.status, JSON.stringify(second.body)).to.equal(201);
      expect(second.body).to.deep.equal(first.body);
      expect(second.headers['idempotent-replayed']).to.equal('true');
      const steps = await stepsOf(h, lotId, coop);
      expect(steps).to.have.length(stepsBefore + 1);
      expect(steps.filter((s) => s.type === 'media')).to.have.length(1);
      const list = await request(h.app).get(`/api/v1/batches/${lotId}/media`).set('Authorization', coop).expect(200);
      expect(list.body.items).to.have.length(1);
      expect(blobSnapshot(h)).to.deep.equal(blobs);
    });

    it('when the same key is reused with a different file, then it answers 422 and nothing more is written', async () => {
      const first = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[await jpegWithExif(), 'a.jpg']]).set('Idempotency-Key', 'upload-2');
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      const stepsBefore = (await stepsOf(h, lotId, coop)).length;
      const blobs = blobSnapshot(h);
      const second = await upload(h, `/api/v1/batches/${lotId}/media`, coop, [[await jpegPlain(), 'a.jpg']]).set('Idempotency-Key', 'upload-2');
      expectProblem(second, 422, 'Idempotency-Key');
      expect((await stepsOf(h, lotId, coop)).length).to.equal(stepsBefore);
      expect(blobSnapshot(h)).to.deep.equal(blobs);
    });
  });
});
