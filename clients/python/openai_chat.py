"""Plain chat through the engine with the official openai Python SDK, streaming and not."""
import json
import os

from openai import OpenAI

client = OpenAI(base_url=os.environ["GRIZZ_BASE_URL"], api_key=os.environ["GRIZZ_API_KEY"], max_retries=0)
model = os.environ.get("GRIZZ_MODEL", "demo")

whole = client.chat.completions.create(
    model=model, messages=[{"role": "user", "content": "what is a grizzly"}], temperature=0.2
)
pieces = []
with client.chat.completions.stream(
    model=model, messages=[{"role": "user", "content": "what is a grizzly"}]
) as stream:
    for event in stream:
        if event.type == "content.delta":
            pieces.append(event.delta)
    final = stream.get_final_completion()

print(
    json.dumps(
        {
            "text": whole.choices[0].message.content,
            "finish": whole.choices[0].finish_reason,
            "prompt_tokens": whole.usage.prompt_tokens,
            "request_id": whole._request_id,
            "streamed": "".join(pieces),
            "stream_finish": final.choices[0].finish_reason,
        }
    )
)
