// The official Anthropic SDK, unmodified, against Grizz's /v1/messages: text, streaming, a two-turn
// tool exchange (plain and streamed), an image, and errors. Prints one JSON line per step for
// engine/src/test/java/dev/grizz/engine/llm/AnthropicMessagesIT.java to check.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({
  baseURL: process.env.GRIZZ_URL,
  apiKey: process.env.GRIZZ_KEY,
  maxRetries: 0,
});
const model = process.env.GRIZZ_MODEL;
const print = (step, value) => console.log(JSON.stringify({ step, value }));

const weather = {
  name: 'weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

// 1. Plain text, not streamed.
print('text', await client.messages.create({
  model,
  max_tokens: 100,
  system: 'be brief',
  messages: [{ role: 'user', content: 'hello' }],
}));

// 2. Streamed text, with the events the helper saw.
{
  const stream = client.messages.stream({
    model,
    max_tokens: 100,
    messages: [{ role: 'user', content: 'stream please' }],
  });
  const pieces = [];
  stream.on('text', (text) => pieces.push(text));
  const message = await stream.finalMessage();
  print('stream', { message, pieces });
}

// 3. Two turns with a tool, not streamed.
{
  const question = { role: 'user', content: 'weather in Paris?' };
  const first = await client.messages.create({
    model,
    max_tokens: 200,
    tools: [weather],
    messages: [question],
  });
  print('tool-turn-1', first);
  const call = first.content.find((block) => block.type === 'tool_use');
  const second = await client.messages.create({
    model,
    max_tokens: 200,
    tools: [weather],
    messages: [
      question,
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 21 C' }] },
    ],
  });
  print('tool-turn-2', second);
}

// 4. The same, streamed.
{
  const question = { role: 'user', content: 'weather in Oslo?' };
  const first = await client.messages
    .stream({ model, max_tokens: 200, tools: [weather], messages: [question] })
    .finalMessage();
  print('stream-tool-turn-1', first);
  const call = first.content.find((block) => block.type === 'tool_use');
  const second = await client.messages
    .stream({
      model,
      max_tokens: 200,
      tools: [weather],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'snow' }] },
      ],
    })
    .finalMessage();
  print('stream-tool-turn-2', second);
}

// 5. An image.
print('image', await client.messages.create({
  model,
  max_tokens: 100,
  messages: [{
    role: 'user',
    content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'text', text: 'what is this?' },
    ],
  }],
}));

// 6. Errors, as the SDK raises them.
const failure = async (step, call) => {
  try {
    await call();
    print(step, 'no error');
  } catch (e) {
    print(step, { name: e.constructor.name, status: e.status, error: e.error });
  }
};
await failure('unknown-model', () =>
  client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
await failure('no-max-tokens', () =>
  client.messages.create({ model, messages: [{ role: 'user', content: 'hi' }] }));
await failure('bad-key', () =>
  new Anthropic({ baseURL: process.env.GRIZZ_URL, apiKey: 'not-a-key', maxRetries: 0 }).messages.create({
    model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }],
  }));
