package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class OpenAiErrorShapeTests {

  private final OpenAiErrorShape shape = new OpenAiErrorShape();
  private final ApiError error = ApiError.of("internal_error", "Something went wrong.", "abc123");

  private Object written(MockHttpServletRequest request, int status) {
    MockHttpServletResponse response = new MockHttpServletResponse();
    response.setStatus(status);
    return shape.beforeBodyWrite(
        error,
        null,
        MediaType.APPLICATION_JSON,
        null,
        new ServletServerHttpRequest(request),
        new ServletServerHttpResponse(response));
  }

  @Test
  void theContainersErrorDispatchForAV1PathIsInOpenAisShape() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
    request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/v1/chat/completions");

    Object body = written(request, 500);

    assertThat(body).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> fields = (Map<String, Object>) ((Map<?, ?>) body).get("error");
    assertThat(fields)
        .containsEntry("message", "Something went wrong.")
        .containsEntry("type", "server_error")
        .containsEntry("param", null)
        .containsEntry("code", "internal_error")
        .containsEntry("trace_id", "abc123");
  }

  @Test
  void otherPathsKeepTheEnginesShape() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
    request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/api/v1/models");

    assertThat(written(request, 500)).isSameAs(error);
    assertThat(written(new MockHttpServletRequest("GET", "/v1x/models"), 404)).isSameAs(error);
  }

  @Test
  void theTypeFollowsTheStatus() {
    assertThat(OpenAiErrorShape.type(401, "x")).isEqualTo("authentication_error");
    assertThat(OpenAiErrorShape.type(415, "x")).isEqualTo("invalid_request_error");
    assertThat(OpenAiErrorShape.type(429, "x")).isEqualTo("rate_limit_error");
  }

  @Test
  void aContextOverflowHasOpenAisCodeAndOtherCodesStay() {
    assertThat(OpenAiErrorShape.openAiCode("context_too_long"))
        .isEqualTo("context_length_exceeded");
    assertThat(OpenAiErrorShape.openAiCode("content_too_long"))
        .isEqualTo("context_length_exceeded");
    assertThat(OpenAiErrorShape.openAiCode("rate_limited")).isEqualTo("rate_limited");
  }

  @Test
  void resetsAreWrittenAsOpenAiWritesThem() {
    assertThat(OpenAiHeaders.duration(0)).isEqualTo("0s");
    assertThat(OpenAiHeaders.duration(59)).isEqualTo("59s");
    assertThat(OpenAiHeaders.duration(60)).isEqualTo("1m0s");
    assertThat(OpenAiHeaders.duration(3725)).isEqualTo("1h2m5s");
  }
}
