// The Vercel AI SDK's default OpenAI provider, unmodified, against Grizz: createOpenAI(...)(model)
// speaks the Responses API (POST /v1/responses). generateText without tools, then generateText and
// streamText each with a tool over two steps (the tool call, then the answer to its result).
// Prints one JSON line for the Java test to check: engine/src/test/java/dev/grizz/engine/llm/
// ResponsesClientsIT.java. Env: GRIZZ_BASE_URL (…/v1), GRIZZ_API_KEY, GRIZZ_MODEL.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, stepCountIs, tool, jsonSchema } from 'ai';

const openai = createOpenAI({
  baseURL: process.env.GRIZZ_BASE_URL,
  apiKey: process.env.GRIZZ_API_KEY,
});
const model = openai(process.env.GRIZZ_MODEL);

const calls = [];
const weather = tool({
  description: 'The weather in a city',
  inputSchema: jsonSchema({
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  }),
  execute: async ({ city }) => {
    calls.push(city);
    return { city, celsius: 21 };
  },
});

const plain = await generateText({ model, prompt: 'Say hello', maxRetries: 0 });

const generated = await generateText({
  model,
  prompt: 'What is the weather in Paris?',
  tools: { get_weather: weather },
  stopWhen: stepCountIs(2),
  maxRetries: 0,
});

const streamed = streamText({
  model,
  prompt: 'What is the weather in Rome?',
  tools: { get_weather: weather },
  stopWhen: stepCountIs(2),
  maxRetries: 0,
  include: { requestBody: true },
  onError: ({ error }) => {
    console.error('streamText error', error);
    process.exitCode = 1;
  },
});
let streamedText = '';
for await (const piece of streamed.textStream) {
  streamedText += piece;
}
const streamedSteps = await streamed.steps;

console.log(
  JSON.stringify({
    plain: { text: plain.text, finishReason: plain.finishReason, responseId: plain.response.id },
    generated: {
      text: generated.text,
      steps: generated.steps.length,
      toolCalls: generated.steps[0].toolCalls.map((c) => ({ name: c.toolName, input: c.input })),
      finishReasons: generated.steps.map((s) => s.finishReason),
      inputTokens: generated.totalUsage.inputTokens,
    },
    streamed: {
      text: streamedText,
      steps: streamedSteps.length,
      finishReasons: streamedSteps.map((s) => s.finishReason),
      // What the second step sent: the input items' types.
      secondInput: JSON.parse(
        typeof streamedSteps[1].request.body === 'string'
          ? streamedSteps[1].request.body
          : JSON.stringify(streamedSteps[1].request.body ?? {}),
      ).input?.map((item) => item.type ?? item.role),
    },
    executed: calls,
  }),
);
