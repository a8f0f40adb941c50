package io.integrationengine.services.input.file.csv;

import io.integrationengine.core.model.ContentType;
import io.integrationengine.core.model.MessageAttribute;
import io.integrationengine.core.model.MessageStatus;
import io.integrationengine.core.model.StoredMessage;
import io.integrationengine.services.input.FhirAttributes;
import io.integrationengine.services.input.Hl7Reader;
import io.integrationengine.services.input.file.FileRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns a data row of a CSV file into a message through the channel's mapping. The stored message
 * is what the mapping makes of the row (HL7v2 ER7 or FHIR JSON, UTF-8), routed like any other;
 * the row's own bytes stay in the file's envelope message (the whole file, byte for byte), and
 * attributes {@code csvLine} and {@code csvBytes} say where. A row the mapping cannot take (a
 * value of the wrong type, an unreadable date, a required value missing, more or fewer values
 * than the header has columns, a quote not closed) is stored as REJECTED with its own bytes as
 * the content ({@code text/csv}) and a reason naming the row, line, column and value.
 */
public final class CsvRecordMessages {

  /** Attribute: the line of the file the row starts on. */
  public static final String LINE = "csvLine";
  /** Attribute: the row's bytes in the file (and in the file's envelope message), {@code start-end}. */
  public static final String BYTES = "csvBytes";

  private CsvRecordMessages() {}

  /** The row as a message, not yet stored. */
  public static StoredMessage message(FileRecord record, CsvMapping mapping, Hl7Reader reader, String channel, String fileId, String fileName) {
    String where = "Row " + record.number() + " (line " + record.csv().line() + ")";
    List<MessageAttribute> position = List.of(
        new MessageAttribute(LINE, String.valueOf(record.csv().line())), new MessageAttribute(BYTES, record.start() + "-" + record.end()));
    String controlId = fileId.substring(fileId.length() - 8) + "-" + record.number();
    Map<CsvColumn, Object> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    read(record, mapping, values, problems);
    if (problems.isEmpty()) {
      try {
        StoredMessage message;
        if (mapping.output() == CsvMapping.CsvOutput.HL7V2) {
          String er7 = Hl7v2RowBuilder.build(mapping, values, controlId);
          message = StoredMessage.received(er7.getBytes(StandardCharsets.UTF_8), ContentType.HL7V2_ER7, StandardCharsets.UTF_8, channel, fileName);
          message.describe(reader.header(er7).attributes());
        } else {
          Resource resource = FhirRowBuilder.build(mapping, values, controlId);
          message = StoredMessage.received(FhirRowBuilder.json(resource).getBytes(StandardCharsets.UTF_8), ContentType.FHIR_JSON, StandardCharsets.UTF_8, channel, fileName);
          message.describe(FhirAttributes.read(resource));
        }
        message.describe(position);
        return message.childOf(fileId, record.number());
      } catch (Exception | StackOverflowError e) {
        problems.add("the mapping " + mapping.name() + " could not make a message of it: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    }
    StoredMessage rejected = StoredMessage.received(record.bytes(), ContentType.CSV_RECORD, mapping.charset(), channel, fileName).childOf(fileId, record.number());
    rejected.describe(position);
    rejected.changeStatus(MessageStatus.REJECTED, where + ": " + String.join("; ", problems));
    return rejected;
  }

  /** The mapped columns' values of the row, converted; or what is wrong with them, each problem naming its column and value. */
  static void read(FileRecord record, CsvMapping mapping, Map<CsvColumn, Object> values, List<String> problems) {
    String text;
    try {
      text = mapping.charset().newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(record.bytes())).toString();
    } catch (CharacterCodingException e) {
      problems.add("not " + mapping.charset() + " text (" + e.getMessage() + ")");
      return;
    }
    List<CSVRecord> rows;
    try (CSVParser parser = CSVParser.parse(text, mapping.format())) {
      rows = parser.getRecords();
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      problems.add("not a CSV row: " + e.getMessage());
      return;
    }
    if (rows.size() != 1) {
      problems.add("not one CSV row but " + rows.size());
      return;
    }
    CSVRecord row = rows.get(0);
    List<String> columns = record.csv().columns();
    if (row.size() != columns.size()) {
      problems.add("it has " + row.size() + " value" + (row.size() == 1 ? "" : "s") + ", the " + (mapping.header() ? "header has " : "mapping declares ")
          + columns.size() + " columns" + (row.size() > columns.size() ? " (extra: '" + String.join("', '", row.toList().subList(columns.size(), row.size())) + "')" : ""));
      return;
    }
    for (CsvColumn column : mapping.columns()) {
      String value = row.get(columns.indexOf(column.name()));
      try {
        values.put(column, column.convert(value, mapping.zone()));
      } catch (IllegalArgumentException e) {
        problems.add("column " + column.name() + ": " + e.getMessage());
      }
    }
  }
}
