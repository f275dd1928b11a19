// The ESM entries, loaded through the package's own exports map.
import * as api from "@opentelemetry/api";
import * as sdk from "@opentelemetry/sdk-trace-base";
import * as root from "@permiso-io/custom-hooks-sdk";
import * as devServer from "@permiso-io/custom-hooks-sdk/dev-server";
import * as guard from "@permiso-io/custom-hooks-sdk/guard";
import * as otel from "@permiso-io/custom-hooks-sdk/otel";
import scenario from "./scenario.cjs";

await scenario.smoke({ root, otel, guard, devServer, sdk, api, label: "ESM" });
