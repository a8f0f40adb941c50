package io.integrationengine.services.processing.hl7;

import io.integrationengine.mllp.framing.Er7Delimiters;
import io.integrationengine.services.processing.hl7.FieldPath.Occurrence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A small, editable model of ER7 (pipe-delimited) HL7v2 text that keeps every character it is not
 * asked to change (BOM, CR/LF/CRLF segment separators even when mixed, trailing separators and
 * empty fields, escape sequences), so {@code parse(text).encode()} equals {@code text} and an edit
 * touches only the position it names and the delimiters that create it; HAPI's model would
 * re-encode the whole message. Positions are {@link FieldPath}s, MSH (and BHS/FHS) counting the
 * field separator as field 1 and the encoding characters as field 2 as HL7 does. Reading and
 * editing give an omitted index different meanings, because a route condition asks about every
 * segment and repetition while a transform changes one: see {@link #values} and {@link #set}. Not
 * thread-safe; one instance per message.
 */
public final class Er7Message {

  private static final String BOM = "\uFEFF";
  private static final String CR = "\r";
  private static final String LF = "\n";
  private static final String CRLF = "\r\n";

  private final String bom;
  /** What a new segment is separated with: the first separator the message uses. */
  private final String separator;
  private final List<SegmentLine> lines;
  private final char fieldSeparator;
  private final char componentSeparator;
  private final char repetitionSeparator;
  private final char escapeCharacter;
  private final char subcomponentSeparator;
  /** v2.7's truncation character, 0 when MSH-2 has only four characters. */
  private final char truncationCharacter;

  private Er7Message(String bom, String separator, List<SegmentLine> lines, char fieldSeparator, String encodingCharacters) {
    this.bom = bom;
    this.separator = separator;
    this.lines = lines;
    this.fieldSeparator = fieldSeparator;
    this.componentSeparator = encodingCharacters.charAt(0);
    this.repetitionSeparator = encodingCharacters.charAt(1);
    this.escapeCharacter = encodingCharacters.charAt(2);
    this.subcomponentSeparator = encodingCharacters.charAt(3);
    this.truncationCharacter = encodingCharacters.length() > 4 ? encodingCharacters.charAt(4) : 0;
  }

  /**
   * Reads ER7 text; segments may be separated by CR, LF or CRLF, and a leading BOM is kept.
   *
   * @throws IllegalArgumentException when the text does not start with an MSH segment whose
   *     delimiters (MSH-1, MSH-2) are usable
   */
  public static Er7Message parse(String text) {
    Objects.requireNonNull(text, "text");
    String bom = text.startsWith(BOM) ? BOM : "";
    List<SegmentLine> lines = new ArrayList<>();
    String separator = null;
    int n = text.length();
    int i = bom.length();
    while (i < n) {
      int end = i;
      char c = 0;
      while (end < n && (c = text.charAt(end)) != '\r' && c != '\n') {
        end++;
      }
      String terminator = end == n ? "" : c == '\n' ? LF : end + 1 < n && text.charAt(end + 1) == '\n' ? CRLF : CR;
      if (separator == null && !terminator.isEmpty()) {
        separator = terminator;
      }
      lines.add(new SegmentLine(text.substring(i, end), terminator));
      i = end + terminator.length();
    }
    if (lines.isEmpty() || !lines.get(0).text.startsWith("MSH") || lines.get(0).text.length() < 8) {
      throw new IllegalArgumentException("not an ER7 message: it does not start with an MSH segment"
          + (lines.isEmpty() ? "" : " ('" + abbreviate(lines.get(0).text) + "')"));
    }
    String msh = lines.get(0).text;
    char fieldSeparator = msh.charAt(3);
    int encodingEnd = msh.indexOf(fieldSeparator, 4);
    String encoding = encodingEnd < 0 ? msh.substring(4) : msh.substring(4, encodingEnd);
    if (!Er7Delimiters.valid(fieldSeparator, encoding)) {
      throw new IllegalArgumentException("not an ER7 message: MSH-1 and MSH-2 must be 5 or 6 different printable non-alphanumeric delimiters, were '"
          + fieldSeparator + encoding + "'");
    }
    for (SegmentLine line : lines) {
      line.identify(fieldSeparator);
    }
    return new Er7Message(bom, separator == null ? CR : separator, lines, fieldSeparator, encoding);
  }

  /** The message as text: the input, byte for byte, with only the edits made since. */
  public String encode() {
    int size = bom.length();
    for (SegmentLine line : lines) {
      size += line.text.length() + line.terminator.length();
    }
    StringBuilder out = new StringBuilder(size).append(bom);
    for (SegmentLine line : lines) {
      out.append(line.text).append(line.terminator);
    }
    return out.toString();
  }

  /** How many segments with this id the message has. */
  public int segmentCount(String segmentId) {
    int count = 0;
    for (SegmentLine line : lines) {
      if (segmentId.equals(line.id)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Every non-empty value at {@code path}, in message order. No segment index means every segment
   * of the type, no repetition every repetition; {@code (n)} means that one, {@code *} all. A path
   * that stops at the field gives each repetition as written, delimiters and escape sequences kept
   * ({@code PID-5} reads {@code DUCK^DONALD^D}); a path to a component or subcomponent gives it
   * decoded ({@code \F\ \S\ \T\ \R\ \E\} and v2.7's {@code \P\} resolved; others such as
   * {@code \X0D\} or {@code \H\} stay as written). A segment path gives the segment's text.
   */
  public List<String> values(FieldPath path) {
    List<String> values = new ArrayList<>();
    Occurrence which = path.segmentOccurrence();
    int seen = 0;
    for (SegmentLine line : lines) {
      if (!path.segment().equals(line.id)) {
        continue;
      }
      seen++;
      if (which.isIndex() && seen != which.index()) {
        continue;
      }
      collect(line, path, values);
      if (which.isIndex()) {
        break;
      }
    }
    return values;
  }

  /** The first of {@link #values}, if any. */
  public Optional<String> first(FieldPath path) {
    List<String> values = values(path);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Writes {@code value} at {@code path}. The value is plain text: delimiters and the escape
   * character in it become escape sequences, CR and LF {@code \X0D\} and {@code \X0A\}. No
   * segment index means the first segment of the type, no repetition the first repetition;
   * {@code (n)} means that one, {@code *} every existing one. Missing fields, repetitions and
   * components are created by padding with delimiters; a missing segment is appended after the last
   * segment, but only the next one ({@code OBX(3)} when there are two OBX).
   *
   * @throws IllegalArgumentException when the path names no field, names MSH-1/MSH-2, or a segment
   *     this message cannot get (e.g. {@code OBX(5)} when it has two)
   */
  public void set(FieldPath path, String value) {
    Objects.requireNonNull(value, "value");
    write(path, escape(value));
  }

  /**
   * Writes {@code er7} at {@code path} as it is: delimiters below the path's level are structure
   * ({@code setAsWritten(OBX-3, "6690-2^WBC^LN")} writes three components) and escape sequences
   * stay escape sequences. Used to copy or map a whole field without losing its components.
   *
   * @throws IllegalArgumentException as {@link #set} does, and when {@code er7} contains a
   *     delimiter of the path's own level or above, or a segment separator
   */
  public void setAsWritten(FieldPath path, String er7) {
    Objects.requireNonNull(er7, "er7");
    String forbidden = String.valueOf(fieldSeparator) + repetitionSeparator
        + (path.component() > 0 ? String.valueOf(componentSeparator) : "")
        + (path.subcomponent() > 0 ? String.valueOf(subcomponentSeparator) : "") + "\r\n";
    for (int i = 0; i < er7.length(); i++) {
      if (forbidden.indexOf(er7.charAt(i)) >= 0) {
        throw new IllegalArgumentException("'" + abbreviate(er7) + "' cannot be written as it is at " + path + ": it contains "
            + describe(er7.charAt(i)) + ", which would change the message's structure");
      }
    }
    write(path, er7);
  }

  /**
   * Empties what {@code path} names, keeping the delimiters around it, with the index rules of
   * {@link #set}, except that a path that stops at the field without a repetition names the whole
   * field, every repetition included ({@code clear(PID-3)} leaves no identifier behind). Positions
   * the message does not have are left alone: nothing is created.
   *
   * @throws IllegalArgumentException when the path names no field, or names MSH-1/MSH-2
   */
  public void clear(FieldPath path) {
    requireEditable(path);
    for (SegmentLine line : segmentsToEdit(path, false)) {
      int index = fieldIndex(line, path.field());
      List<String> fields = line.fields(fieldSeparator);
      if (index >= fields.size()) {
        continue;
      }
      String field = fields.get(index);
      String cleared;
      if (path.component() == 0 && path.repetition().isAbsent()) {
        cleared = "";
      } else {
        cleared = clearPiece(field, repetitionSeparator, path.repetition(), repetition -> {
          if (path.component() == 0) {
            return "";
          }
          return clearPiece(repetition, componentSeparator, Occurrence.of(path.component()),
              component -> path.subcomponent() == 0 ? "" : clearPiece(component, subcomponentSeparator, Occurrence.of(path.subcomponent()), sub -> ""));
        });
      }
      if (!cleared.equals(field)) {
        fields.set(index, cleared);
        line.update(fields, fieldSeparator);
      }
    }
  }

  /**
   * The single positions an edit of {@code path} touches in this message, each with its segment
   * index and repetition written out ({@code PID-3(*).4} in a message with two PID-3 repetitions
   * gives {@code PID(1)-3(1).4} and {@code PID(1)-3(2).4}). Only existing segments; a {@code *}
   * repetition lists the repetitions the field has. For transforms that read, then rewrite, each
   * value.
   */
  public List<FieldPath> positions(FieldPath path) {
    requireEditable(path);
    List<FieldPath> positions = new ArrayList<>();
    Occurrence which = path.segmentOccurrence();
    int seen = 0;
    for (SegmentLine line : lines) {
      if (!path.segment().equals(line.id)) {
        continue;
      }
      seen++;
      if (!(which.isAll() || seen == (which.isIndex() ? which.index() : 1))) {
        continue;
      }
      if (path.repetition().isAll()) {
        String field = fieldText(line, path.field());
        int repetitions = field == null || field.isEmpty() ? 0 : count(field, repetitionSeparator) + 1;
        for (int r = 1; r <= repetitions; r++) {
          positions.add(path.at(seen, r));
        }
      } else {
        positions.add(path.at(seen, path.repetition().isIndex() ? path.repetition().index() : 1));
      }
    }
    return positions;
  }

  /** {@code text} with the escape sequences for delimiters ({@code \F\ \S\ \T\ \R\ \E\ \P\}) resolved; others stay as written. */
  public String decode(String text) {
    int first = text.indexOf(escapeCharacter);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
    int i = first;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != escapeCharacter) {
        out.append(c);
        i++;
        continue;
      }
      int close = text.indexOf(escapeCharacter, i + 1);
      if (close < 0) {
        out.append(text, i, text.length());
        break;
      }
      char delimiter = close == i + 2 ? delimiterFor(text.charAt(i + 1)) : 0;
      if (delimiter != 0) {
        out.append(delimiter);
      } else {
        out.append(text, i, close + 1);
      }
      i = close + 1;
    }
    return out.toString();
  }

  private char delimiterFor(char code) {
    return switch (code) {
      case 'F' -> fieldSeparator;
      case 'S' -> componentSeparator;
      case 'T' -> subcomponentSeparator;
      case 'R' -> repetitionSeparator;
      case 'E' -> escapeCharacter;
      case 'P' -> truncationCharacter;
      default -> 0;
    };
  }

  private String escape(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String code = c == fieldSeparator ? "F"
          : c == componentSeparator ? "S"
          : c == subcomponentSeparator ? "T"
          : c == repetitionSeparator ? "R"
          : c == escapeCharacter ? "E"
          : c == truncationCharacter && c != 0 ? "P"
          // a raw CR or LF would end the segment; HL7's hex escape keeps the character
          : c == '\r' ? "X0D"
          : c == '\n' ? "X0A"
          : null;
      if (code != null) {
        if (out == null) {
          out = new StringBuilder(value.length() + 8).append(value, 0, i);
        }
        out.append(escapeCharacter).append(code).append(escapeCharacter);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
  }

  private void write(FieldPath path, String encoded) {
    requireEditable(path);
    for (SegmentLine line : segmentsToEdit(path, true)) {
      int index = fieldIndex(line, path.field());
      List<String> fields = line.fields(fieldSeparator);
      while (fields.size() <= index) {
        fields.add("");
      }
      String field = fields.get(index);
      UnaryOperator<String> inRepetition = repetition -> path.component() == 0
          ? encoded
          : replacePiece(repetition, componentSeparator, path.component() - 1,
              component -> path.subcomponent() == 0 ? encoded : replacePiece(component, subcomponentSeparator, path.subcomponent() - 1, sub -> encoded));
      String written;
      if (path.repetition().isAll()) {
        List<String> repetitions = split(field, repetitionSeparator);
        repetitions.replaceAll(inRepetition);
        written = join(repetitions, repetitionSeparator);
      } else {
        int repetition = path.repetition().isIndex() ? path.repetition().index() - 1 : 0;
        written = replacePiece(field, repetitionSeparator, repetition, inRepetition);
      }
      fields.set(index, written);
      line.update(fields, fieldSeparator);
    }
  }

  private static void requireEditable(FieldPath path) {
    if (!path.hasField()) {
      throw new IllegalArgumentException(path + " names a whole segment; name a field, e.g. " + path.segment() + "-1");
    }
    if (path.namesDelimiters()) {
      throw new IllegalArgumentException(path + " holds the message's delimiters and cannot be changed");
    }
  }

  private List<SegmentLine> segmentsToEdit(FieldPath path, boolean create) {
    List<SegmentLine> matching = new ArrayList<>();
    for (SegmentLine line : lines) {
      if (path.segment().equals(line.id)) {
        matching.add(line);
      }
    }
    Occurrence which = path.segmentOccurrence();
    if (which.isAll()) {
      return matching;
    }
    int index = which.isIndex() ? which.index() : 1;
    if (index <= matching.size()) {
      return List.of(matching.get(index - 1));
    }
    if (!create) {
      return List.of();
    }
    if (index > matching.size() + 1 || FieldPath.isHeaderSegment(path.segment())) {
      throw new IllegalArgumentException(path + " does not exist: the message has " + matching.size() + " " + path.segment()
          + " segment(s)" + (FieldPath.isHeaderSegment(path.segment()) ? "" : ", and only the next one, " + path.segment() + "(" + (matching.size() + 1) + "), can be added"));
    }
    return List.of(appendSegment(path.segment()));
  }

  /** Adds a segment after the last one, keeping whatever follows it (a trailing separator, blank lines). */
  private SegmentLine appendSegment(String segmentId) {
    int last = lines.size() - 1;
    while (last > 0 && lines.get(last).id == null) {
      last--;
    }
    SegmentLine previous = lines.get(last);
    SegmentLine added;
    if (previous.terminator.isEmpty()) {
      previous.terminator = separator;
      added = new SegmentLine(segmentId, "");
    } else {
      added = new SegmentLine(segmentId, separator);
    }
    added.identify(fieldSeparator);
    lines.add(last + 1, added);
    return added;
  }

  private void collect(SegmentLine line, FieldPath path, List<String> values) {
    if (!path.hasField()) {
      values.add(line.text);
      return;
    }
    if (path.namesDelimiters()) {
      // the delimiters are not split by themselves: MSH-2 is one value, its first "repetition" and component
      boolean first = !path.repetition().isIndex() || path.repetition().index() == 1;
      if (first && path.component() <= 1 && path.subcomponent() <= 1) {
        String value = fieldText(line, path.field());
        if (value != null && !value.isEmpty()) {
          values.add(value);
        }
      }
      return;
    }
    String field = fieldText(line, path.field());
    if (field == null || field.isEmpty()) {
      return;
    }
    if (path.repetition().isIndex()) {
      String repetition = piece(field, repetitionSeparator, path.repetition().index() - 1);
      if (repetition != null) {
        collectFromRepetition(repetition, path, values);
      }
      return;
    }
    int start = 0;
    while (true) {
      int end = field.indexOf(repetitionSeparator, start);
      collectFromRepetition(end < 0 ? field.substring(start) : field.substring(start, end), path, values);
      if (end < 0) {
        return;
      }
      start = end + 1;
    }
  }

  private void collectFromRepetition(String repetition, FieldPath path, List<String> values) {
    String value = repetition;
    if (path.component() > 0) {
      value = piece(repetition, componentSeparator, path.component() - 1);
      if (value != null && path.subcomponent() > 0) {
        value = piece(value, subcomponentSeparator, path.subcomponent() - 1);
      }
      value = value == null ? null : decode(value);
    }
    if (value != null && !value.isEmpty()) {
      values.add(value);
    }
  }

  /** The field as written, MSH-1 being the field separator; null when the segment is shorter. */
  private String fieldText(SegmentLine line, int field) {
    if (FieldPath.isHeaderSegment(line.id) && field == 1) {
      return String.valueOf(fieldSeparator);
    }
    List<String> fields = line.fields(fieldSeparator);
    int index = fieldIndex(line, field);
    return index < fields.size() ? fields.get(index) : null;
  }

  /** Where field {@code field} is in the segment split at the field separator (element 0 is the segment id). */
  private static int fieldIndex(SegmentLine line, int field) {
    return FieldPath.isHeaderSegment(line.id) ? field - 1 : field;
  }

  /** The {@code index}-th (0-based) piece of {@code text} split at {@code delimiter}, or null when there are fewer. */
  private static String piece(String text, char delimiter, int index) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      int next = text.indexOf(delimiter, start);
      if (next < 0) {
        return null;
      }
      start = next + 1;
    }
    int end = text.indexOf(delimiter, start);
    return end < 0 ? text.substring(start) : text.substring(start, end);
  }

  private static String replacePiece(String text, char delimiter, int index, UnaryOperator<String> change) {
    List<String> pieces = split(text, delimiter);
    while (pieces.size() <= index) {
      pieces.add("");
    }
    pieces.set(index, change.apply(pieces.get(index)));
    return join(pieces, delimiter);
  }

  /** Like {@link #replacePiece} but never pads: a piece the text does not have stays absent. */
  private static String clearPiece(String text, char delimiter, Occurrence which, UnaryOperator<String> change) {
    List<String> pieces = split(text, delimiter);
    if (which.isAll()) {
      pieces.replaceAll(change);
    } else {
      int index = which.isIndex() ? which.index() - 1 : 0;
      if (index >= pieces.size()) {
        return text;
      }
      pieces.set(index, change.apply(pieces.get(index)));
    }
    return join(pieces, delimiter);
  }

  /** Splits keeping empty pieces, trailing ones included, so joining gives the text back. */
  static List<String> split(String text, char delimiter) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = text.indexOf(delimiter, start);
      if (end < 0) {
        pieces.add(text.substring(start));
        return pieces;
      }
      pieces.add(text.substring(start, end));
      start = end + 1;
    }
  }

  private static String join(List<String> pieces, char delimiter) {
    if (pieces.size() == 1) {
      return pieces.get(0);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        out.append(delimiter);
      }
      out.append(pieces.get(i));
    }
    return out.toString();
  }

  private static int count(String text, char c) {
    int count = 0;
    for (int i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) {
      count++;
    }
    return count;
  }

  private String describe(char c) {
    if (c == '\r') {
      return "a CR";
    }
    if (c == '\n') {
      return "an LF";
    }
    String name = c == fieldSeparator ? "field separator"
        : c == repetitionSeparator ? "repetition separator"
        : c == componentSeparator ? "component separator"
        : "subcomponent separator";
    return "the " + name + " '" + c + "'";
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  /** One line of the text: a segment (or, verbatim, whatever else the sender put on a line) and the separator after it. */
  private static final class SegmentLine {

    String text;
    String terminator;
    /** The segment id, null for a line that is not a segment (a blank line). */
    String id;
    /** The text split at the field separator, made when first needed. */
    private List<String> fields;

    SegmentLine(String text, String terminator) {
      this.text = text;
      this.terminator = terminator;
    }

    void identify(char fieldSeparator) {
      boolean segment = text.length() >= 3 && (text.length() == 3 || text.charAt(3) == fieldSeparator);
      id = segment ? text.substring(0, 3) : null;
    }

    List<String> fields(char fieldSeparator) {
      if (fields == null) {
        fields = split(text, fieldSeparator);
      }
      return fields;
    }

    void update(List<String> newFields, char fieldSeparator) {
      fields = newFields;
      text = join(newFields, fieldSeparator);
    }
  }
}
