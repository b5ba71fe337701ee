/**
 * DSSE's Pre-Authentication Encoding, the bytes a signature covers:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the decimal byte length. Lengths count
 * UTF-8 bytes, not characters, so a non-ASCII type cannot shift the boundary between type and body.
 * @example pae("http://example.com/HelloWorld", Buffer.from("hello world"))
 *          // "DSSEv1 29 http://example.com/HelloWorld 11 hello world"
 */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, "ascii"),
    type,
    Buffer.from(` ${body.length} `, "ascii"),
    body,
  ]);
}
