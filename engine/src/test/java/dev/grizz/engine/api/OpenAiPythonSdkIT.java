package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.PythonClients;
import dev.grizz.engine.llm.DemoProviderAccess;
import dev.grizz.engine.security.Accounts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The official openai Python SDK, unmodified, pointed at Grizz: plain chat, streaming and not. */
@EngineIT
class OpenAiPythonSdkIT {

  @LocalServerPort int port;
  @Autowired Accounts accounts;

  @Test
  void completesAndStreamsAsAgainstOpenAi() {
    ApiClient admin = ApiClient.admin(port, accounts);
    String key = admin.post("/api/v1/api-keys", "{\"name\":\"py\"}").body().get("key").asString();

    JsonNode out =
        JsonMapper.shared()
            .readTree(
                PythonClients.run(
                    "openai_chat.py",
                    Map.of(
                        "GRIZZ_BASE_URL",
                        "http://127.0.0.1:" + port + "/v1",
                        "GRIZZ_API_KEY",
                        key)));

    String reply = DemoProviderAccess.reply("what is a grizzly");
    assertThat(out.get("text").asString()).startsWith(reply);
    assertThat(out.get("finish").asString()).isEqualTo("stop");
    assertThat(out.get("prompt_tokens").asInt()).isPositive();
    assertThat(out.get("request_id").asString()).isNotBlank();
    assertThat(out.get("streamed").asString()).startsWith(reply);
    assertThat(out.get("stream_finish").asString()).isEqualTo("stop");
  }
}
