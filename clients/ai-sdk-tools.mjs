// The Vercel AI SDK's OpenAI provider in Chat Completions mode (.chat) against the engine, with a
// tool and two steps: generateText, or streamText with STREAM=1. Prints one JSON line.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool, stepCountIs } from 'ai';
import { z } from 'zod';

const openai = createOpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY });
const calls = [];
const options = {
  model: openai.chat(process.env.MODEL),
  prompt: 'What is the weather in Paris?',
  tools: {
    weather: tool({
      description: 'The weather in a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push({ city });
        return { city, sky: 'sunny', celsius: 21 };
      },
    }),
  },
  stopWhen: stepCountIs(3),
  maxRetries: 0,
};
let text;
let steps;
let finishReason;
if (process.env.STREAM === '1') {
  const result = streamText({ ...options, onError: ({ error }) => { console.error(error); process.exitCode = 1; } });
  text = await result.text;
  steps = await result.steps;
  finishReason = await result.finishReason;
} else {
  const result = await generateText(options);
  text = result.text;
  steps = result.steps;
  finishReason = result.finishReason;
}
console.log(JSON.stringify({ text, calls, steps: steps.map((s) => s.finishReason), finishReason }));
