/**
 * The `openai` client traced by `@traceloop/instrumentation-openai` (OpenLLMetry),
 * registered as a user does under ESM (`manuallyInstrument(OpenAI)`), on
 * Chat Completions and on the Responses API.
 */
import { OpenAIInstrumentation } from "@traceloop/instrumentation-openai";
import OpenAI from "openai";
import { openAiClientSuite } from "../support/frameworks/openai-client.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

const instrumentation = new OpenAIInstrumentation();
instrumentation.manuallyInstrument(OpenAI);

defineFrameworkSuite(openAiClientSuite("openllmetry", "chat", instrumentation));
defineFrameworkSuite(openAiClientSuite("openllmetry", "responses", instrumentation));
