/**
 * The gateway's server stack (protobufjs, @grpc/grpc-js) is an optional peer:
 * users of the client or the bridge never download it. It is loaded when a
 * gateway starts, with an error that says what to install when it is missing.
 */
import type * as Grpc from "@grpc/grpc-js";
import type * as Protobuf from "protobufjs";
import { ConfigurationError } from "../transport/endpoint.js";

export const INSTALL_COMMAND = "npm install protobufjs@^8 @grpc/grpc-js@^1.14";

export interface ServerStack {
  protobuf: { Root: typeof Protobuf.Root };
  grpc: typeof Grpc;
}

export async function loadServerStack(): Promise<ServerStack> {
  const load = async <T>(name: string): Promise<T> => {
    try {
      const module = (await import(name)) as T & { default?: T };
      return module.default ?? module;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND" || (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
        throw new ConfigurationError(`the Permiso gateway needs ${name}, which is not installed: ${INSTALL_COMMAND}`);
      }
      throw error;
    }
  };
  const [protobuf, grpc] = await Promise.all([load<typeof Protobuf>("protobufjs"), load<typeof Grpc>("@grpc/grpc-js")]);
  return { protobuf, grpc };
}
