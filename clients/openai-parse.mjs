// Structured output through the openai SDK's chat.completions.parse with zodResponseFormat: the
// engine must pass the strict json_schema on and the parsed answer must come back. Prints JSON.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
const City = z.object({ name: z.string(), population: z.number() });
const completion = await client.chat.completions.parse({
  model: process.env.MODEL,
  messages: [{ role: 'user', content: 'The largest city in France?' }],
  response_format: zodResponseFormat(City, 'city'),
});
const message = completion.choices[0].message;
console.log(JSON.stringify({ parsed: message.parsed, finish: completion.choices[0].finish_reason }));
