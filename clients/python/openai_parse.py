"""Structured output through the engine with the official openai Python SDK, unmodified:
``chat.completions.parse(response_format=<a pydantic model>)``, whose ``.parsed`` must come back as
an instance of that model, also streamed (``chat.completions.stream(response_format=...)``); then an
image content part, and a value out of range, which the SDK raises as ``BadRequestError`` naming the
parameter. Prints one JSON object for ToolClientsIT."""
import json
import os

import pydantic
from openai import BadRequestError, OpenAI

client = OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
model = os.environ["MODEL"]


class City(pydantic.BaseModel):
    name: str
    population: int


parsed = client.chat.completions.parse(
    model=model,
    messages=[{"role": "user", "content": "Describe Paris."}],
    response_format=City,
)
message = parsed.choices[0].message

with client.chat.completions.stream(
    model=model, messages=[{"role": "user", "content": "Describe Paris."}], response_format=City
) as stream:
    done = [event.parsed for event in stream if event.type == "content.done"]
    streamed = stream.get_final_completion().choices[0].message.parsed

image = client.chat.completions.create(
    model=model,
    messages=[
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this picture?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"},
                },
            ],
        }
    ],
)

try:
    client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}], temperature=5)
    refused = None
except BadRequestError as e:
    refused = {"status": e.status_code, "param": e.param, "code": e.code, "type": e.type}

print(
    json.dumps(
        {
            "is_city": isinstance(message.parsed, City),
            "parsed": message.parsed.model_dump() if message.parsed else None,
            "refusal": message.refusal,
            "finish": parsed.choices[0].finish_reason,
            "image_answer": image.choices[0].message.content,
            "streamed_is_city": isinstance(streamed, City) and isinstance(done[0], City),
            "streamed_parsed": streamed.model_dump(),
            "refused": refused,
        }
    )
)
