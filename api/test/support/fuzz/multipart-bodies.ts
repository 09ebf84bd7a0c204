import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { shortHostileString } from './hostile-values.js';

/**
 * multipart/form-data bodies written byte by byte, so they can be broken in ways a form library
 * would never produce: wrong field names, text fields, bad boundaries, truncated parts, and files
 * that are not what they claim (random bytes, truncated images, a PNG header claiming a giant size).
 */
export interface MultipartBody {
  contentType: string;
  body: Buffer;
}

interface Part {
  name: string;
  filename: string | null;
  partType: string | null;
  bytes: Buffer;
}

type Framing = 'ok' | 'no-closing-boundary' | 'other-boundary' | 'no-boundary-parameter' | 'cut-in-half';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A well-formed PNG whose header claims `width`×`height` pixels but holds one row: a decompression-bomb probe. */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(1 + Math.min(width, 64) * 3))), chunk('IEND', Buffer.alloc(0))]);
}

/** Bytes for a file part: random, real images (`images`), broken images and other formats. */
export function fileBytes(images: Buffer[], oversize: number): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 4, arbitrary: fc.constantFrom(...images) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...images), fc.double({ min: 0, max: 1, noNaN: true })).map(([image, share]) => image.subarray(0, Math.floor(image.length * share))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...images), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat()).map(([image, junk, at]) => Buffer.concat([image.subarray(0, at % image.length), Buffer.from(junk), image.subarray((at % image.length) + junk.length)])) },
    { weight: 1, arbitrary: fc.constantFrom(pngClaiming(100_000, 100_000), pngClaiming(0, 0), pngClaiming(1, 2 ** 31 - 1), pngClaiming(2 ** 32 - 1, 2 ** 32 - 1)) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), Buffer.from('GIF89a'), Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.alloc(0), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(oversize, 0xff)) },
  );
}

const headerSafe = (s: string) => s.replace(/[\r\n"]/g, '_');

function part(field: string, images: Buffer[], oversize: number): fc.Arbitrary<Part> {
  return fc.record({
    name: fc.oneof({ weight: 12, arbitrary: fc.constant(field) }, { weight: 1, arbitrary: fc.constantFrom('files', `${field}[]`, '', 'FILE', '__proto__') }, { weight: 1, arbitrary: shortHostileString.map(headerSafe) }),
    filename: fc.option(fc.oneof(fc.constantFrom('photo.jpg', 'a.png', '../../etc/passwd', 'x\u0000.jpg', 'ảnh vườn.jpg', '.', ''), shortHostileString.map(headerSafe)), { freq: 15 }),
    partType: fc.option(fc.constantFrom('image/jpeg', 'image/png', 'application/pdf', 'text/plain', 'application/octet-stream', 'image/svg+xml', 'garbage'), { freq: 3 }),
    bytes: fileBytes(images, oversize),
  });
}

function frame(parts: Part[], framing: Framing): MultipartBody {
  const boundary = '----fuzzBoundary7MA4YWxkTrZu0gW';
  const head = (p: Part) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename === null ? '' : `; filename="${p.filename}"`}\r\n${p.partType ? `Content-Type: ${p.partType}\r\n` : ''}\r\n`;
  const pieces = parts.flatMap((p) => [Buffer.from(head(p), 'utf8'), p.bytes, Buffer.from('\r\n')]);
  if (framing !== 'no-closing-boundary') pieces.push(Buffer.from(`--${boundary}--\r\n`));
  let body = Buffer.concat(pieces);
  if (framing === 'cut-in-half') body = body.subarray(0, Math.floor(body.length / 2));
  const contentType =
    framing === 'no-boundary-parameter' ? 'multipart/form-data' : framing === 'other-boundary' ? 'multipart/form-data; boundary=somethingElse' : `multipart/form-data; boundary=${boundary}`;
  return { contentType, body };
}

/** A multipart body for an upload route whose file field is `field`. */
export function multipartBody(field: string, images: Buffer[], oversize: number): fc.Arbitrary<MultipartBody> {
  return fc
    .tuple(
      fc.oneof({ weight: 4, arbitrary: part(field, images, oversize).map((p) => [p]) }, { weight: 1, arbitrary: fc.array(part(field, images, oversize), { maxLength: 4 }) }),
      fc.constantFrom<Framing>('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'no-closing-boundary', 'other-boundary', 'no-boundary-parameter', 'cut-in-half'),
    )
    .map(([parts, framing]) => frame(parts, framing));
}
