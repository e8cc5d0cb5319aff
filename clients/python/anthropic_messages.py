"""The official anthropic Python SDK, unmodified, against the engine's /v1/messages (the API key as
the SDK's ``api_key``, sent as ``x-api-key``): text, then a two-turn tool exchange not streamed and
streamed (``messages.stream(...)`` + ``get_final_message()``), the assistant's content sent back as
the SDK returned it; and the SDK's own tool loop, ``beta.messages.tool_runner`` with a ``@beta_tool``
function (it posts to ``/v1/messages?beta=true``). Prints one JSON object for AnthropicSdkIT."""
import json
import os

from anthropic import Anthropic, beta_tool

client = Anthropic(base_url=os.environ["GRIZZ_URL"], api_key=os.environ["GRIZZ_KEY"], max_retries=0)
model = os.environ["GRIZZ_MODEL"]
weather = {
    "name": "weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
out = {}

text = client.messages.create(
    model=model, max_tokens=100, system="be brief", messages=[{"role": "user", "content": "hello"}]
)
out["text"] = text.model_dump(mode="json")

question = {"role": "user", "content": "weather in Paris?"}
first = client.messages.create(model=model, max_tokens=200, tools=[weather], messages=[question])
call = next(block for block in first.content if block.type == "tool_use")
second = client.messages.create(
    model=model,
    max_tokens=200,
    tools=[weather],
    messages=[
        question,
        {"role": "assistant", "content": first.content},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "sunny, 21 C"}]},
    ],
)
out["tool_turn_1"] = first.model_dump(mode="json")
out["tool_turn_2"] = second.model_dump(mode="json")

question = {"role": "user", "content": "weather in Oslo?"}
with client.messages.stream(model=model, max_tokens=200, tools=[weather], messages=[question]) as stream:
    first = stream.get_final_message()
call = next(block for block in first.content if block.type == "tool_use")
pieces = []
with client.messages.stream(
    model=model,
    max_tokens=200,
    tools=[weather],
    messages=[
        question,
        {"role": "assistant", "content": first.content},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "snow"}]},
    ],
) as stream:
    for piece in stream.text_stream:
        pieces.append(piece)
    second = stream.get_final_message()
out["stream_tool_turn_1"] = first.model_dump(mode="json")
out["stream_tool_turn_2"] = second.model_dump(mode="json")
out["streamed"] = "".join(pieces)



@beta_tool
def weather_tool(city: str) -> str:
    """The weather in a city

    Args:
        city: the city
    """
    return "sunny in " + city


runner = client.beta.messages.tool_runner(
    model=model, max_tokens=200, tools=[weather_tool], messages=[{"role": "user", "content": "weather in Rome?"}]
)
out["runner"] = [message.model_dump(mode="json") for message in runner]

print(json.dumps(out))
