package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisReadOnlyException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures mean Redis cannot be reached, and so switch the pod to PostgreSQL. */
class RedisModeTests {

  @Test
  void aLostConnectionOrATimeoutMeansUnreachable() {
    assertThat(RedisMode.unreachable(new RedisConnectionException("Unable to connect"))).isTrue();
    assertThat(RedisMode.unreachable(new RedisCommandTimeoutException("timed out"))).isTrue();
    assertThat(RedisMode.unreachable(new RedisException("Currently not connected."))).isTrue();
    assertThat(RedisMode.unreachable(new RedisException(new ClosedChannelException()))).isTrue();
    assertThat(RedisMode.unreachable(new java.io.UncheckedIOException(new IOException("reset"))))
        .isTrue();
    // Bucket4j hands on Lettuce's failure wrapped.
    assertThat(
            RedisMode.unreachable(
                new CompletionException(new RedisConnectionException("Connection closed"))))
        .isTrue();
  }

  @Test
  void repliesThatRefuseEveryCommandForAWhileMeanUnreachable() {
    assertThat(RedisMode.unreachable(new RedisLoadingException("LOADING Redis is loading")))
        .isTrue();
    assertThat(RedisMode.unreachable(new RedisBusyException("BUSY Redis is busy running a script")))
        .isTrue();
  }

  @Test
  void anErrorReplyFromARedisThatAnswersDoesNot() {
    assertThat(
            RedisMode.unreachable(
                new RedisCommandExecutionException(
                    "ERR Invalid stream ID specified as stream command argument")))
        .isFalse();
    assertThat(RedisMode.unreachable(new RedisCommandExecutionException("WRONGTYPE Operation")))
        .isFalse();
    assertThat(RedisMode.unreachable(new RedisCommandExecutionException("NOGROUP No such key")))
        .isFalse();
    assertThat(RedisMode.unreachable(new RedisBusyException("BUSYGROUP Group name exists")))
        .isFalse();
    assertThat(RedisMode.unreachable(new RedisNoScriptException("NOSCRIPT No matching script")))
        .isFalse();
    assertThat(RedisMode.unreachable(new RedisReadOnlyException("READONLY replica"))).isFalse();
    assertThat(
            RedisMode.unreachable(
                new CompletionException(new RedisCommandExecutionException("ERR bad"))))
        .isFalse();
  }

  @Test
  void aFailureOfOurOwnDoesNot() {
    assertThat(RedisMode.unreachable(new IllegalArgumentException("Key must not be null")))
        .isFalse();
    assertThat(RedisMode.unreachable(new ClassCastException("Long cannot be cast"))).isFalse();
  }
}
