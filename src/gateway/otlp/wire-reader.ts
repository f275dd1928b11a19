/**
 * The protobuf wire format, read: tags, varints, fixed-width numbers and
 * length-delimited ranges, each checked against the end of the message it
 * belongs to, and unknown fields skipped by their wire type. A body that
 * breaks the format throws `WireError` with what was wrong and where.
 *
 * 64-bit numbers are read as two 32-bit halves (`lo`, `hi`) rather than as
 * BigInt or Long objects: the callers turn them into the numbers they need.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
const WIRE_GROUP_START = 3;
const WIRE_GROUP_END = 4;
export const WIRE_FIXED32 = 5;

const WIRE_NAMES = ["varint", "fixed64", "length-delimited", "group start", "group end", "fixed32", "wire type 6", "wire type 7"];
/** Deeper than this, a message is refused rather than risking the stack (AnyValue nests arrays and maps). */
const MAX_DEPTH = 64;

export class WireError extends Error {}

const KEY_CACHE_SIZE = 1024;
/**
 * Keys read lately, by a hash of their bytes. A hit is checked byte for byte against the key's characters,
 * which only an ASCII key can pass (any other character is not one byte of its UTF-8 form).
 */
const KEY_CACHE: Array<string | undefined> = new Array(KEY_CACHE_SIZE).fill(undefined);

