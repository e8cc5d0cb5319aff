"""A two-turn tool exchange through the engine's /v1/chat/completions with the official openai
Python SDK, unmodified. STREAM=0: ``chat.completions.create(tools=...)``, the assistant's message
sent back as the SDK returned it (the usual ``messages.append(message)`` idiom); STREAM=1:
``chat.completions.stream(...)`` with a pydantic function tool, the SDK assembling the streamed
tool-call deltas and parsing their arguments, the assembled message sent back as is too. Prints
one JSON object for ToolClientsIT."""
import json
import os

import pydantic
from openai import OpenAI, pydantic_function_tool

client = OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
model = os.environ["MODEL"]
stream = os.environ.get("STREAM") == "1"


class Weather(pydantic.BaseModel):
    """The weather in a city"""

    city: str


def weather(city: str) -> str:
    return json.dumps({"city": city, "sky": "sunny", "celsius": 21})


messages = [{"role": "user", "content": "What is the weather in Paris?"}]
out = {"calls": [], "finishes": []}

if not stream:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "weather",
                "description": "The weather in a city",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                },
            },
        }
    ]
    first = client.chat.completions.create(model=model, messages=messages, tools=tools)
    message = first.choices[0].message
    out["finishes"].append(first.choices[0].finish_reason)
    messages.append(message)
    for call in message.tool_calls:
        arguments = json.loads(call.function.arguments)
        out["calls"].append(arguments)
        messages.append({"role": "tool", "tool_call_id": call.id, "content": weather(**arguments)})
    second = client.chat.completions.create(model=model, messages=messages, tools=tools)
    out["finishes"].append(second.choices[0].finish_reason)
    out["content"] = second.choices[0].message.content
else:
    tools = [pydantic_function_tool(Weather, name="weather")]
    with client.chat.completions.stream(model=model, messages=messages, tools=tools) as events:
        done = [e for e in events if e.type == "tool_calls.function.arguments.done"]
        first = events.get_final_completion()
    out["finishes"].append(first.choices[0].finish_reason)
    out["done_events"] = [{"name": e.name, "city": e.parsed_arguments.city} for e in done]
    message = first.choices[0].message
    # Sent back as is: the SDK serializes its parse results along (``parsed``, and each call's
    # ``function.parsed_arguments``), which the engine must take.
    messages.append(message)
    for call in message.tool_calls:
        parsed = call.function.parsed_arguments
        out["calls"].append(parsed.model_dump())
        messages.append({"role": "tool", "tool_call_id": call.id, "content": weather(parsed.city)})
    pieces = []
    with client.chat.completions.stream(model=model, messages=messages, tools=tools) as events:
        for event in events:
            if event.type == "content.delta":
                pieces.append(event.delta)
        second = events.get_final_completion()
    out["finishes"].append(second.choices[0].finish_reason)
    out["content"] = second.choices[0].message.content
    out["streamed"] = "".join(pieces)

print(json.dumps(out))
