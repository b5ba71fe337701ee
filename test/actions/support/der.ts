// A minimal DER encoder: enough ASN.1 to write X.509 certificates for a test certificate authority.

/** One DER element: tag byte, definite length, content. */
export function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...items: Buffer[]): Buffer => der(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => der(0x31, ...items);
export const utf8 = (text: string): Buffer => der(0x0c, Buffer.from(text, "utf8"));
export const octets = (bytes: Buffer): Buffer => der(0x04, bytes);
export const bitString = (bytes: Buffer, unusedBits = 0): Buffer =>
  der(0x03, Buffer.from([unusedBits]), bytes);
export const boolean = (value: boolean): Buffer => der(0x01, Buffer.from([value ? 0xff : 0]));
/** `[n] EXPLICIT` around a constructed value. */
export const explicit = (n: number, ...items: Buffer[]): Buffer => der(0xa0 | n, ...items);

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
export function integer(bytes: Buffer | number): Buffer {
  let raw = typeof bytes === "number" ? Buffer.from([bytes]) : bytes;
  while (raw.length > 1 && raw[0] === 0 && raw[1]! < 0x80) raw = raw.subarray(1);
  if (raw[0]! >= 0x80) raw = Buffer.concat([Buffer.from([0]), raw]);
  return der(0x02, raw);
}

export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const chunk: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      chunk.unshift((value % 128) | (chunk.length > 0 ? 0x80 : 0));
      if (value < 128) break;
    }
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime, YYMMDDHHMMSSZ (certificates valid before 2050). */
export function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, "ascii"));
}
