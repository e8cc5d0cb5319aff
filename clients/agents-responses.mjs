// The OpenAI Agents SDK, unmodified, against Grizz's /v1/responses (its default API): an agent with
// a function tool, run to its final output, then run again streamed. Prints one JSON line for
// engine/src/test/java/dev/grizz/engine/llm/ResponsesClientsIT.java.
// Env: GRIZZ_BASE_URL (…/v1), GRIZZ_API_KEY, GRIZZ_MODEL.
import {
  Agent,
  run,
  tool,
  setDefaultOpenAIClient,
  setOpenAIAPI,
  setTracingDisabled,
} from '@openai/agents';
import OpenAI from 'openai';

// Traces would otherwise be exported to OpenAI's servers.
setTracingDisabled(true);
setOpenAIAPI('responses');
setDefaultOpenAIClient(
  new OpenAI({
    baseURL: process.env.GRIZZ_BASE_URL,
    apiKey: process.env.GRIZZ_API_KEY,
    maxRetries: 0,
  }),
);

const calls = [];
const weather = tool({
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
  execute: async ({ city }) => {
    calls.push(city);
    return JSON.stringify({ city, celsius: 21 });
  },
});
const agent = new Agent({
  name: 'Weather',
  instructions: 'Answer about the weather.',
  model: process.env.GRIZZ_MODEL,
  tools: [weather],
});

const result = await run(agent, 'What is the weather in Paris?');
const streamed = await run(agent, 'And in Rome?', { stream: true });
let text = '';
for await (const piece of streamed.toTextStream()) {
  text += piece;
}
await streamed.completed;

console.log(
  JSON.stringify({
    finalOutput: result.finalOutput,
    streamedFinal: streamed.finalOutput,
    text,
    calls,
  }),
);
