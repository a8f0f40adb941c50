package io.integrationengine.core.observability.alerts;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The alert rules ({@code engine/alerts/<name>}), cached for a few seconds as routes are. */
@ApplicationScoped
public class AlertRules {

  @Inject
  DefinitionSource source;

  private Definitions<AlertRule> definitions;

  @PostConstruct
  void init() {
    definitions = new Definitions<>(source, "alerts", AlertRule::from);
  }

  /** The rules that parse, by name, and for the others why not. */
  public Definitions.Snapshot<AlertRule> current() {
    return definitions.current();
  }
}