export class WireReader {
  readonly bytes: Buffer;
  pos = 0;
  /** The halves of the last 64-bit number read (unsigned 32-bit each). */
  lo = 0;
  hi = 0;
  #depth = 0;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  fail(what: string): never {
    throw new WireError(`${what} (at byte ${this.pos} of ${this.bytes.length})`);
  }

  /** A field's tag; `end` is the end of the enclosing message. */
  tag(end: number): number {
    const tag = this.uint32(end, "a field tag");
    if (tag >>> 3 === 0) this.fail("a field tag with field number 0");
    return tag;
  }

  /** Refuses a known field sent with another wire type than its declared one. */
  expect(tag: number, wireType: number, field: string): void {
    if ((tag & 7) !== wireType) this.fail(`${field} must be ${WIRE_NAMES[wireType]}, got ${WIRE_NAMES[tag & 7]}`);
  }

  /** A varint into `lo`/`hi`. */
  varint(end: number, what: string): void {
    const bytes = this.bytes;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= end) this.fail(`${what}: truncated varint`);
      const byte = bytes[this.pos++];
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi = (byte & 0x7f) >>> 4;
      } else hi |= (byte & 0x7f) << (shift - 32);
      if (byte < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    this.fail(`${what}: varint longer than 10 bytes`);
  }

  uint32(end: number, what: string): number {
    const bytes = this.bytes;
    // One-byte varints (tags, small lengths) are most of them.
    if (this.pos < end && bytes[this.pos] < 0x80) return bytes[this.pos++];
    this.varint(end, what);
    return this.lo;
  }

  /** An int64 varint as a number (exact up to 2^53, as OpenTelemetry JS attributes hold it). */
  int64(end: number, what: string): number {
    this.varint(end, what);
    return (this.hi | 0) * 4294967296 + this.lo;
  }

  /** A fixed64 into `lo`/`hi`. */
  fixed64(end: number, what: string): void {
    if (this.pos + 8 > end) this.fail(`${what}: truncated fixed64`);
    this.lo = this.bytes.readUInt32LE(this.pos);
    this.hi = this.bytes.readUInt32LE(this.pos + 4);
    this.pos += 8;
  }

  fixed32(end: number, what: string): number {
    if (this.pos + 4 > end) this.fail(`${what}: truncated fixed32`);
    const value = this.bytes.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  double(end: number, what: string): number {
    if (this.pos + 8 > end) this.fail(`${what}: truncated double`);
    const value = this.bytes.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A length prefix; returns where the value ends, which must be within `end`. */
  length(end: number, what: string): number {
    let length: number;
    if (this.pos < end && this.bytes[this.pos] < 0x80) length = this.bytes[this.pos++];
    else {
      this.varint(end, what);
      if (this.hi !== 0 || this.lo > 0x7fffffff) this.fail(`${what}: length past 2 GiB`);
      length = this.lo;
    }
    const valueEnd = this.pos + length;
    if (valueEnd > end) this.fail(`${what}: length ${length} runs past the end of its message`);
    return valueEnd;
  }

  /** A string field, decoded by Node's native UTF-8 decoder (invalid sequences become U+FFFD). */
  string(end: number, what: string): string {
    const valueEnd = this.length(end, what);
    const start = this.pos;
    this.pos = valueEnd;
    return valueEnd === start ? "" : this.bytes.toString("utf8", start, valueEnd);
  }

  /**
   * A string field that repeats from message to message (attribute keys): the same string as `string()`,
   * taken from a small cache of the ASCII ones seen, so a repeated key is neither decoded nor allocated again.
   */
  key(end: number, what: string): string {
    const valueEnd = this.length(end, what);
    const start = this.pos;
    this.pos = valueEnd;
    const length = valueEnd - start;
    if (length === 0) return "";
    const bytes = this.bytes;
    const slot = (length * 31 + bytes[start] * 7 + bytes[valueEnd - 1] * 3 + bytes[start + (length >> 1)]) & (KEY_CACHE_SIZE - 1);
    const cached = KEY_CACHE[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length && same; i++) same = cached.charCodeAt(i) === bytes[start + i];
      if (same) return cached;
    }
    const key = bytes.toString("utf8", start, valueEnd);
    if (key.length === length) KEY_CACHE[slot] = key;
    return key;
  }

  /** A bytes field, as a view into the body. */
  bytesField(end: number, what: string): Buffer {
    const valueEnd = this.length(end, what);
    const start = this.pos;
    this.pos = valueEnd;
    return this.bytes.subarray(start, valueEnd);
  }

  /** Enters an embedded message; returns its end. Pair with `leave()`. */
  enter(end: number, what: string): number {
    const messageEnd = this.length(end, what);
    if (++this.#depth > MAX_DEPTH) this.fail(`${what}: messages nested deeper than ${MAX_DEPTH}`);
    return messageEnd;
  }

  /** Leaves an embedded message; its fields were read up to its end, never past it. */
  leave(end: number): void {
    this.#depth--;
    this.pos = end;
  }

  /**
   * For a message whose one declared field is a repeated message (field 1 of
   * ExportTraceServiceRequest, ArrayValue, KeyValueList): `read` at each
   * occurrence, other fields skipped.
   */
  eachRepeated(end: number, field: string, read: () => void): void {
    while (this.pos < end) {
      const tag = this.tag(end);
      if (tag >>> 3 !== 1) {
        this.skip(tag, end);
        continue;
      }
      this.expect(tag, WIRE_LENGTH, field);
      read();
    }
  }

  /** Skips a field this reader does not know, as its wire type says. */
  skip(tag: number, end: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        return this.varint(end, `field ${tag >>> 3}`);
      case WIRE_FIXED64:
        if (this.pos + 8 > end) this.fail(`field ${tag >>> 3}: truncated fixed64`);
        this.pos += 8;
        return;
      case WIRE_LENGTH:
        this.pos = this.length(end, `field ${tag >>> 3}`);
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > end) this.fail(`field ${tag >>> 3}: truncated fixed32`);
        this.pos += 4;
        return;
      case WIRE_GROUP_START:
        return this.skipGroup(tag, end);
      default:
        this.fail(`field ${tag >>> 3}: unexpected ${WIRE_NAMES[tag & 7]}`);
    }
  }

  /** A (deprecated) group: fields up to the group end with the same field number. */
  private skipGroup(startTag: number, end: number): void {
    if (++this.#depth > MAX_DEPTH) this.fail(`field ${startTag >>> 3}: groups nested deeper than ${MAX_DEPTH}`);
    for (;;) {
      if (this.pos >= end) this.fail(`field ${startTag >>> 3}: group without its end`);
      const tag = this.tag(end);
      if ((tag & 7) === WIRE_GROUP_END) {
        if (tag >>> 3 !== startTag >>> 3) this.fail(`field ${startTag >>> 3}: group closed by field ${tag >>> 3}`);
        this.#depth--;
        return;
      }
      this.skip(tag, end);
    }
  }
}
