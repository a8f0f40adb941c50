package io.integrationengine.services.input.file.sftp;

import io.integrationengine.core.config.DefinitionSource;
import io.integrationengine.core.config.Definitions;
import io.integrationengine.core.config.EngineSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The SFTP channels among {@code engine/channels/*} ({@code type=sftp}), re-read every few seconds. */
@ApplicationScoped
public class SftpChannels {

  @Inject
  DefinitionSource source;

  private Definitions<Optional<SftpChannel>> channels;

  @PostConstruct
  void init() {
    java.nio.file.Path config = EngineSettings.load().configDirectory();
    channels = new Definitions<>(source, "channels", (id, p) -> SftpChannel.isSftp(p) ? Optional.of(SftpChannel.from(id, p, config)) : Optional.empty());
  }

  /** The valid SFTP channels by id. */
  public Map<String, SftpChannel> valid() {
    Map<String, SftpChannel> found = new LinkedHashMap<>();
    channels.current().valid().forEach((id, c) -> c.ifPresent(channel -> found.put(id, channel)));
    return found;
  }

  /** The SFTP channels whose connection or polling settings do not check, with why. */
  public Map<String, String> invalid() {
    return channels.current().invalid();
  }
}
