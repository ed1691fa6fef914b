package app.liuliang.app;

import app.liuliang.config.YamlReader;
import app.liuliang.store.Database;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** What every feature is built on; handed to feature constructors by {@link Wiring}. */
public record Foundation(
    Settings settings,
    Database database,
    Clock clock,
    ObjectMapper json,
    YamlReader yaml,
    WeComClient wecom,
    Outbox outbox,
    MeterRegistry meters) {
}
