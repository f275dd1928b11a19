/**
 * The OTLP trace messages, the TraceService and google.rpc.Status, written
 * here from the field numbers of the OTLP specification (opentelemetry-proto
 * v1: common, resource, trace, collector/trace) as a protobufjs JSON
 * descriptor. Field names are the JSON mapping's lowerCamelCase, so a decoded
 * protobuf message and a parsed OTLP/JSON body have the same shape.
 */
import type { INamespace } from "protobufjs";

/** OTLP's SpanKind, which counts from UNSPECIFIED = 0 (OpenTelemetry JS counts from INTERNAL = 0). */
export const OTLP_SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
export const OTLP_STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/**
 * A string field. Strings are taken as sent (invalid UTF-8 becomes U+FFFD)
 * rather than checked byte by byte in JavaScript: proto3's default check
 * makes protobufjs skip Node's native UTF-8 decoding, which costs more than
 * a third of the decoding time.
 */
const text = (id: number) => ({ type: "string", id, options: { features: { utf8_validation: "NONE" } } });

const keyValues = (id: number) => ({ rule: "repeated", type: "opentelemetry.proto.common.v1.KeyValue", id });

export const OTLP_TRACE_DESCRIPTOR: INamespace = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      oneofs: {
                        value: {
                          oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"],
                        },
                      },
                      fields: {
                        stringValue: text(1),
                        boolValue: { type: "bool", id: 2 },
                        intValue: { type: "int64", id: 3 },
                        doubleValue: { type: "double", id: 4 },
                        arrayValue: { type: "ArrayValue", id: 5 },
                        kvlistValue: { type: "KeyValueList", id: 6 },
                        bytesValue: { type: "bytes", id: 7 },
                      },
                    },
                    ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
                    KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
                    KeyValue: { fields: { key: text(1), value: { type: "AnyValue", id: 2 } } },
                    InstrumentationScope: {
                      fields: {
                        name: text(1),
                        version: text(2),
                        attributes: keyValues(3),
                        droppedAttributesCount: { type: "uint32", id: 4 },
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: {
                      fields: { attributes: keyValues(1), droppedAttributesCount: { type: "uint32", id: 2 } },
                    },
                  },
                },
              },
            },
            trace: {
              nested: {
                v1: {
                  nested: {
                    ResourceSpans: {
                      fields: {
                        resource: { type: "opentelemetry.proto.resource.v1.Resource", id: 1 },
                        scopeSpans: { rule: "repeated", type: "ScopeSpans", id: 2 },
                        schemaUrl: text(3),
                      },
                    },
                    ScopeSpans: {
                      fields: {
                        scope: { type: "opentelemetry.proto.common.v1.InstrumentationScope", id: 1 },
                        spans: { rule: "repeated", type: "Span", id: 2 },
                        schemaUrl: text(3),
                      },
                    },
                    Span: {
                      fields: {
                        traceId: { type: "bytes", id: 1 },
                        spanId: { type: "bytes", id: 2 },
                        traceState: text(3),
                        parentSpanId: { type: "bytes", id: 4 },
                        flags: { type: "fixed32", id: 16 },
                        name: text(5),
                        kind: { type: "SpanKind", id: 6 },
                        startTimeUnixNano: { type: "fixed64", id: 7 },
                        endTimeUnixNano: { type: "fixed64", id: 8 },
                        attributes: keyValues(9),
                        droppedAttributesCount: { type: "uint32", id: 10 },
                        events: { rule: "repeated", type: "Event", id: 11 },
                        droppedEventsCount: { type: "uint32", id: 12 },
                        links: { rule: "repeated", type: "Link", id: 13 },
                        droppedLinksCount: { type: "uint32", id: 14 },
                        status: { type: "Status", id: 15 },
                      },
                      nested: {
                        SpanKind: { values: OTLP_SPAN_KINDS },
                        Event: {
                          fields: {
                            timeUnixNano: { type: "fixed64", id: 1 },
                            name: text(2),
                            attributes: keyValues(3),
                            droppedAttributesCount: { type: "uint32", id: 4 },
                          },
                        },
                        Link: {
                          fields: {
                            traceId: { type: "bytes", id: 1 },
                            spanId: { type: "bytes", id: 2 },
                            traceState: text(3),
                            attributes: keyValues(4),
                            droppedAttributesCount: { type: "uint32", id: 5 },
                            flags: { type: "fixed32", id: 6 },
                          },
                        },
                      },
                    },
                    Status: {
                      fields: { message: text(2), code: { type: "StatusCode", id: 3 } },
                      nested: {
                        StatusCode: { values: OTLP_STATUS_CODES },
                      },
                    },
                  },
                },
              },
            },
            collector: {
              nested: {
                trace: {
                  nested: {
                    v1: {
                      nested: {
                        ExportTraceServiceRequest: {
                          fields: {
                            resourceSpans: { rule: "repeated", type: "opentelemetry.proto.trace.v1.ResourceSpans", id: 1 },
                          },
                        },
                        ExportTraceServiceResponse: {
                          fields: { partialSuccess: { type: "ExportTracePartialSuccess", id: 1 } },
                        },
                        ExportTracePartialSuccess: {
                          fields: { rejectedSpans: { type: "int64", id: 1 }, errorMessage: text(2) },
                        },
                        TraceService: {
                          methods: {
                            Export: { requestType: "ExportTraceServiceRequest", responseType: "ExportTraceServiceResponse" },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { typeUrl: text(1), value: { type: "bytes", id: 2 } } },
            Duration: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: "int32", id: 1 },
                message: text(2),
                details: { rule: "repeated", type: "google.protobuf.Any", id: 3 },
              },
            },
            RetryInfo: { fields: { retryDelay: { type: "google.protobuf.Duration", id: 1 } } },
          },
        },
      },
    },
  },
};

export const TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
export const EXPORT_REQUEST = "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest";
export const EXPORT_RESPONSE = "opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse";
export const RPC_STATUS = "google.rpc.Status";
export const RETRY_INFO = "google.rpc.RetryInfo";

/** Bits of `Span.flags` (SpanFlags): whether the parent's remoteness is known, and whether it is remote. */
export const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
export const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
