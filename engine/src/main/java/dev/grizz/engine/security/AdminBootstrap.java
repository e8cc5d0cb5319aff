package dev.grizz.engine.security;

import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes the configured admin account at start-up (GRIZZ_ADMIN_EMAIL), so a new deployment has
 * someone who can reach the admin routes. Running it again resets that account's password.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final AuthSettings settings;
  private final Accounts accounts;

  AdminBootstrap(AuthSettings settings, Accounts accounts) {
    this.settings = settings;
    this.accounts = accounts;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    String email = settings.adminEmail();
    if (email == null) {
      return;
    }
    String password =
        settings.adminPasswordFile() != null
            ? Files.readString(settings.adminPasswordFile()).strip()
            : settings.adminPassword();
    if (password == null) {
      return;
    }
    accounts.ensureAdmin(email, password);
    log.info("Admin account {} is ready", email);
  }
}
