/**
 * LangChain v1 `createAgent` traced by `@arizeai/openinference-instrumentation-langchain`,
 * registered as its README says (`manuallyInstrument` on the callback manager module).
 */
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { callDirectly, langChainScenarios } from "../support/frameworks/langchain.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

const instrumentation = new LangChainInstrumentation();
instrumentation.manuallyInstrument(CallbackManagerModule);

defineFrameworkSuite({
  name: "langchain+openinference",
  scenarios: langChainScenarios(callDirectly),
  instrument: (provider) => instrumentation.setTracerProvider(provider as never),
  fetchesTokenizer: true,
});
