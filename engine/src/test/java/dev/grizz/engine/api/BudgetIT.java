package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.usage.Budgets;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Budgets refuse a request before any provider is called; usage is reported per group. */
@EngineIT
class BudgetIT {

  @LocalServerPort int port;
  @Autowired Budgets budgets;
  @Autowired JdbcClient jdbc;
  ApiClient api;
  String conversation;

  @BeforeEach
  void setUp() {
    api = new ApiClient(port);
    conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
  }

  @AfterEach
  void noLimits() {
    budgets.setLimits(api.userId(), new Budgets.Limits(null, null, null));
  }

  private long usageRows() {
    return jdbc.sql("select count(*) from llm_usage").query(Long.class).single();
  }

  @Test
  void aSpentDailyBudgetRefusesBeforeTheProviderIsCalled() {
    budgets.setLimits(api.userId(), new Budgets.Limits(BigDecimal.ZERO, null, null));
    long before = usageRows();

    ApiClient.Reply reply =
        api.post("/api/v1/conversations/" + conversation + "/messages", "{\"content\":\"hi\"}");

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.errorCode()).isEqualTo("budget_exceeded");
    assertThat(reply.body().at("/error/details/limit").asString()).isEqualTo("daily_cents");
    assertThat(reply.body().at("/error/details/remaining").decimalValue())
        .isEqualByComparingTo("0");
    assertThat(reply.body().at("/error/details/resets_at").asString())
        .startsWith(LocalDate.now().plusDays(1).toString());
    assertThat(reply.header("Retry-After")).isNotBlank();
    assertThat(usageRows()).isEqualTo(before);
    assertThat(api.get("/api/v1/conversations/" + conversation).body().get("messages")).isEmpty();
  }

  @Test
  void aTokenRateLimitRefusesOnTheOpenAiApiToo() {
    budgets.setLimits(api.userId(), new Budgets.Limits(null, null, 1));

    ApiClient.Reply reply =
        api.post(
            "/v1/chat/completions",
            "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.body().at("/error/code").asString()).isEqualTo("budget_exceeded");
    assertThat(reply.body().at("/error/type").asString()).isEqualTo("insufficient_quota");

    // The Responses API goes through the same budgets.
    ApiClient.Reply responses =
        api.post("/v1/responses", "{\"model\":\"demo\",\"input\":\"hello there\"}");
    assertThat(responses.status()).isEqualTo(429);
    assertThat(responses.body().at("/error/code").asString()).isEqualTo("budget_exceeded");
  }

  @Test
  void aBudgetLeftAllowsTheRequest() {
    budgets.setLimits(
        api.userId(),
        new Budgets.Limits(new BigDecimal("1000"), new BigDecimal("5000"), 1_000_000));

    ApiClient.Reply reply =
        api.post("/api/v1/conversations/" + conversation + "/messages", "{\"content\":\"hi\"}");

    assertThat(reply.status()).isEqualTo(202);
    assertThat(api.get("/api/v1/usage/budget").body().get("daily_cents").decimalValue())
        .isEqualByComparingTo("1000");
  }

  @Test
  void reportsUsageByProviderModelAndDay() {
    api.post("/api/v1/conversations/" + conversation + "/messages", "{\"content\":\"count me\"}");
    api.awaitAnswered(conversation);

    var byModel = api.get("/api/v1/usage?group_by=model").body();
    assertThat(byModel.get("group_by").asString()).isEqualTo("model");
    assertThat(byModel.get("rows").toString()).contains("demo/demo");
    assertThat(byModel.at("/total/attempts").asLong()).isPositive();

    var byDay =
        api.get("/api/v1/usage?group_by=day&from=" + LocalDate.now() + "&to=" + LocalDate.now())
            .body();
    assertThat(byDay.at("/rows/0/key").asString()).isEqualTo(LocalDate.now().toString());

    assertThat(api.get("/api/v1/usage?group_by=planet").errorCode()).isEqualTo("invalid_request");
    assertThat(api.get("/api/v1/usage?from=2026-02-01&to=2026-01-01").errorCode())
        .isEqualTo("invalid_request");
  }
}
