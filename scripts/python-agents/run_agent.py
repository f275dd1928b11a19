"""Real Python agents with their real OpenTelemetry instrumentation, exporting
OTLP to a Permiso gateway. Each run is one weather turn against an
OpenAI-compatible server (OPENAI_BASE_URL): the model asks for the `weather`
tool, the tool answers, the model replies.

    python run_agent.py openai-v2|openai-agents|traceloop

Environment: OPENAI_BASE_URL, OPENAI_API_KEY, OTEL_EXPORTER_OTLP_ENDPOINT,
OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or grpc).
"""

import json
import os
import sys

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

PROMPT = "What is the weather in Paris?"
SYSTEM = "You are a weather bot."
MODEL = "gpt-4o-mini"
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


def weather(city: str) -> str:
    return json.dumps({"city": city, "forecast": "sunny"})


def otlp_exporter():
    if os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(insecure=True)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def provider_for(service: str) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(otlp_exporter()))
    return provider


def chat_loop(client) -> str:
    """The application's own tool loop over Chat Completions."""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": PROMPT}]
    while True:
        completion = client.chat.completions.create(model=MODEL, messages=messages, tools=[WEATHER_TOOL])
        message = completion.choices[0].message
        if not message.tool_calls:
            return message.content
        messages.append(message.model_dump(exclude_none=True))
        for call in message.tool_calls:
            result = weather(**json.loads(call.function.arguments))
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result})


def run_openai_v2() -> None:
    """The official instrumentation: one chat span per model call, under the app's own span."""
    os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "gen_ai_latest_experimental")
    os.environ.setdefault("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "span_only")
    from openai import OpenAI
    from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor

    provider = provider_for("openai-v2-agent")
    OpenAIInstrumentor().instrument(tracer_provider=provider)
    tracer = provider.get_tracer("weather-app")
    with tracer.start_as_current_span("weather turn"):
        chat_loop(OpenAI())
    provider.shutdown()


def run_openai_agents() -> None:
    """OpenAI Agents SDK, traced by OpenInference (agent, LLM and tool spans)."""
    from agents import Agent, Runner, function_tool, set_default_openai_api, set_trace_processors
    from openinference.instrumentation.openai_agents import OpenAIAgentsInstrumentor

    set_default_openai_api("chat_completions")
    # Only OpenInference's processor: the SDK's own exporter would upload traces elsewhere.
    set_trace_processors([])
    provider = provider_for("openai-agents-agent")
    OpenAIAgentsInstrumentor().instrument(tracer_provider=provider)

    @function_tool(name_override="weather")
    def weather_tool(city: str) -> str:
        """Current weather for a city"""
        return weather(city)

    agent = Agent(name="weather-agent", instructions=SYSTEM, model=MODEL, tools=[weather_tool])
    Runner.run_sync(agent, PROMPT)
    provider.shutdown()


def run_traceloop() -> None:
    """OpenLLMetry: traceloop-sdk's own OpenAI instrumentation under a workflow and an agent."""
    os.environ["TRACELOOP_TELEMETRY"] = "false"
    from openai import OpenAI
    from traceloop.sdk import Traceloop
    from traceloop.sdk.decorators import agent

    Traceloop.init(app_name="traceloop-agent", exporter=otlp_exporter(), disable_batch=True, telemetry_enabled=False)

    @agent(name="weather-agent")
    def weather_agent() -> str:
        return chat_loop(OpenAI())

    weather_agent()
    trace.get_tracer_provider().force_flush()


AGENTS = {"openai-v2": run_openai_v2, "openai-agents": run_openai_agents, "traceloop": run_traceloop}

if __name__ == "__main__":
    AGENTS[sys.argv[1]]()
