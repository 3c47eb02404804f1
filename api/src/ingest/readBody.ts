import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import { BODY_ENCODING_PARAM, BODY_ENCODINGS, LIMITS, type BodyEncoding } from '@loupe/contract';
import { HttpError } from '../http/errors.ts';

/** Reads the raw request body, refusing more than `limit` bytes (413) without buffering the excess. */
export async function readRawBody(req: IncomingMessage, limit = LIMITS.maxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const tooLarge = (limit: number, what = 'request body'): HttpError =>
  new HttpError(413, 'payload_too_large', `${what} exceeds ${limit} bytes`);

/**
 * Which compression applies: `Content-Encoding`, else the `?enc=` marker (sendBeacon cannot set headers),
 * else gzip recognised by its magic bytes.
 */
export function bodyEncoding(headerValue: string | undefined, param: unknown, body: Buffer): BodyEncoding | 'identity' {
  const header = headerValue?.trim().toLowerCase();
  if (header && header !== 'identity') {
    if ((BODY_ENCODINGS as readonly string[]).includes(header)) return header as BodyEncoding;
    throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${header} is not supported (use gzip or deflate)`);
  }
  if (param !== undefined) {
    if (typeof param === 'string' && (BODY_ENCODINGS as readonly string[]).includes(param)) return param as BodyEncoding;
    throw new HttpError(400, 'unsupported_encoding', `${BODY_ENCODING_PARAM}=${String(param)} is not supported (use gzip or deflate)`);
  }
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b ? 'gzip' : 'identity';
}

/** Decompresses with a cap on the inflated size (zip-bomb guard: 413). */
export function inflate(body: Buffer, encoding: BodyEncoding | 'identity', limit = LIMITS.maxInflatedBytes): Buffer {
  if (encoding === 'identity') return body;
  try {
    const opts = { maxOutputLength: limit };
    return encoding === 'gzip' ? zlib.gunzipSync(body, opts) : zlib.inflateSync(body, opts);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw tooLarge(limit, 'decompressed body');
    }
    throw new HttpError(400, 'bad_encoding', `body is not valid ${encoding} data`);
  }
}
