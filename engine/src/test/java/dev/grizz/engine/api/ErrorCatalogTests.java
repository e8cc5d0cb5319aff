package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.conversation.ConversationNotFoundException;
import dev.grizz.engine.conversation.ConversationTooLongException;
import dev.grizz.engine.conversation.InvalidStepException;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import dev.grizz.engine.memory.MemoryRejectedException;
import dev.grizz.engine.security.AuthException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * The one error catalog: each failure maps once to its status, code, field at fault, details and
 * headers; and OpenAI's vocabulary on {@code /v1} is a rendering of it, not a second mapping.
 */
class ErrorCatalogTests {

  @Test
  void mapsEachFailureOnceWithTheFieldAtFault() {
    Problem invalid =
        ErrorCatalog.of(
            new InvalidRequestException(Feature.TEMPERATURE, "settings.temperature", "too hot"));
    assertThat(invalid.status().value()).isEqualTo(400);
    assertThat(invalid.code()).isEqualTo("invalid_value");
    assertThat(invalid.param()).isEqualTo("settings.temperature");

    Problem unsupported =
        ErrorCatalog.of(new UnsupportedFeatureException(Feature.SEED, "demo/demo"));
    assertThat(unsupported.code()).isEqualTo("unsupported_parameter");
    assertThat(unsupported.param()).isEqualTo("seed");

    Problem model = ErrorCatalog.of(new UnknownModelException("nope"));
    assertThat(model.status().value()).isEqualTo(400);
    assertThat(model.code()).isEqualTo("unknown_model");
    assertThat(model.param()).isEqualTo("model");

    assertThat(ErrorCatalog.of(new ConversationNotFoundException(UUID.randomUUID())).code())
        .isEqualTo("not_found");
    Problem tooLong = ErrorCatalog.of(new ConversationTooLongException(3));
    assertThat(tooLong.status().value()).isEqualTo(409);
    assertThat(tooLong.details()).containsEntry("max_messages", 3);
    Problem empty = ErrorCatalog.of(new MessageRejectedException("content_empty", "empty"));
    assertThat(empty.status().value()).isEqualTo(400);
    assertThat(empty.code()).isEqualTo("content_empty");
    assertThat(empty.param()).isNull();
    Problem memory =
        ErrorCatalog.of(new MemoryRejectedException("memory_too_long", "content", "too long"));
    assertThat(memory.status().value()).isEqualTo(400);
    assertThat(memory.code()).isEqualTo("memory_too_long");
    assertThat(memory.param()).isEqualTo("content");
    assertThat(memory.message()).isEqualTo("too long");
    Problem step =
        ErrorCatalog.of(new InvalidStepException("invalid_parent_step_id", "parent_step_id", "x"));
    assertThat(step.code()).isEqualTo("invalid_parent_step_id");
    assertThat(step.param()).isEqualTo("parent_step_id");

    Problem auth = ErrorCatalog.of(AuthException.unauthenticated("token_expired", "expired"));
    assertThat(auth.status().value()).isEqualTo(401);
    assertThat(auth.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
  }

  @Test
  void aRequestEveryProviderFailedHasOneStatusWhicheverApiAsked() {
    assertThat(ErrorCatalog.of(new UpstreamFailedException(ErrorCode.RATE_LIMITED, "x")).status())
        .hasToString("429 TOO_MANY_REQUESTS");
    assertThat(ErrorCatalog.upstreamStatus(ErrorCode.CONTEXT_TOO_LONG).value()).isEqualTo(400);
    assertThat(ErrorCatalog.upstreamStatus(ErrorCode.AUTH_FAILED).value()).isEqualTo(502);
    assertThat(ErrorCatalog.upstreamStatus(ErrorCode.UPSTREAM_TIMEOUT).value()).isEqualTo(503);
  }

  @Test
  void aBugIsA500ThatSaysNothingOfItsInsides() {
    Problem bug = ErrorCatalog.of(new NullPointerException("secret detail"));
    assertThat(bug.status().value()).isEqualTo(500);
    assertThat(bug.code()).isEqualTo("internal_error");
    assertThat(bug.message()).doesNotContain("secret");
  }

  @Test
  void openAisVocabularyIsARenderingOfTheCatalog() {
    assertThat(OpenAiErrorShape.openAiCode("unknown_model")).isEqualTo("model_not_found");
    assertThat(OpenAiErrorShape.type(404, "unknown_model")).isEqualTo("invalid_request_error");
    assertThat(OpenAiErrorShape.type(404, "not_found")).isEqualTo("invalid_request_error");
    assertThat(OpenAiErrorShape.type(429, "budget_exceeded")).isEqualTo("insufficient_quota");
    assertThat(OpenAiErrorShape.type(429, "rate_limited")).isEqualTo("rate_limit_error");
    assertThat(OpenAiErrorShape.type(503, "database_unavailable")).isEqualTo("server_error");
  }
}
