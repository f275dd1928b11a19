/**
 * OTLP `KeyValue` and `AnyValue` (opentelemetry.proto.common.v1), read from
 * the wire straight into OpenTelemetry JS attributes, with the same values
 * `spansFromRequest` gives a parsed OTLP/JSON body: scalars as they are,
 * bytes as base64, arrays of scalars as arrays, maps and anything nested as
 * JSON text.
 */
import type { AttributeValue, Attributes } from "@opentelemetry/api";
import { WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT, type WireReader } from "./wire-reader.js";

/** An AnyValue ready for JSON: a scalar, an array (ArrayValue) or a plain object (KeyValueList). */
type JsonReady = string | number | boolean | JsonReady[] | { [key: string]: JsonReady } | undefined;

/** Repeated `KeyValue` fields are read one at a time into `into`; the last value of a key wins. */
export function readAttribute(reader: WireReader, end: number, into: Attributes, field: string): void {
  readKeyValue(reader, end, field, into, true);
}

/**
 * One `KeyValue` into `into`, with no object per entry: as an attribute (`flatten`: structured values become
 * JSON text, absent ones are left out) or as a map's entry (kept JSON-ready, for the map's JSON text).
 */
function readKeyValue(reader: WireReader, end: number, field: string, into: Record<string, unknown>, flatten: boolean): void {
  const entryEnd = reader.enter(end, field);
  let key = "";
  let value: JsonReady;
  while (reader.pos < entryEnd) {
    const tag = reader.tag(entryEnd);
    switch (tag >>> 3) {
      case 1:
        reader.expect(tag, WIRE_LENGTH, "KeyValue.key");
        key = reader.key(entryEnd, "KeyValue.key");
        break;
      case 2:
        reader.expect(tag, WIRE_LENGTH, "KeyValue.value");
        value = readAnyValue(reader, entryEnd, "KeyValue.value");
        break;
      default:
        reader.skip(tag, entryEnd);
    }
  }
  reader.leave(entryEnd);
  if (!flatten) into[key] = value;
  else if (value !== undefined) into[key] = typeof value === "object" ? flatValue(value) : value;
}

/** As OpenTelemetry JS attributes hold it: arrays keep their scalars; maps become JSON text. */
function flatValue(value: JsonReady[] | { [key: string]: JsonReady }): AttributeValue {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined && typeof item !== "object") as AttributeValue;
  return JSON.stringify(value);
}

function readAnyValue(reader: WireReader, end: number, field: string): JsonReady {
  const valueEnd = reader.enter(end, field);
  let value: JsonReady;
  while (reader.pos < valueEnd) {
    const tag = reader.tag(valueEnd);
    switch (tag >>> 3) {
      case 1:
        reader.expect(tag, WIRE_LENGTH, "AnyValue.stringValue");
        value = reader.string(valueEnd, "AnyValue.stringValue");
        break;
      case 2:
        reader.expect(tag, WIRE_VARINT, "AnyValue.boolValue");
        reader.varint(valueEnd, "AnyValue.boolValue");
        value = reader.lo !== 0;
        break;
      case 3:
        reader.expect(tag, WIRE_VARINT, "AnyValue.intValue");
        value = reader.int64(valueEnd, "AnyValue.intValue");
        break;
      case 4:
        reader.expect(tag, WIRE_FIXED64, "AnyValue.doubleValue");
        value = reader.double(valueEnd, "AnyValue.doubleValue");
        break;
      case 5:
        reader.expect(tag, WIRE_LENGTH, "AnyValue.arrayValue");
        value = readArrayValue(reader, valueEnd);
        break;
      case 6:
        reader.expect(tag, WIRE_LENGTH, "AnyValue.kvlistValue");
        value = readKeyValueList(reader, valueEnd);
        break;
      case 7:
        reader.expect(tag, WIRE_LENGTH, "AnyValue.bytesValue");
        value = reader.bytesField(valueEnd, "AnyValue.bytesValue").toString("base64");
        break;
      default:
        reader.skip(tag, valueEnd);
    }
  }
  reader.leave(valueEnd);
  return value;
}

function readArrayValue(reader: WireReader, end: number): JsonReady[] {
  const listEnd = reader.enter(end, "AnyValue.arrayValue");
  const values: JsonReady[] = [];
  reader.eachRepeated(listEnd, "ArrayValue.values", () => values.push(readAnyValue(reader, listEnd, "ArrayValue.values")));
  reader.leave(listEnd);
  return values;
}

function readKeyValueList(reader: WireReader, end: number): { [key: string]: JsonReady } {
  const listEnd = reader.enter(end, "AnyValue.kvlistValue");
  const object: { [key: string]: JsonReady } = {};
  reader.eachRepeated(listEnd, "KeyValueList.values", () => readKeyValue(reader, listEnd, "KeyValueList.values", object, false));
  reader.leave(listEnd);
  return object;
}
