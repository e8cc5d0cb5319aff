package dev.grizz.engine.api;

import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.chat.PostedMessage;
import dev.grizz.engine.event.ChatEvent;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.Usage;
import dev.grizz.engine.security.CurrentUser;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code /v1/chat/completions} with {@value OpenAiCompatController#CONVERSATION_HEADER}: the last
 * user message is posted to that conversation and stored like any other turn, and the answer is
 * relayed from the conversation's events. A stored turn is text only: a request using any optional
 * feature (tools, images, sampling options, a response format) is refused rather than answered
 * without it.
 */
final class OpenAiConversationMode {

  private OpenAiConversationMode() {}

  static @Nullable String answer(
      ChatService chat,
      CurrentUser user,
      OpenAiRequests.Parsed request,
      UUID conversationId,
      OpenAiChunks chunks,
      HttpServletResponse response)
      throws IOException {
    Set<Feature> used = request.request().features();
    if (!used.isEmpty()) {
      String param = request.param(used.iterator().next());
      throw OpenAiRequests.InvalidException.unsupported(
          param,
          "'"
              + param
              + "' is not supported with the "
              + OpenAiCompatController.CONVERSATION_HEADER
              + " header: a conversation's turns are text only; send the request without it");
    }
    PostedMessage posted =
        chat.post(
            user.id(),
            user.caller().apiKeyId(),
            conversationId,
            request.lastUserMessage(),
            request.modelOrNull(),
            null);
    UUID stepId = posted.turn().stepId();
    OutputStream out = request.stream() ? OpenAiStream.start(response) : null;
    CancelSignal cancel = new CancelSignal();
    StringBuilder text = new StringBuilder();
    Usage usage = Usage.UNKNOWN;
    String model = request.model();
    String finish = "stop";
    try (Subscription subscription = chat.subscribeToStep(conversationId, stepId)) {
      boolean done = false;
      // Once the step hands on to tool steps and a follow-up answer, the turn's later steps count.
      boolean wholeTurn = false;
      if (out != null) {
        OpenAiStream.write(out, chunks.role(model), cancel);
      }
      while (!done && !cancel.isCancelled() && !subscription.isClosed()) {
        for (Subscription.Frame frame : subscription.next(Duration.ofSeconds(15))) {
          ChatEvent event = subscription.event(frame);
          if (!wholeTurn && !event.stepId().equals(stepId)) {
            continue;
          }
          // Exhaustive on purpose: a new event type makes this a compile error until /v1 decides.
          switch (event.data()) {
            case EventData.MessageDelta delta -> {
              text.append(delta.text());
              if (out != null) {
                OpenAiStream.write(out, chunks.delta(model, delta.text()), cancel);
              }
            }
            case EventData.Usage reported -> {
              model = reported.provider() + "/" + reported.model();
              // Counts the provider did not report stay null (were 0 when read as JSON text).
              usage =
                  new Usage(
                      reported.promptTokens(), reported.completionTokens(), reported.estimated());
            }
            case EventData.ReasoningDelta reasoning -> {
              if (out != null) {
                OpenAiStream.write(out, chunks.reasoning(model, reasoning.text()), cancel);
              }
            }
            case EventData.StepRestarted _ -> text.setLength(0);
            case EventData.StepCancelled _ -> finish = "stop";
            case EventData.StepFailed _ -> finish = "error";
            case EventData.StepFinished finished -> {
              done = finished.endsTurn();
              wholeTurn |= finished.continues();
            }
            case EventData.StepStarted _,
                EventData.StepModel _,
                EventData.MessageCompleted _,
                EventData.ModerationBlocked _,
                EventData.ToolCall _,
                EventData.ToolApproval _,
                EventData.ToolResult _,
                EventData.ToolOutput _,
                EventData.Error _ -> {}
          }
        }
      }
    }
    if (out == null) {
      return chunks.whole(model, text.toString(), "", java.util.List.of(), finish, usage);
    }
    OpenAiStream.write(out, chunks.finish(model, finish), cancel);
    if (request.includeUsage()) {
      OpenAiStream.write(out, chunks.usage(model, usage), cancel);
    }
    OpenAiStream.write(out, OpenAiStream.DONE, cancel);
    return null;
  }
}
