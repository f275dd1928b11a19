/**
 * The `openai` client traced by `@arizeai/openinference-instrumentation-openai`,
 * registered as a user does under ESM (`manuallyInstrument(OpenAI)`), on
 * Chat Completions and on the Responses API.
 */
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import OpenAI from "openai";
import { openAiClientSuite } from "../support/frameworks/openai-client.js";
import { defineFrameworkSuite } from "../support/frameworks/suite.js";

const instrumentation = new OpenAIInstrumentation();
instrumentation.manuallyInstrument(OpenAI);

defineFrameworkSuite(openAiClientSuite("openinference", "chat", instrumentation));
defineFrameworkSuite(openAiClientSuite("openinference", "responses", instrumentation));
