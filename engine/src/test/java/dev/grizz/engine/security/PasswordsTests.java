package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class PasswordsTests {

  private final Passwords passwords = new Passwords();

  @Test
  void passwordsPastSeventyTwoBytesHashAndEveryCharacterCounts() {
    String multibyte = "\u5bc6\u00e9".repeat(30);
    assertThat(multibyte.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(72);
    for (String password : new String[] {"a".repeat(73), "b".repeat(200), multibyte}) {
      String hash = passwords.hash(password);

      assertThat(hash).startsWith(Passwords.PREFIX);
      assertThat(passwords.matches(password, hash)).isTrue();
      assertThat(passwords.matches(password.substring(0, password.length() - 1) + "z", hash))
          .isFalse();
      assertThat(passwords.outdated(hash)).isFalse();
    }
  }

  @Test
  void aBareBcryptHashStillVerifiesAndIsOutdated() {
    String old = new BCryptPasswordEncoder().encode("an old password");

    assertThat(passwords.matches("an old password", old)).isTrue();
    assertThat(passwords.matches("another password", old)).isFalse();
    assertThat(passwords.matches("x".repeat(100), old)).isFalse();
    assertThat(passwords.outdated(old)).isTrue();
  }

  @Test
  void noHashMatchesNothing() {
    assertThat(passwords.matches("a good password", null)).isFalse();
  }
}
