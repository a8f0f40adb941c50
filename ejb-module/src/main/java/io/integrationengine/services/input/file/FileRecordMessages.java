package io.integrationengine.services.input.file;

import ca.uhn.hl7v2.HL7Exception;
import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.mllp.framing.Msh18Charsets;
import io.integrationengine.services.input.Acknowledgements;
import io.integrationengine.services.input.ChannelRegistry;
import io.integrationengine.services.input.Hl7Header;
import io.integrationengine.services.input.Hl7Reader;
import io.integrationengine.services.input.file.csv.CsvRecordMessages;
import io.integrationengine.services.processing.ConformanceProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;

/**
 * Turns a record of a file into a message envelope: a CSV row through its channel's mapping
 * ({@link CsvRecordMessages}); an HL7v2 record with the checks the MLLP intake makes:
 * the ER7 structure (the same {@link Hl7Reader}), the header and attributes, and the channel's
 * conformance profile for its type. A record that fails them is stored as REJECTED with the
 * reason, as the MLLP intake stores what it answers AE; the others are stored as RECEIVED and
 * routed. The bytes are the record's, exactly as in the file; its line endings are not changed
 * (the MLLP intake does not change a sender's segment separators either).
 *
 * <p>There is no duplicate check by sender and control id: a file's record is identified by the
 * file and its number in it, and files legitimately repeat control ids.
 */
@ApplicationScoped
public class FileRecordMessages {

  @Inject
  Hl7Reader reader;

  @Inject
  ChannelRegistry channels;

  public FileRecordMessages() {}

  /** For tests. */
  public FileRecordMessages(Hl7Reader reader, ChannelRegistry channels) {
    this.reader = reader;
    this.channels = channels;
  }

  /**
   * The record as a message, not yet stored.
   *
   * @throws IllegalStateException when the channel's definition is invalid (a profile missing): the chunk fails rather than letting records in unchecked
   */
  public StoredMessage message(FileRecord record, FolderChannel channel, String fileId, String fileName) {
    if (record.kind() == FileRecord.Kind.ROW) {
      if (channel.mapping() == null) {
        throw new IllegalStateException("file " + fileName + ": channel '" + channel.id() + "' is no longer a CSV channel; its rows cannot be read");
      }
      return CsvRecordMessages.message(record, channel.mapping(), reader, channel.label(), fileId, fileName);
    }
    byte[] bytes = record.bytes();
    Charset charset = Msh18Charsets.resolve(bytes, channel.charset());
    StoredMessage message = StoredMessage.received(bytes, ContentType.HL7V2_ER7, charset, channel.label(), fileName).childOf(fileId, record.number());
    if (record.kind() == FileRecord.Kind.STRAY_TEXT) {
      message.changeStatus(MessageStatus.REJECTED, "Not an HL7v2 message: line(s) outside any message (a message starts with a line beginning MSH), bytes "
          + record.start() + "-" + record.end() + " of the file");
      return message;
    }
    String text = new String(bytes, charset);
    try {
      reader.check(text);
    } catch (HL7Exception e) {
      try {
        message.describe(reader.header(reader.criticalHeader(text)).attributes());
      } catch (HL7Exception | RuntimeException unreadable) {
        // not even its MSH segment is readable: stored without attributes
      }
      message.changeStatus(MessageStatus.REJECTED, Acknowledgements.describe(e));
      return message;
    }
    Hl7Header header = reader.header(text);
    message.describe(header.attributes());
    Optional<ConformanceProfile> profile = channels.channel(channel.id()).profileFor(header.messageType());
    if (profile.isPresent()) {
      List<String> violations;
      try {
        violations = profile.get().violations(reader.parse(text));
      } catch (HL7Exception e) {
        message.changeStatus(MessageStatus.REJECTED, Acknowledgements.describe(e));
        return message;
      }
      if (!violations.isEmpty()) {
        message.changeStatus(MessageStatus.REJECTED, "Conformance profile violated: " + String.join("; ", violations));
      }
    }
    return message;
  }
}
