// The official openai SDK's runTools against the engine: the model calls weather(), the SDK runs
// it and sends the result back, the model answers. STREAM=1 streams. Prints one JSON line.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
const calls = [];
const runner = client.chat.completions.runTools({
  model: process.env.MODEL,
  stream: process.env.STREAM === '1',
  messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
  tools: [
    {
      type: 'function',
      function: {
        name: 'weather',
        description: 'The weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        parse: JSON.parse,
        function: (args) => {
          calls.push(args);
          return { city: args.city, sky: 'sunny', celsius: 21 };
        },
      },
    },
  ],
});
const content = await runner.finalContent();
const messages = runner.messages.map((m) => ({ role: m.role, tool_calls: m.tool_calls?.length ?? 0 }));
console.log(JSON.stringify({ content, calls, messages }));
