package dev.grizz.engine.usage;

import dev.grizz.engine.config.IdGenerator;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The usage ledger: every completion attempt is written here once, with its exact cost. */
@Service
public class UsageLedger {

  private final LlmUsageRepository repository;
  private final IdGenerator ids;
  private final Clock clock;

  UsageLedger(LlmUsageRepository repository, IdGenerator ids, Clock clock) {
    this.repository = repository;
    this.ids = ids;
    this.clock = clock;
  }

  /** Writes one usage row; joins the caller's transaction when there is one. */
  @Transactional
  public UsageRow record(UsageRecord record) {
    UsageRow row = new UsageRow(ids.next(), record, clock.instant());
    repository.insert(row);
    return row;
  }

  @Transactional(readOnly = true)
  public List<UsageRow> forStep(UUID stepId) {
    return repository.forStep(stepId);
  }
}
