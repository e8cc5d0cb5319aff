package dev.grizz.engine.responses;

import dev.grizz.engine.agent.DirectToolLoop;
import dev.grizz.engine.agent.StepRunner;
import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.ResponseChains;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a background response: a step like any other (claimed, leased, taken over when its pod
 * dies, cancelled from any pod), whose answer goes to its stored response instead of to a caller.
 * The request is read again from the step; its context from the chain it belongs to.
 */
@Component
class ResponseStepRunner implements StepRunner {

  private static final Logger log = LoggerFactory.getLogger(ResponseStepRunner.class);

  private final ResponseAnswers answers;
  private final ResponseChains chains;
  private final JsonMapper json;

  ResponseStepRunner(ResponseAnswers answers, ResponseChains chains, JsonMapper json) {
    this.answers = answers;
    this.chains = chains;
    this.json = json;
  }

  @Override
  public Step.StepType type() {
    return Step.StepType.RESPONSE;
  }

  @Override
  public void run(ClaimedStep step, CancelSignal cancel) {
    ObjectNode queued = json.valueToTree(step.metadata().get("response"));
    JsonNode body = json.valueToTree(step.metadata().get("request"));
    String hex = step.stepId().toString().replace("-", "");
    ObjectNode finished;
    try {
      ResponsesRequests.Parsed request = answers.parse(step.userId(), body);
      List<JsonNode> items = chains.context(step.userId(), step.stepId(), false);
      ResponsesInput.Context context =
          ResponsesInput.read(json, items, json.createArrayNode(), reference -> null);
      LlmRequest llm = answers.request(request, context);
      DirectToolLoop.Result result =
          answers.complete(
              step.userId(),
              step.apiKeyId(),
              llm,
              request,
              DeltaSink.textOnly(ignored -> {}),
              call -> {},
              cancel);
      Completion completion = result.completion();
      ResponseObjects objects =
          new ResponseObjects(
              json, request, queued.path("id").asString(), queued.path("created_at").asLong());
      finished =
          objects.finished(
              completion.provider() + "/" + completion.model(),
              objects.output(hex, result.rounds()),
              completion,
              result.usage());
    } catch (RuntimeException e) {
      // Refused on its way in (a spent budget, the content policy): the response ends failed,
      // saying why, where its owner polls.
      log.info("background response {} failed: {}", step.stepId(), e.toString());
      finished = queued.deepCopy();
      finished.put("status", "failed");
      finished
          .putObject("error")
          .put("code", "server_error")
          .put("message", ResponsesErrors.describe(e));
    }
    if (!chains.finish(step.stepId(), step.attempt(), finished)) {
      log.info(
          "background response {}: attempt {} lost its claim; its answer is not kept",
          step.stepId(),
          step.attempt());
    }
  }
}
