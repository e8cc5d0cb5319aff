package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathTests {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/api/v1/me",
        "/api/v1/conversations/0190c2a4-1d2e-7c3b-8a4f-5e6d7c8b9a0f/events",
        "/api/v1/me/",
        "/_next/static/chunks/app/%5Bid%5D/page.js",
        "/caf%C3%A9",
        "/a.b/c..d/.e",
        // A model id's slash, escaped by OpenAI's SDKs, in the last segment of /v1/models/{id}.
        "/v1/models/openai%2Fgpt-4o",
        "/v1/models/openai%2fgpt-4o",
        "/v1/models/openai%2Fgpt-4o%3Alatest",
        // A served model whose own name holds a '/' (vLLM's org/model), escaped whole.
        "/v1/models/local%2Fmeta-llama%2FLlama-3.1-8B"
      })
  void acceptsPathsWithNothingToDecodeOrNormalise(String path) {
    assertThat(CanonicalPath.problem(path)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api;/v1/admin/violations",
        "/api/v1/admin;x/violations",
        "/%61pi/v1/admin/violations",
        "/api/v1/admin%2Fviolations",
        "/api/v1/admin%2fviolations",
        "/api/v1/%2e/admin",
        "/api/v1/%2E%2E/admin",
        "/api/v1/admin%3Bx",
        "/api/v1/admin%5Cx",
        "/api/v1/%25",
        "//api/v1/admin/violations",
        "/api//v1",
        "/api/v1/./admin",
        "/api/v1/x/../admin",
        "/api/v1/..",
        "/api/v1/.",
        "/api\\\\v1",
        "/api/v1/%zz",
        "/api/v1/%4",
        "api/v1/me",
        "",
        // An escaped slash anywhere but a model id's segment.
        "/v1/models%2Fopenai",
        "/v1%2Fmodels/openai",
        "/v1/models/openai/gpt%2F4o",
        "/v1/models/openai%2Fgpt/x",
        "/v1/modelsx/openai%2Fgpt",
        "/v1/models/openai%2F..%2Fx%25"
      })
  void refusesEverySpellingTheRouterWouldReadDifferently(String path) {
    assertThat(CanonicalPath.problem(path)).as(path).isNotNull();
  }
}
