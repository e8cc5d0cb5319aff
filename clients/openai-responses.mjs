// The official OpenAI Node SDK's Responses API, unmodified, against Grizz: responses.create without
// and with streaming, a function tool answered through previous_response_id, then retrieve, input items and
// delete. Prints one JSON line for engine/src/test/java/dev/grizz/engine/llm/ResponsesClientsIT.java.
// Env: GRIZZ_BASE_URL (…/v1), GRIZZ_API_KEY, GRIZZ_MODEL.
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.GRIZZ_BASE_URL,
  apiKey: process.env.GRIZZ_API_KEY,
  maxRetries: 0,
});
const model = process.env.GRIZZ_MODEL;

const plain = await client.responses.create({ model, input: 'Say hello', instructions: 'Be brief' });

const events = [];
let streamedText = '';
const stream = await client.responses.create({ model, input: 'Say hello again', stream: true });
for await (const event of stream) {
  events.push(event.type);
  if (event.type === 'response.output_text.delta') {
    streamedText += event.delta;
  }
}

const tools = [
  {
    type: 'function',
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
];
const asked = await client.responses.create({ model, input: 'Weather in Paris?', tools });
const call = asked.output.find((item) => item.type === 'function_call');
const answered = await client.responses.create({
  model,
  previous_response_id: asked.id,
  tools,
  input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"celsius":21}' }],
});

const retrieved = await client.responses.retrieve(answered.id);
// Two items a page, oldest first: the SDK follows has_more with after=last_id.
const inputItems = [];
for await (const item of client.responses.inputItems.list(answered.id, { limit: 2, order: 'asc' })) {
  inputItems.push({ id: item.id, type: item.type, role: item.role });
}
await client.responses.delete(answered.id);
let afterDelete = 0;
try {
  await client.responses.retrieve(answered.id);
} catch (error) {
  afterDelete = error.status;
}

console.log(
  JSON.stringify({
    plain: { text: plain.output_text, status: plain.status, usage: plain.usage },
    streamed: { text: streamedText, events },
    call: { name: call.name, arguments: call.arguments, callId: call.call_id },
    answered: { text: answered.output_text, previous: answered.previous_response_id },
    retrieved: retrieved.output_text,
    inputItems,
    afterDelete,
  }),
);
